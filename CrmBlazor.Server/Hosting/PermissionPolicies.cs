using CrmBlazor.Domain.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Server.Hosting;

/// <summary>
/// A page or endpoint that needs a permission of the matrix (SPEC A2): <c>[RequirePermission(Module.Customers, Operation.View)]</c>.
/// The authorization middleware refuses a direct request (sign-in for anonymous users, the denied page
/// for the others) and the router shows the denied message on in-app navigation, both from the live
/// matrix, so an Admin's change takes effect at once. The Domain services still check every call.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequirePermissionAttribute : AuthorizeAttribute
{
    private const string Prefix = "permission:";

    public RequirePermissionAttribute(Module module, Operation operation)
        : base(PolicyName(module, operation)) => (Module, Operation) = (module, operation);

    public Module Module { get; }
    public Operation Operation { get; }

    public static string PolicyName(Module module, Operation operation) => $"{Prefix}{module}.{operation}";

    internal static bool TryParse(string policyName, out PermissionRequirement requirement)
    {
        requirement = null!;
        var parts = policyName.StartsWith(Prefix, StringComparison.Ordinal) ? policyName[Prefix.Length..].Split('.') : [];
        if (parts.Length != 2 || !Enum.TryParse<Module>(parts[0], out var module) || !Enum.TryParse<Operation>(parts[1], out var operation))
        {
            return false;
        }
        requirement = new PermissionRequirement(module, operation);
        return true;
    }
}

public sealed record PermissionRequirement(Module Module, Operation Operation) : IAuthorizationRequirement;

/// <summary>Builds the <c>permission:Module.Operation</c> policies on demand; every other name goes to the default provider.</summary>
internal sealed class PermissionPolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName) =>
        RequirePermissionAttribute.TryParse(policyName, out var requirement)
            ? new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(requirement).Build()
            : await base.GetPolicyAsync(policyName);
}

/// <summary>Asks the live <see cref="Permissions"/> matrix, with the roles the principal carries.</summary>
internal sealed class PermissionRequirementHandler(Permissions permissions) : AuthorizationHandler<PermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (permissions.IsAllowed(ClaimsCurrentUser.From(context.User), requirement.Module, requirement.Operation))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

public static class PermissionPolicies
{
    public static IServiceCollection AddCrmPermissionPolicies(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationPolicyProvider, PermissionPolicyProvider>();
        services.AddSingleton<IAuthorizationHandler, PermissionRequirementHandler>();
        return services;
    }
}
