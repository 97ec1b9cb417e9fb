using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Pipeline;

public sealed record QuoteLineView(int Position, Guid ProductId, string ProductCode, string ProductName, string Unit, decimal Quantity, long UnitPriceFen, decimal DiscountPercent, long LineTotalFen);

/// <summary>One revision in the opportunity's list.</summary>
public sealed record QuoteSummary(Guid Id, int Version, string Number, int Revision, QuoteStatus Status, DateOnly ValidUntil, long TotalFen)
{
    public string DisplayNumber => QuotePricing.DisplayNumber(Number, Revision);
}

/// <summary>The quote page: the quote, its lines, its opportunity and customer, the other revisions and the order it became.</summary>
public sealed record QuoteView(
    Guid Id, int Version, string Number, int Revision, QuoteStatus Status, DateOnly ValidUntil, long TotalFen, DateTime CreatedAt, DateTime? SentAt, DateTime? DecidedAt,
    Guid OpportunityId, string OpportunityNumber, string OpportunityName, Guid CustomerId, string CustomerNumber, string CustomerName,
    IReadOnlyList<QuoteLineView> Lines, IReadOnlyList<QuoteSummary> Revisions, string? OrderNumber)
{
    public string DisplayNumber => QuotePricing.DisplayNumber(Number, Revision);

    /// <summary>A quote of this opportunity was accepted: no revision may be added, sent or accepted any more.</summary>
    public bool OpportunityIsFinal => Revisions.Any(r => r.Status == QuoteStatus.Accepted);

    /// <summary>The newest revision: the one a new revision copies.</summary>
    public bool IsLatest => Revisions.Count == 0 || Revisions.Max(r => r.Revision) == Revision;
}

/// <summary>Reads quotes within the caller's record scope (that of their opportunity's customer, SPEC A3).</summary>
public sealed class QuoteQueries(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions)
{
    public async Task<QuoteView> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var head = await (
            from quote in db.Quotes.AsNoTracking()
            join o in db.Opportunities on quote.OpportunityId equals o.Id
            where quote.Id == id
            select new { Quote = quote, o.Number, o.Name, o.CustomerId }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException(nameof(Quote), id);
        var customer = await db.VisibleCustomerAsync(currentUser, head.CustomerId, cancellationToken);
        var lines = await db.QuoteLines.AsNoTracking().Where(l => l.QuoteId == id).OrderBy(l => l.Position)
            .Select(l => new QuoteLineView(l.Position, l.ProductId, l.ProductCode, l.ProductName, l.Unit, l.Quantity, l.UnitPriceFen, l.DiscountPercent, l.LineTotalFen))
            .ToListAsync(cancellationToken);
        var revisions = await RevisionsAsync(db, head.Quote.OpportunityId, cancellationToken);
        var order = await db.Orders.AsNoTracking().Where(o => o.QuoteId == id).Select(o => o.Number).SingleOrDefaultAsync(cancellationToken);
        var q = head.Quote;
        return new QuoteView(q.Id, q.Version, q.Number, q.Revision, q.Status, q.ValidUntil, q.TotalFen, q.CreatedAt, q.SentAt, q.DecidedAt,
            q.OpportunityId, head.Number, head.Name, customer.Id, customer.Number, customer.Name, lines, revisions, order);
    }

    /// <summary>The opportunity's quotes, newest revision first.</summary>
    public async Task<IReadOnlyList<QuoteSummary>> ForOpportunityAsync(Guid opportunityId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customerId = await db.Opportunities.Where(o => o.Id == opportunityId).Select(o => (Guid?)o.CustomerId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException(nameof(Opportunity), opportunityId);
        await db.VisibleCustomerAsync(currentUser, customerId, cancellationToken);
        return await RevisionsAsync(db, opportunityId, cancellationToken);
    }

    /// <summary>The quotes of a customer's opportunities, by opportunity, newest revision first (the 360 page's Opportunities tab).</summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<QuoteSummary>>> ForCustomerAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await db.VisibleCustomerAsync(currentUser, customerId, cancellationToken);
        var quotes = await (
            from q in db.Quotes.AsNoTracking()
            join o in db.Opportunities on q.OpportunityId equals o.Id
            where o.CustomerId == customer.Id
            select new { q.OpportunityId, Summary = new QuoteSummary(q.Id, q.Version, q.Number, q.Revision, q.Status, q.ValidUntil, q.TotalFen) })
            .ToListAsync(cancellationToken);
        return quotes.GroupBy(q => q.OpportunityId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<QuoteSummary>)[.. g.Select(q => q.Summary).OrderByDescending(q => q.Revision)]);
    }

    private static async Task<IReadOnlyList<QuoteSummary>> RevisionsAsync(CrmDbContext db, Guid opportunityId, CancellationToken cancellationToken) =>
        await db.Quotes.AsNoTracking().Where(q => q.OpportunityId == opportunityId).OrderByDescending(q => q.Revision)
            .Select(q => new QuoteSummary(q.Id, q.Version, q.Number, q.Revision, q.Status, q.ValidUntil, q.TotalFen))
            .ToListAsync(cancellationToken);
}
