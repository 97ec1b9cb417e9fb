using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tiering;

public sealed record OrderInput(Guid CustomerId, string? Number, DateOnly? SignedOn, decimal? Amount, string? Product, bool IsRenewal);

/// <summary>The customer's KPIs from its orders (SPEC F3 → E1), as the 360 page shows them.</summary>
public sealed record OrderFigures(decimal Last12Months, decimal CalendarYear, int Years, decimal? RenewalRate, int Orders);

/// <summary>Orders of customers the caller may see (SPEC F3, the part tiering needs): entered by form, listed, removed.</summary>
public sealed class OrderService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, ILiveEvents liveEvents, CompanyClock clock)
{
    public async Task<Order> AddAsync(OrderInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Create);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await db.VisibleCustomerAsync(currentUser, input.CustomerId, cancellationToken);
        var errors = new List<ValidationError>();
        var number = input.Number?.Trim();
        if (string.IsNullOrEmpty(number))
        {
            errors.Add(new ValidationError(nameof(Order.Number), "Validation.OrderNumberRequired", "Give the order or contract number."));
        }
        else if (await db.Orders.AnyAsync(o => o.Number == number, cancellationToken))
        {
            errors.Add(new ValidationError(nameof(Order.Number), "Validation.OrderNumberTaken", $"Order {number} exists already.", number));
        }
        if (input.SignedOn is not { } signed || signed > clock.Today)
        {
            errors.Add(new ValidationError(nameof(Order.SignedOn), "Validation.OrderDate", "Give the signing date (not in the future)."));
        }
        if (input.Amount is not (> 0 and < 10_000_000_000m))
        {
            errors.Add(new ValidationError(nameof(Order.Amount), "Validation.OrderAmount", "The amount is a positive number of yuan."));
        }
        ValidationFailedException.ThrowIfAny(errors);
        var order = new Order { CustomerId = customer.Id, Number = number!, SignedOn = input.SignedOn!.Value, Amount = input.Amount!.Value, Product = string.IsNullOrWhiteSpace(input.Product) ? null : input.Product.Trim(), IsRenewal = input.IsRenewal };
        db.Orders.Add(order);
        RecordChange(db, customer);
        await db.SaveChangesAsync(cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return order;
    }

    public async Task DeleteAsync(Guid orderId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Delete);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken) ?? throw new NotFoundException(nameof(Order), orderId);
        var customer = await db.VisibleCustomerAsync(currentUser, order.CustomerId, cancellationToken);
        db.Orders.Remove(order);
        RecordChange(db, customer);
        await db.SaveChangesAsync(cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
    }

    public async Task<IReadOnlyList<Order>> ListAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.VisibleCustomerAsync(currentUser, customerId, cancellationToken);
        return await db.Orders.AsNoTracking().Where(o => o.CustomerId == customerId).OrderByDescending(o => o.SignedOn).ThenBy(o => o.Number).ToListAsync(cancellationToken);
    }

    /// <summary>Annual amount (last 12 months and this calendar year), years of cooperation and renewal rate, as tiering counts them.</summary>
    public static OrderFigures FiguresOf(IReadOnlyCollection<Order> orders, DateOnly today)
    {
        if (orders.Count == 0)
        {
            return new OrderFigures(0, 0, 0, null, 0);
        }
        var since = today.AddMonths(-12);
        return new OrderFigures(
            orders.Where(o => o.SignedOn > since).Sum(o => o.Amount),
            orders.Where(o => o.SignedOn.Year == today.Year).Sum(o => o.Amount),
            TierService.WholeYears(orders.Min(o => o.SignedOn), today),
            orders.Count > 1 ? (decimal)orders.Count(o => o.IsRenewal) / (orders.Count - 1) : null,
            orders.Count);
    }

    private void RecordChange(CrmDbContext db, Customer customer) =>
        db.RecordLiveEvent(new CustomerChanged(customer.Id, customer.Version, currentUser.UserId, currentUser.DisplayName)
        {
            Audience = RecordScope.AudienceOf(customer),
        });
}

/// <summary>Orders on the customer's timeline: number, amount, renewal or not.</summary>
public sealed class OrderTimelineSource : ITimelineSource
{
    public const string Kind = "order";

    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(CrmDbContext db, Customer customer, CancellationToken cancellationToken)
    {
        var orders = await db.Orders.AsNoTracking().Where(o => o.CustomerId == customer.Id).OrderByDescending(o => o.SignedOn).Take(100).ToListAsync(cancellationToken);
        return orders.Select(o => new TimelineEntry(o.SignedOn.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), Kind, null,
            [o.Number, o.Amount.ToString("N2", System.Globalization.CultureInfo.InvariantCulture), o.IsRenewal ? "renewal" : "new"], o.Product)).ToList();
    }
}
