using CrmBlazor.Domain.Common;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Components.Shared;

/// <summary>The one place a Domain failure becomes the sentence a user reads, in their language.</summary>
public static class ErrorMessages
{
    public static string For(IStringLocalizer localizer, CrmException exception)
    {
        var text = localizer[exception.MessageKey, [.. exception.Arguments]];
        return text.ResourceNotFound ? exception.Message : text.Value;
    }
}
