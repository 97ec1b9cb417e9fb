using System.Collections.Frozen;

namespace CrmBlazor.Domain.Access;

/// <summary>
/// Role × module × operation grants (SPEC A2): the defaults below, with Admin's overrides laid on top.
/// Immutable; <see cref="Permissions"/> swaps in a new one when Admin changes a grant.
/// </summary>
public sealed class PermissionMatrix
{
    private static readonly Operation[] ReadOnly = [Operation.View];
    private static readonly Operation[] Work = [Operation.View, Operation.Create, Operation.Edit];
    private static readonly Operation[] Manage = [Operation.View, Operation.Create, Operation.Edit, Operation.Delete, Operation.Export, Operation.Import];
    private static readonly Operation[] Analyse = [Operation.View, Operation.Export];

    private readonly FrozenSet<(Role, Module, Operation)> _grants;

    private PermissionMatrix(IEnumerable<(Role, Module, Operation)> grants) => _grants = grants.ToFrozenSet();

    public static PermissionMatrix Defaults { get; } = new(DefaultGrants());

    /// <summary>
    /// The cells the product checks somewhere (a page, an endpoint or a Domain service). A grant on any other cell
    /// would change nothing, so the permission page offers only these; <c>PermissionMatrixTests</c> holds this list
    /// to what the code checks, both ways.
    /// </summary>
    public static IReadOnlySet<(Module Module, Operation Operation)> Enforced { get; } = new HashSet<(Module, Operation)>
    {
        (Module.Customers, Operation.View), (Module.Customers, Operation.Create), (Module.Customers, Operation.Edit),
        (Module.Customers, Operation.Delete), (Module.Customers, Operation.Export),
        (Module.Interactions, Operation.Create),
        (Module.Demands, Operation.View), (Module.Demands, Operation.Create), (Module.Demands, Operation.Edit),
        (Module.Tiering, Operation.View), (Module.Tiering, Operation.Edit), (Module.Tiering, Operation.Export),
        (Module.Pipeline, Operation.View), (Module.Pipeline, Operation.Create), (Module.Pipeline, Operation.Edit), (Module.Pipeline, Operation.Delete),
        (Module.Pipeline, Operation.Configure), (Module.Pipeline, Operation.Export), (Module.Pipeline, Operation.Import),
        (Module.Tickets, Operation.View), (Module.Tickets, Operation.Create), (Module.Tickets, Operation.Edit),
        (Module.Importing, Operation.Import),
        (Module.Reports, Operation.View), (Module.Reports, Operation.Export),
        (Module.Audit, Operation.View),
        (Module.Administration, Operation.Configure),
        (Module.Feedback, Operation.View), (Module.Feedback, Operation.Edit),
    }.ToFrozenSet();

    public static bool IsEnforced(Module module, Operation operation) => Enforced.Contains((module, operation));

    public bool IsAllowed(Role role, Module module, Operation operation) => _grants.Contains((role, module, operation));

    public bool IsAllowed(IEnumerable<Role> roles, Module module, Operation operation) =>
        roles.Any(r => IsAllowed(r, module, operation));

    /// <summary>The defaults with each override applied: an override grants or revokes one cell.</summary>
    public static PermissionMatrix WithOverrides(IEnumerable<PermissionOverride> overrides)
    {
        var grants = DefaultGrants().ToHashSet();
        foreach (var o in overrides)
        {
            if (o.Role == Role.Admin)
            {
                continue; // Admin keeps every right, so nobody can lock the administrators out.
            }
            if (o.Allowed)
            {
                grants.Add((o.Role, o.Module, o.Operation));
            }
            else
            {
                grants.Remove((o.Role, o.Module, o.Operation));
            }
        }
        return new PermissionMatrix(grants);
    }

    private static IEnumerable<(Role, Module, Operation)> DefaultGrants()
    {
        foreach (var module in Enum.GetValues<Module>())
        {
            foreach (var op in Enum.GetValues<Operation>())
            {
                yield return (Role.Admin, module, op);
            }
        }

        var defaults = new (Role Role, Module Module, Operation[] Operations)[]
        {
            (Role.Supervisor, Module.Customers, Manage),
            (Role.Supervisor, Module.Interactions, Manage),
            (Role.Supervisor, Module.Demands, Manage),
            (Role.Supervisor, Module.Pipeline, Manage),
            (Role.Supervisor, Module.Tickets, Manage),
            (Role.Supervisor, Module.Tiering, [Operation.View, Operation.Edit, Operation.Export]),
            (Role.Supervisor, Module.Importing, [Operation.View, Operation.Import, Operation.Export]),
            (Role.Supervisor, Module.Reports, Analyse),

            // A rep exports their own customers (record scope applies): the list they work from, in Excel (SPEC H3).
            (Role.SalesRep, Module.Customers, [.. Work, Operation.Export]),
            (Role.SalesRep, Module.Interactions, Work),
            (Role.SalesRep, Module.Demands, Work),
            (Role.SalesRep, Module.Pipeline, Work),
            (Role.SalesRep, Module.Tickets, ReadOnly),
            (Role.SalesRep, Module.Tiering, ReadOnly),

            (Role.CustomerService, Module.Customers, ReadOnly),
            (Role.CustomerService, Module.Interactions, Work),
            (Role.CustomerService, Module.Tickets, Work),
            (Role.CustomerService, Module.Demands, ReadOnly),

            (Role.Analyst, Module.Customers, Analyse),
            (Role.Analyst, Module.Interactions, Analyse),
            (Role.Analyst, Module.Demands, Analyse),
            (Role.Analyst, Module.Pipeline, Analyse),
            (Role.Analyst, Module.Tickets, Analyse),
            (Role.Analyst, Module.Tiering, Analyse),
            (Role.Analyst, Module.Reports, Analyse),
        };
        foreach (var (role, module, operations) in defaults)
        {
            foreach (var op in operations)
            {
                yield return (role, module, op);
            }
        }
    }
}

/// <summary>An Admin's change to one cell of the default matrix.</summary>
public sealed class PermissionOverride
{
    public Role Role { get; set; }
    public Module Module { get; set; }
    public Operation Operation { get; set; }
    public bool Allowed { get; set; }
}
