using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>Which leads a list shows: mine, the pools I may claim from, or every lead I may see.</summary>
public enum LeadView
{
    Mine,
    Pool,
    All,
}

public sealed record LeadFilter
{
    public LeadView View { get; init; } = LeadView.Mine;
    public LeadStatus? Status { get; init; }

    /// <summary>Open only (not converted or disqualified) when no status is chosen.</summary>
    public bool OpenOnly { get; init; } = true;

    public string? Search { get; init; }
}

/// <summary>A lead as lists show it.</summary>
public sealed record LeadRow(
    Guid Id, int Version, string Number, string Company, string ContactName, string? Mobile, string? Email, string? Source, string? Region,
    LeadStatus Status, Guid? OwnerId, string? OwnerName, Guid? TeamId, string? TeamName, bool AwaitingApproval, string? PendingOwnerName, DateTime CreatedAt)
{
    public bool InPool => OwnerId is null;
}

/// <summary>One lead in full, with what it became once converted.</summary>
public sealed record LeadDetail(LeadRow Lead, string? Notes, string? DisqualifyReason, Guid? CustomerId, string? CustomerNumber, string? CustomerName,
    Guid? OpportunityId, string? OpportunityNumber, DateTime? ConvertedAt);

public sealed record LeadPage(IReadOnlyList<LeadRow> Rows, int Total);

/// <summary>
/// An existing customer a lead may already be (the duplicate scan's rules: the same name key, a key contact's mobile or
/// e-mail) and why. <see cref="MayAttach"/> is false for a customer outside the caller's scope: the rep sees whose it is,
/// to ask them, and cannot attach to it.
/// </summary>
public sealed record LeadMatch(Guid CustomerId, string Number, string Name, string? OwnerName, IReadOnlySet<DuplicateReason> Reasons, bool MayAttach);

/// <summary>Someone a supervisor may give a lead to.</summary>
public sealed record LeadAssignee(Guid Id, string Name);

/// <summary>A pool a lead may be put into: a team, or the company's (no team).</summary>
public sealed record LeadPool(Guid? TeamId, string? TeamName);

public sealed class LeadQueries(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions)
{
    public const int MaxMatches = 20;

