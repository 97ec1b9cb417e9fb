using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Tiering;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>One line as the quote editor sends it; a unit price left empty is the product's list price.</summary>
public sealed record QuoteLineInput(Guid ProductId, decimal Quantity, long? UnitPriceFen, decimal DiscountPercent);

/// <summary>A draft's editable part: valid-until and all its lines, in order.</summary>
public sealed record QuoteDraft(DateOnly? ValidUntil, IReadOnlyList<QuoteLineInput> Lines);

/// <summary>
/// Quotes for opportunities (SPEC F3), on customers the caller may see: a first quote or a new revision (copying the
/// latest's lines), a draft's lines edited, sent, then accepted or rejected — each step at the version the user saw.
/// Accepting makes the quote final for its opportunity and writes the customer's <see cref="Order"/> with the quote's
/// lines and total, signed today in the company's time zone: the order then counts in the annual amount and the tier.
/// </summary>
public sealed class QuoteService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, ILiveEvents liveEvents, CompanyClock clock)
{
    public const int MaxLines = 200;
    public const decimal MaxQuantity = 1_000_000m;

    /// <summary>How long a new quote is valid by default.</summary>
    public const int DefaultValidDays = 30;

    /// <summary>
    /// A new quote for the opportunity: v1 with no lines, or the next revision with the latest revision's lines (and its
    /// valid-until while that is not past). Refused once a quote of the opportunity was accepted, or when it was lost.
    /// </summary>
    public async Task<Quote> CreateAsync(Guid opportunityId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Create);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var opportunity = await db.Opportunities.AsNoTracking().SingleOrDefaultAsync(o => o.Id == opportunityId, cancellationToken)
            ?? throw new NotFoundException(nameof(Opportunity), opportunityId);
        var customer = await db.VisibleCustomerAsync(currentUser, opportunity.CustomerId, cancellationToken);
        if (opportunity.Stage == OpportunityStage.Lost)
        {
            throw new ValidationFailedException([new ValidationError(nameof(Quote.OpportunityId), "Validation.OpportunityClosed", "This opportunity is already won or lost.")]);
        }
        await EnsureNotFinalAsync(db, opportunityId, cancellationToken);
        var latest = await db.Quotes.AsNoTracking().Include(q => q.Lines).Where(q => q.OpportunityId == opportunityId)
            .OrderByDescending(q => q.Revision).FirstOrDefaultAsync(cancellationToken);
        var today = clock.Today;
        var quote = new Quote
        {
            Number = latest?.Number ?? "",
            Revision = (latest?.Revision ?? 0) + 1,
            OpportunityId = opportunityId,
            Status = QuoteStatus.Draft,
            ValidUntil = latest is not null && latest.ValidUntil >= today ? latest.ValidUntil : today.AddDays(DefaultValidDays),
            Lines = latest?.Lines.OrderBy(l => l.Position).Select(l => new QuoteLine
            {
                Position = l.Position, ProductId = l.ProductId, ProductCode = l.ProductCode, ProductName = l.ProductName, Unit = l.Unit,
                Quantity = l.Quantity, UnitPriceFen = l.UnitPriceFen, DiscountPercent = l.DiscountPercent, LineTotalFen = l.LineTotalFen,
            }).ToList() ?? [],
        };
        quote.TotalFen = quote.Lines.Sum(l => l.LineTotalFen);
        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            await strategy.ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (latest is null)
                {
                    var year = today.Year;
                    var next = await NumberSequences.NextAsync(db, $"quote:{year}", cancellationToken);
                    quote.Number = string.Create(CultureInfo.InvariantCulture, $"QT{year}{next:0000}");
                }
                db.Quotes.Add(quote);
                RecordChange(db, customer);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            });
        }
        catch (DbUpdateException)
        {
            // Another user added this revision a moment earlier (the unique opportunity + revision).
            throw new ConcurrencyConflictException(nameof(Quote), opportunityId);
        }
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return quote;
    }

    /// <summary>Replaces a draft's valid-until and lines; each line's total and the quote's are computed here (<see cref="QuotePricing"/>).</summary>
    public async Task<Quote> SaveDraftAsync(Guid id, int version, QuoteDraft draft, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (quote, customer) = await LoadAsync(db, id, version, QuoteStatus.Draft, cancellationToken);
        var errors = new List<ValidationError>();
        if (draft.ValidUntil is not { } validUntil || validUntil < clock.Today)
        {
            errors.Add(new ValidationError(nameof(Quote.ValidUntil), "Validation.QuoteValidUntil", "Give the day the quote is valid until (today or later)."));
        }
        if (draft.Lines.Count > MaxLines)
        {
            errors.Add(new ValidationError(nameof(Quote.Lines), "Validation.QuoteTooManyLines", $"A quote has at most {MaxLines} lines.", MaxLines));
        }
        var productIds = draft.Lines.Select(l => l.ProductId).Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var onDraft = quote.Lines.Select(l => l.ProductId).ToHashSet();
        var lines = new List<QuoteLine>();
        foreach (var (input, index) in draft.Lines.Select((l, i) => (l, i)))
        {
            var position = index + 1;
            // An inactive product is not offered any more, but a copied line that has it may stay.
            if (!products.TryGetValue(input.ProductId, out var product) || (!product.IsActive && !onDraft.Contains(product.Id)))
            {
                errors.Add(new ValidationError($"Lines[{index}].{nameof(QuoteLine.ProductId)}", "Validation.QuoteLineProduct", $"Line {position}: choose an active product.", position));
                continue;
            }
            if (input.Quantity is not (> 0 and <= MaxQuantity) || decimal.Round(input.Quantity, 2) != input.Quantity)
            {
                errors.Add(new ValidationError($"Lines[{index}].{nameof(QuoteLine.Quantity)}", "Validation.QuoteLineQuantity", $"Line {position}: the quantity is more than 0, up to 1,000,000, with at most two decimals.", position));
            }
            var unitPrice = input.UnitPriceFen ?? product.ListPriceFen;
            if (unitPrice is < 0 or > ProductService.MaxPriceFen)
            {
                errors.Add(new ValidationError($"Lines[{index}].{nameof(QuoteLine.UnitPriceFen)}", "Validation.QuoteLinePrice", $"Line {position}: the unit price is zero or more, up to 10,000,000 yuan.", position));
            }
            if (input.DiscountPercent is < 0 or > 100 || decimal.Round(input.DiscountPercent, 2) != input.DiscountPercent)
            {
                errors.Add(new ValidationError($"Lines[{index}].{nameof(QuoteLine.DiscountPercent)}", "Validation.QuoteLineDiscount", $"Line {position}: the discount is between 0 and 100 %, with at most two decimals.", position));
            }
            lines.Add(new QuoteLine
            {
                QuoteId = quote.Id, Position = position, ProductId = product.Id, ProductCode = product.Code, ProductName = product.Name, Unit = product.Unit,
                Quantity = input.Quantity, UnitPriceFen = unitPrice, DiscountPercent = input.DiscountPercent,
                LineTotalFen = QuotePricing.LineTotalFen(input.Quantity, unitPrice, input.DiscountPercent),
            });
        }
        ValidationFailedException.ThrowIfAny(errors);
        db.QuoteLines.RemoveRange(quote.Lines);
        db.QuoteLines.AddRange(lines);
        quote.ValidUntil = draft.ValidUntil!.Value;
        quote.TotalFen = lines.Sum(l => l.LineTotalFen);
        // The quote row is written (and its version checked) even when only its lines changed.
        db.Entry(quote).Property(q => q.TotalFen).IsModified = true;
        RecordChange(db, customer);
        await db.SaveOrConflictAsync(quote, cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        quote.Lines = lines;
        return quote;
    }

    /// <summary>Draft → sent: the lines are frozen from now on.</summary>
    public async Task<Quote> SendAsync(Guid id, int version, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (quote, customer) = await LoadAsync(db, id, version, QuoteStatus.Draft, cancellationToken);
        if (quote.Lines.Count == 0)
        {
            throw new ValidationFailedException([new ValidationError(nameof(Quote.Lines), "Validation.QuoteNoLines", "Add at least one line before sending the quote.")]);
        }
        if (quote.ValidUntil < clock.Today)
        {
            throw Expired();
        }
        await EnsureNotFinalAsync(db, quote.OpportunityId, cancellationToken);
        quote.Status = QuoteStatus.Sent;
        quote.SentAt = clock.UtcNow;
        RecordChange(db, customer);
        await db.SaveOrConflictAsync(quote, cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return quote;
    }

    /// <summary>The customer declined this revision: sent → rejected (a new revision may follow).</summary>
    public async Task<Quote> RejectAsync(Guid id, int version, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (quote, customer) = await LoadAsync(db, id, version, QuoteStatus.Sent, cancellationToken);
        quote.Status = QuoteStatus.Rejected;
        quote.DecidedAt = clock.UtcNow;
        RecordChange(db, customer);
        await db.SaveOrConflictAsync(quote, cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return quote;
    }

    /// <summary>
    /// The customer accepted this revision: sent → accepted, and the order written in the same save — number = the quote's
    /// display number, amount = its total, signed today (company time zone), its lines copied. Once per opportunity: a
    /// second acceptance (another revision, or the same one twice at once) is refused, the unique order per opportunity
    /// deciding a race.
    /// </summary>
    public async Task<Order> AcceptAsync(Guid id, int version, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Edit);
        permissions.Demand(currentUser, Module.Pipeline, Operation.Create); // it writes an order, as OrderService.AddAsync
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (quote, customer) = await LoadAsync(db, id, version, QuoteStatus.Sent, cancellationToken);
        if (quote.ValidUntil < clock.Today)
        {
            throw Expired();
        }
        if (quote.TotalFen <= 0)
        {
            throw new ValidationFailedException([new ValidationError(nameof(Order.Amount), "Validation.OrderAmount", "The amount is a positive number of yuan.")]);
        }
        await EnsureNotFinalAsync(db, quote.OpportunityId, cancellationToken);
        var number = quote.DisplayNumber;
        if (await db.Orders.AnyAsync(o => o.Number == number, cancellationToken))
        {
            throw new ValidationFailedException([new ValidationError(nameof(Order.Number), "Validation.OrderNumberTaken", $"Order {number} exists already.", number)]);
        }
        var lines = quote.Lines.OrderBy(l => l.Position).ToList();
        var order = new Order
        {
            CustomerId = customer.Id,
            Number = number,
            SignedOn = clock.Today,
            AmountFen = quote.TotalFen,
            Product = ProductSummary(lines),
            OpportunityId = quote.OpportunityId,
            QuoteId = quote.Id,
            Lines = lines.Select(l => new OrderLine
            {
                Position = l.Position, ProductId = l.ProductId, ProductCode = l.ProductCode, ProductName = l.ProductName, Unit = l.Unit,
                Quantity = l.Quantity, UnitPriceFen = l.UnitPriceFen, DiscountPercent = l.DiscountPercent, LineTotalFen = l.LineTotalFen,
            }).ToList(),
        };
        db.Orders.Add(order);
        quote.Status = QuoteStatus.Accepted;
        quote.DecidedAt = clock.UtcNow;
        RecordChange(db, customer);
        try
        {
            await db.SaveOrConflictAsync(quote, cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            await EnsureNotFinalAsync(db, quote.OpportunityId, cancellationToken);
            throw;
        }
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return order;
    }

    /// <summary>The order's free-text product column (as hand-entered orders have it): the lines' names, within its 500 characters.</summary>
    private static string ProductSummary(IEnumerable<QuoteLine> lines)
    {
        var text = string.Join("、", lines.Select(l => l.ProductName).Distinct());
        return text.Length <= 500 ? text : string.Concat(text.AsSpan(0, 499), "…");
    }

    private static ValidationFailedException Expired() =>
        new([new ValidationError(nameof(Quote.ValidUntil), "Validation.QuoteExpired", "This quote is past its valid-until day: make a new revision.")]);

    /// <summary>Refuses when a quote of the opportunity was accepted: that one is final.</summary>
    private static async Task EnsureNotFinalAsync(CrmDbContext db, Guid opportunityId, CancellationToken cancellationToken)
    {
        if (await db.Quotes.AnyAsync(q => q.OpportunityId == opportunityId && q.Status == QuoteStatus.Accepted, cancellationToken)
            || await db.Orders.AnyAsync(o => o.OpportunityId == opportunityId, cancellationToken))
        {
            throw new ValidationFailedException([new ValidationError(nameof(Quote.Status), "Validation.QuoteAlreadyAccepted", "A quote of this opportunity was accepted already; it is final.")]);
        }
    }

    /// <summary>The quote with its lines, if its customer is in the caller's scope, at the version the user saw and in the status the step starts from.</summary>
    private async Task<(Quote, Customer)> LoadAsync(CrmDbContext db, Guid id, int version, QuoteStatus expected, CancellationToken cancellationToken)
    {
        var quote = await db.Quotes.Include(q => q.Lines).SingleOrDefaultAsync(q => q.Id == id, cancellationToken) ?? throw new NotFoundException(nameof(Quote), id);
        var customerId = await db.Opportunities.Where(o => o.Id == quote.OpportunityId).Select(o => o.CustomerId).SingleAsync(cancellationToken);
        var customer = await db.VisibleCustomerAsync(currentUser, customerId, cancellationToken);
        db.ExpectVersion(quote, version);
        if (quote.Version != version)
        {
            throw new ConcurrencyConflictException(nameof(Quote), id);
        }
        if (quote.Status != expected)
        {
            throw new ValidationFailedException([expected == QuoteStatus.Draft
                ? new ValidationError(nameof(Quote.Status), "Validation.QuoteNotDraft", "Only a draft quote can be changed or sent; make a new revision.")
                : new ValidationError(nameof(Quote.Status), "Validation.QuoteNotSent", "Only a sent quote can be accepted or rejected.")]);
        }
        return (quote, customer);
    }

    /// <summary>The customer's pages (360, orders, tier) refresh, as after an order entered by hand.</summary>
    private void RecordChange(CrmDbContext db, Customer customer) =>
        db.RecordLiveEvent(new CustomerChanged(customer.Id, customer.Version, currentUser.UserId, currentUser.DisplayName)
        {
            Audience = RecordScope.AudienceOf(customer),
        });
}
