namespace CrmBlazor.Domain.Common;

/// <summary>
/// A failure a user can cause and understand. <see cref="MessageKey"/> names the localized text in the
/// UI resources; <see cref="Exception.Message"/> is the English fallback for logs and API clients.
/// </summary>
public abstract class CrmException(string messageKey, string message, params object[] arguments) : Exception(message)
{
    public string MessageKey { get; } = messageKey;
    public IReadOnlyList<object> Arguments { get; } = arguments;
}

public sealed class AccessDeniedException(string messageKey, string message, params object[] arguments)
    : CrmException(messageKey, message, arguments)
{
    /// <summary>
    /// Refused because the record lies outside the caller's record scope (the <c>Error.*OutOfScope</c> keys), not for
    /// want of a permission: the API answers these 404, so an id outside scope tells a client nothing.
    /// </summary>
    public bool IsOutOfScope => MessageKey.EndsWith("OutOfScope", StringComparison.Ordinal);
}

public sealed class NotFoundException(string entity, object id)
    : CrmException("Error.NotFound", $"{entity} {id} was not found.", entity, id);

public sealed class ConcurrencyConflictException(string entity, object id)
    : CrmException("Error.Conflict", $"{entity} {id} was changed by someone else since you opened it.", entity, id);

public sealed class ValidationFailedException(IReadOnlyList<ValidationError> errors)
    : CrmException("Error.Validation", "Some fields need attention: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<ValidationError> Errors { get; } = errors;

    /// <summary>Throws when <paramref name="errors"/> holds any: a form is checked whole before anything is written.</summary>
    public static void ThrowIfAny(IReadOnlyList<ValidationError> errors)
    {
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }
}

/// <summary>One field's problem: the resource key for the UI (with its arguments), and an English fallback.</summary>
public sealed record ValidationError(string Field, string MessageKey, string Message, params object[] Arguments);
