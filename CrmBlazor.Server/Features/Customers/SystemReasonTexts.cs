using CrmBlazor.Domain.Customers;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Features.Customers;

/// <summary>A stored reason in the reader's language: one the system wrote (<see cref="SystemReasons"/>) through its key, one a person typed as typed.</summary>
public static class SystemReasonTexts
{
    public static string Describe(IStringLocalizer l, string? reason) =>
        SystemReasons.TryRead(reason, out var key, out var arguments) ? l[key, [.. arguments]] : reason ?? "";
}