    public async Task<LeadPage> ListAsync(LeadFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leads = db.Leads.AsNoTracking().VisibleTo(currentUser);
        leads = filter.View switch
        {
            LeadView.Mine => leads.Where(l => l.OwnerId == currentUser.UserId),
            LeadView.Pool => leads.Where(l => l.OwnerId == null),
            _ => leads,
        };
        if (filter.Status is { } status)
        {
            leads = leads.Where(l => l.Status == status);
        }
        else if (filter.OpenOnly)
        {
            leads = leads.Where(l => l.Status != LeadStatus.Converted && l.Status != LeadStatus.Disqualified);
        }
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim();
            leads = leads.Where(l => l.Company.Contains(term) || l.ContactName.Contains(term) || l.Number.Contains(term)
                || (l.Mobile != null && l.Mobile.Contains(term)) || (l.Email != null && l.Email.Contains(term)));
        }
        var total = await leads.CountAsync(cancellationToken);
        // A pool is worked oldest first; my leads newest first.
        var ordered = filter.View == LeadView.Pool ? leads.OrderBy(l => l.CreatedAt).ThenBy(l => l.Number) : leads.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Number);
        var rows = await Rows(db, ordered).Skip(skip).Take(Math.Clamp(take, 1, 200)).ToListAsync(cancellationToken);
        return new LeadPage(rows, total);
    }

    public async Task<LeadDetail> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var visible = db.Leads.AsNoTracking().VisibleTo(currentUser).Where(l => l.Id == id);
        var row = await Rows(db, visible).SingleOrDefaultAsync(cancellationToken)
            ?? throw (await db.Leads.AnyAsync(l => l.Id == id, cancellationToken)
                ? new Common.AccessDeniedException("Error.LeadOutOfScope", "This lead belongs to someone else.")
                : new Common.NotFoundException(nameof(Lead), id));
        var lead = await db.Leads.AsNoTracking().SingleAsync(l => l.Id == id, cancellationToken);
        // What it became, if it is still there and the reader may see it.
        var customer = lead.ConvertedCustomerId is { } customerId
            ? await db.Customers.AsNoTracking().VisibleTo(currentUser).Where(c => c.Id == customerId).Select(c => new { c.Id, c.Number, c.Name }).SingleOrDefaultAsync(cancellationToken)
            : null;
        var opportunity = customer is not null && lead.ConvertedOpportunityId is { } opportunityId
            ? await db.Opportunities.AsNoTracking().Where(o => o.Id == opportunityId).Select(o => new { o.Id, o.Number }).SingleOrDefaultAsync(cancellationToken)
            : null;
        return new LeadDetail(row, lead.Notes, lead.DisqualifyReason, customer?.Id, customer?.Number, customer?.Name, opportunity?.Id, opportunity?.Number, lead.ConvertedAt);
    }

    /// <summary>
    /// The existing customers this lead may already be, strongest first, by the indexed search keys the duplicate scan's
    /// rules come down to: the company's name key, and the lead's mobile and e-mail as a contact's. Every customer is
    /// checked (a duplicate in a colleague's portfolio is still a duplicate); those out of scope are named but not attachable.
    /// </summary>
    public async Task<IReadOnlyList<LeadMatch>> MatchesAsync(Guid leadId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await db.Leads.AsNoTracking().VisibleTo(currentUser).SingleOrDefaultAsync(l => l.Id == leadId, cancellationToken)
            ?? throw new Common.NotFoundException(nameof(Lead), leadId);
        var nameKey = CustomerSearch.NameKeyOf(lead.Company);
        var mobileKey = CustomerSearch.PrefixKeyOf(lead.Mobile);
        var emailKey = CustomerSearch.PrefixKeyOf(lead.Email);
        var prefixKeys = new[] { mobileKey, emailKey }.Where(k => k.Length > 0).ToList();
        var hits = await db.CustomerSearchTokens.AsNoTracking()
            .Where(t => (t.Kind == CustomerSearchToken.NameKey && nameKey.Length > 0 && t.Token == nameKey)
                || (t.Kind == CustomerSearchToken.Prefix && prefixKeys.Contains(t.Token)))
            .Select(t => new { t.CustomerId, t.Kind, t.Token })
            .Take(MaxMatches * 3).ToListAsync(cancellationToken);
        var reasons = hits.GroupBy(h => h.CustomerId).ToDictionary(g => g.Key, g => (IReadOnlySet<DuplicateReason>)g.Select(h =>
            h.Kind == CustomerSearchToken.NameKey ? DuplicateReason.SameName : h.Token == mobileKey ? DuplicateReason.SamePhone : DuplicateReason.SameEmail).ToHashSet());
        var ids = reasons.Keys.ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Number, c.Name, OwnerName = c.Owner!.DisplayName }).ToListAsync(cancellationToken);
        var visible = (await db.Customers.AsNoTracking().VisibleTo(currentUser).Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken)).ToHashSet();
        return customers
            .Select(c => new LeadMatch(c.Id, c.Number, c.Name, c.OwnerName, reasons[c.Id], visible.Contains(c.Id)))
            .OrderByDescending(m => m.Reasons.Count).ThenByDescending(m => m.MayAttach).ThenBy(m => m.Number, StringComparer.Ordinal)
            .Take(MaxMatches).ToList();
    }

    /// <summary>The pools the caller may put a lead into: the company's, and their teams' (an Admin: every team's).</summary>
    public async Task<IReadOnlyList<LeadPool>> PoolsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var teams = currentUser.IsSystem || currentUser.IsIn(Role.Admin)
            ? db.Teams.AsNoTracking()
            : db.Teams.AsNoTracking().Where(t => t.Members.Any(m => m.UserId == currentUser.UserId));
        var named = await teams.OrderBy(t => t.Name).Select(t => new LeadPool(t.Id, t.Name)).ToListAsync(cancellationToken);
        return [new LeadPool(null, null), .. named];
    }

    /// <summary>Whom the caller may give leads to: active reps and supervisors they may assign (an Admin: all of them).</summary>
    public async Task<IReadOnlyList<LeadAssignee>> AssigneesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await OwnerAssignment.AssignableAsync(db, currentUser, cancellationToken))
            .Where(OwnerAssignment.MayOwnCustomers).Select(u => new LeadAssignee(u.Id, u.DisplayName)).ToList();
    }

    private static IQueryable<LeadRow> Rows(CrmDbContext db, IQueryable<Lead> leads) =>
        from l in leads
        select new LeadRow(l.Id, l.Version, l.Number, l.Company, l.ContactName, l.Mobile, l.Email, l.Source, l.Region, l.Status,
            l.OwnerId, l.Owner!.DisplayName, l.TeamId, l.Team!.Name, l.PendingApprovalId != null,
            db.Users.Where(u => u.Id == l.PendingOwnerId).Select(u => u.DisplayName).FirstOrDefault(), l.CreatedAt);
}
