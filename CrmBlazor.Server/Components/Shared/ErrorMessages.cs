using CrmBlazor.Domain.Common;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Components.Shared;

/// <summary>The one place a Domain failure becomes the sentence a user reads, in their language.</summary>
public static class ErrorMessages
{
    public static string For(IStringLocalizer localizer, CrmException exception)
    {
        var text = localizer[exception.MessageKey, Arguments(localizer, exception.Arguments)];
        return text.ResourceNotFound ? exception.Message : text.Value;
    }

    /// <summary>A message's arguments as the reader sees them: each <see cref="TextKey"/> in their language.</summary>
    public static object[] Arguments(IStringLocalizer localizer, IEnumerable<object> arguments) =>
        [.. arguments.Select(a => a is TextKey key ? localizer[key.Key].Value : a)];
}
