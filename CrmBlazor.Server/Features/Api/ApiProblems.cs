using CrmBlazor.Domain.Common;
using CrmBlazor.Server.Components.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Features.Api;

/// <summary>
/// Every API error as RFC 9457 problem details, in the language of <c>Accept-Language</c> (zh-CN or en), from the
/// resource keys the UI uses. <c>code</c> carries the key, so a client can act on it without parsing text.
/// Out of scope and missing are the same 404: an id outside the caller's scope reveals nothing.
/// </summary>
public static class ApiProblems
{
    public static IResult From(HttpContext context, CrmException exception)
    {
        var texts = Texts(context);
        return exception switch
        {
            ValidationFailedException validation => TypedResults.ValidationProblem(
                validation.Errors.GroupBy(e => JsonPath(e.Field))
                    .ToDictionary(g => g.Key, g => g.Select(e => UserErrors.FieldMessage(texts, e)).ToArray()),
                title: ErrorMessages.For(texts, validation),
                extensions: Code(validation.MessageKey)),
            NotFoundException or AccessDeniedException { IsOutOfScope: true } => Problem(texts, StatusCodes.Status404NotFound, "Api.NotFound"),
            AccessDeniedException denied => Problem(texts, StatusCodes.Status403Forbidden, denied.MessageKey, ErrorMessages.For(texts, denied)),
            ConcurrencyConflictException conflict => Problem(texts, StatusCodes.Status409Conflict, conflict.MessageKey),
            _ => Problem(texts, StatusCodes.Status400BadRequest, exception.MessageKey, ErrorMessages.For(texts, exception)),
        };
    }

    /// <summary>A problem whose title is the resource <paramref name="key"/> in the caller's language.</summary>
    public static IResult Problem(HttpContext context, int status, string key) => Problem(Texts(context), status, key);

    /// <summary>A problem whose title is the resource <paramref name="key"/> and whose detail is <paramref name="detail"/>.</summary>
    public static IResult Problem(HttpContext context, int status, string key, string detail) => Problem(Texts(context), status, key, detail);

    public static Task WriteAsync(HttpContext context, int status, string key) => Problem(context, status, key).ExecuteAsync(context);

    /// <summary>Writes a problem whose title is the resource <paramref name="key"/> formatted with <paramref name="arguments"/>.</summary>
    public static Task WriteAsync(HttpContext context, int status, string key, params object[] arguments) =>
        TypedResults.Problem(title: Texts(context)[key, arguments].Value, statusCode: status, extensions: Code(key)).ExecuteAsync(context);

    /// <summary>Catches the Domain's <see cref="CrmException"/>s of every endpoint in the group.</summary>
    public static async ValueTask<object?> CatchCrmExceptionsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (CrmException exception)
        {
            return From(context.HttpContext, exception);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // As the error boundary does for pages: logged with a reference the caller can quote, never the exception's text.
            var http = context.HttpContext;
            var reference = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiProblems))
                .LogError(exception, "API request {Method} {Path} failed; reference {Reference}", http.Request.Method, http.Request.Path, reference);
            var texts = Texts(http);
            return Problem(texts, StatusCodes.Status500InternalServerError, "Error.Unexpected.Title", texts["Error.Unexpected.Text", reference].Value);
        }
    }

    private static ProblemHttpResult Problem(IStringLocalizer texts, int status, string key, string? detail = null) =>
        TypedResults.Problem(title: texts[key].Value, detail: detail, statusCode: status, extensions: Code(key));

    private static Dictionary<string, object?> Code(string key) => new() { ["code"] = key };

    private static IStringLocalizer Texts(HttpContext context) => context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();

    /// <summary>A Domain field name as the JSON body spells it: <c>KeyContact.Mobile</c> → <c>keyContact.mobile</c>.</summary>
    public static string JsonPath(string field) =>
        string.Join('.', field.Split('.').Select(part => part.Length == 0 || part.Contains(':', StringComparison.Ordinal) ? part : char.ToLowerInvariant(part[0]) + part[1..]));
}
