using System.Security.Claims;
using System.Text.Encodings.Web;
using CrmBlazor.Domain.Api;
using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Server.Features.Api;

/// <summary>
/// The <c>ApiKey</c> scheme: <c>Authorization: Bearer crm_…</c> or <c>X-Api-Key: crm_…</c>. A valid key signs in as
/// its service account with the same claims a person's sign-in carries; challenge and refusal are problem details,
/// never a redirect.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyAuthenticator keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    /// <summary>The claim naming the key a request came with (the audit rows name its service account).</summary>
    public const string KeyIdClaim = "crm:api-key";

    /// <summary>Whether a request presents an API key at all (the policy scheme's choice).</summary>
    public static bool Presents(HttpRequest request) => TokenOf(request) is not null;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (TokenOf(Request) is not { } token)
        {
            return AuthenticateResult.NoResult();
        }
        var caller = await keys.AuthenticateAsync(token, Context.RequestAborted);
        if (caller is null)
        {
            return AuthenticateResult.Fail("The API key is unknown, expired or revoked.");
        }
        var identity = CrmClaims.Identity(new Domain.Access.SignedInUser(caller.UserId, caller.DisplayName, null, caller.SupervisedTeamIds, caller.Roles), SchemeName);
        identity.AddClaim(new Claim(KeyIdClaim, caller.KeyId.ToString()));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Api.Unauthorized");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Api.Forbidden");

    private static string? TokenOf(HttpRequest request)
    {
        if (request.Headers[HeaderName] is [{ } key] && key.StartsWith(ApiKeySecrets.Scheme, StringComparison.Ordinal))
        {
            return key;
        }
        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) && authorization[bearer.Length..].Trim() is var value
            && value.StartsWith(ApiKeySecrets.Scheme, StringComparison.Ordinal) ? value : null;
    }
}
