using CrmBlazor.Domain.Common;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace CrmBlazor.Server.Components.Shared;

/// <summary>Shows a Domain refusal to the user as a snackbar in their language; returns false so callers can stop.</summary>
public static class UserErrors
{
    public static string FieldMessage(IStringLocalizer localizer, ValidationError error)
    {
        var text = localizer[error.MessageKey, ErrorMessages.Arguments(localizer, error.Arguments)];
        return text.ResourceNotFound ? error.Message : text.Value;
    }

    /// <summary>The first message per field, for the error texts next to a form's fields.</summary>
    public static Dictionary<string, string> ByField(IStringLocalizer localizer, ValidationFailedException exception) =>
        exception.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => FieldMessage(localizer, g.First()));

    public static void Show(ISnackbar snackbar, IStringLocalizer localizer, CrmException exception)
    {
        var message = ErrorMessages.For(localizer, exception);
        if (exception is ValidationFailedException validation)
        {
            message += " " + string.Join(" ", validation.Errors.Select(e => FieldMessage(localizer, e)));
        }
        snackbar.Add(message, exception is ConcurrencyConflictException ? Severity.Warning : Severity.Error);
    }
}
