using CrmBlazor.Domain.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Server.Hosting;

/// <summary>
/// A page or endpoint that needs a permission of the matrix (SPEC A2): <c>[RequirePermission(Module.Customers, Operation.View)]</c>,
/// or that permission or a role, where the Domain lets a role in beside the matrix (tags: Supervisors, <c>TagService</c>).
/// The authorization middleware refuses a direct request (sign-in for anonymous users, the denied page
/// for the others) and the router shows the denied message on in-app navigation, both from the live
/// matrix, so an Admin's change takes effect at once. The Domain services still check every call.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequirePermissionAttribute : AuthorizeAttribute
{
    private const string Prefix = "permission:";
    private const string OrRole = "|";

    public RequirePermissionAttribute(Module module, Operation operation)
        : base(PolicyName(module, operation, null)) => (Module, Operation) = (module, operation);

    public RequirePermissionAttribute(Module module, Operation operation, Role alsoRole)
        : base(PolicyName(module, operation, alsoRole)) => (Module, Operation, AlsoRole) = (module, operation, alsoRole);

    public Module Module { get; }
    public Operation Operation { get; }

    /// <summary>A role let in whatever the matrix says for it.</summary>
    public Role? AlsoRole { get; }

    /// <summary>Whether <paramref name="role"/> passes, by <paramref name="matrix"/> (tests read the rule of a page from it).</summary>
    public bool Admits(PermissionMatrix matrix, Role role) =>
        new PermissionRequirement(Module, Operation, AlsoRole).Admits(matrix.IsAllowed(role, Module, Operation), [role]);

    private static string PolicyName(Module module, Operation operation, Role? alsoRole) =>
        $"{Prefix}{module}.{operation}{(alsoRole is { } role ? OrRole + role : "")}";

    internal static bool TryParse(string policyName, out PermissionRequirement requirement)
    {
        requirement = null!;
        var body = policyName.StartsWith(Prefix, StringComparison.Ordinal) ? policyName[Prefix.Length..] : "";
        var roleAt = body.IndexOf(OrRole, StringComparison.Ordinal);
        Role? alsoRole = null;
        if (roleAt >= 0)
        {
            if (!Enum.TryParse<Role>(body[(roleAt + 1)..], out var role))
            {
                return false;
            }
            (alsoRole, body) = (role, body[..roleAt]);
        }
        var parts = body.Split('.');
        if (parts.Length != 2 || !Enum.TryParse<Module>(parts[0], out var module) || !Enum.TryParse<Operation>(parts[1], out var operation))
        {
            return false;
        }
        requirement = new PermissionRequirement(module, operation, alsoRole);
        return true;
    }
}

public sealed record PermissionRequirement(Module Module, Operation Operation, Role? AlsoRole = null) : IAuthorizationRequirement
{
    public bool Admits(bool matrixAllows, IEnumerable<Role> roles) => matrixAllows || (AlsoRole is { } role && roles.Contains(role));
}

/// <summary>Builds the <c>permission:Module.Operation</c> policies on demand; every other name goes to the default provider.</summary>
internal sealed class PermissionPolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    /// <summary>
    /// A policy follows from its name alone (the matrix is asked by the handler on each request), so the authorization
    /// middleware may combine an endpoint's policies once and keep them; the base class allows that only to itself.
    /// </summary>
    public override bool AllowsCachingPolicies => true;

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
        var user = ClaimsCurrentUser.From(context.User);
        if (requirement.Admits(permissions.IsAllowed(user, requirement.Module, requirement.Operation), user.Roles))
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
