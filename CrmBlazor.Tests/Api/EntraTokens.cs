using System.Security.Cryptography;
using CrmBlazor.Server.Features.Api;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CrmBlazor.Tests.Api;

/// <summary>
/// Entra stand-in: tests cannot reach the tenant, so the test host's bearer scheme trusts this issuer, audience and key
/// instead (what Microsoft.Identity.Web reads from the tenant's metadata in production), and tests mint tokens with them.
/// Lifetimes are checked against the test's fake clock.
/// </summary>
public sealed class EntraTokens(TimeProvider clock)
{
    public const string Issuer = "https://login.microsoftonline.test/11111111-2222-3333-4444-555555555555/v2.0";
    public const string Audience = "api://crmblazor-test";

    private static readonly SymmetricSecurityKey Key = new(RandomNumberGenerator.GetBytes(32));

    /// <summary>Points the test host's bearer scheme at this issuer.</summary>
    public void Trust(IServiceCollection services) =>
        services.PostConfigure<JwtBearerOptions>(EntraBearer.SchemeName, options =>
        {
            options.Authority = null;
            options.TokenValidationParameters.ValidIssuer = Issuer;
            options.TokenValidationParameters.ValidAudience = Audience;
            options.TokenValidationParameters.IssuerSigningKey = Key;
            options.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, _) =>
                clock.GetUtcNow().UtcDateTime is var now && (notBefore is null || notBefore <= now) && expires > now;
        });

    /// <summary>A client-credentials token of application <paramref name="applicationId"/> with the given app roles.</summary>
    public string Application(string applicationId, string? name, params string[] appRoles) => Mint(new Dictionary<string, object>
    {
        ["azp"] = applicationId,
        ["oid"] = Guid.NewGuid().ToString(),
        ["tid"] = "11111111-2222-3333-4444-555555555555",
        ["roles"] = appRoles,
        ["app_displayname"] = name ?? "",
    });

    /// <summary>A delegated token of the user with object id <paramref name="objectId"/>, for the CRM client.</summary>
    public string Delegated(string objectId, string? preferredUsername = null) => Mint(new Dictionary<string, object>
    {
        ["azp"] = "crm-client-app",
        ["oid"] = objectId,
        ["scp"] = "access_as_user",
        ["preferred_username"] = preferredUsername ?? $"{objectId}@crmblazor.local",
    });

    public string Mint(Dictionary<string, object> claims, string audience = Audience, TimeSpan? validFor = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var lifetime = validFor ?? TimeSpan.FromHours(1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = now + lifetime - TimeSpan.FromHours(1),
            NotBefore = now + lifetime - TimeSpan.FromHours(1),
            Expires = now + lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
