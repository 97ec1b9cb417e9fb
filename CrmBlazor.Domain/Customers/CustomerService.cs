using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Customers;

public sealed record CustomerListItem(Guid Id, string Number, string Name, string? Industry, string Status, string? OwnerName, DateTime UpdatedAt);

public sealed record CustomerListQuery(string? Search = null, int Page = 0, int PageSize = 50);

public sealed record NewContact(string Name, string? Title, string? Mobile, string? Email);

public sealed record NewCustomer(string Name, string? Industry, string? Region, string? Notes, NewContact KeyContact, Guid? OwnerId = null);

/// <summary>What an edit form sends back: the fields and the <see cref="Version"/> the user started from.</summary>
public sealed record CustomerEdit(Guid Id, int Version, string Name, string? Industry, string? Region, string? Notes);

/// <summary>
/// Customer archive operations. Every call checks the permission matrix and the record scope first;
/// a refused call throws before anything is written.
/// </summary>
public sealed class CustomerService(
    IDbContextFactory<CrmDbContext> dbFactory,
    ICurrentUser currentUser,
    Permissions permissions,
    ILiveEvents liveEvents,
    TimeProvider time)
{
    public async Task<PagedResult<CustomerListItem>> ListAsync(CustomerListQuery query, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customers = db.Customers.AsNoTracking().VisibleTo(currentUser);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            customers = customers.Where(c => c.Number.StartsWith(term) || c.Name.Contains(term));
        }
        var total = await customers.CountAsync(cancellationToken);
        var items = await customers.OrderBy(c => c.Number).ThenBy(c => c.Id)
            .Skip(query.Page * query.PageSize).Take(query.PageSize)
            .Select(c => new CustomerListItem(c.Id, c.Number, c.Name, c.Industry, c.Status, c.Owner!.DisplayName, c.UpdatedAt))
            .ToListAsync(cancellationToken);
        return new PagedResult<CustomerListItem>(items, total);
    }

    /// <summary>One customer with its contacts; one outside the caller's scope is refused, not merely hidden.</summary>
    public async Task<Customer> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await db.Customers.AsNoTracking().VisibleTo(currentUser)
            .Include(c => c.Contacts).Include(c => c.Owner)
            .SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (customer is not null)
        {
            return customer;
        }
        if (await db.Customers.AnyAsync(c => c.Id == id, cancellationToken))
        {
            throw new AccessDeniedException("Error.CustomerOutOfScope", "This customer belongs to someone else's portfolio.");
        }
        throw new NotFoundException(nameof(Customer), id);
    }

    public async Task<Customer> CreateAsync(NewCustomer input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Create);
        Validate(input.Name, input.KeyContact.Name);
        var ownerId = currentUser.IsIn(Role.SalesRep) && !currentUser.IsIn(Role.Supervisor) && !currentUser.IsIn(Role.Admin)
            ? currentUser.UserId // a rep creates for their own portfolio
            : input.OwnerId ?? currentUser.UserId;

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        var customer = await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var created = new Customer
            {
                Number = await CustomerNumbers.NextAsync(db, time.GetLocalNow().Year, cancellationToken),
                Name = input.Name.Trim(),
                Industry = input.Industry,
                Region = input.Region,
                Notes = input.Notes,
                OwnerId = ownerId,
                Contacts =
                [
                    new Contact { Name = input.KeyContact.Name.Trim(), Title = input.KeyContact.Title, Mobile = input.KeyContact.Mobile, Email = input.KeyContact.Email, IsKey = true },
                ],
            };
            db.Customers.Add(created);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return created;
        });
        await PublishChangedAsync(db, customer, cancellationToken);
        return customer;
    }

    public async Task<Customer> UpdateAsync(CustomerEdit edit, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Edit);
        Validate(edit.Name, contactName: null);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await db.Customers.VisibleTo(currentUser).SingleOrDefaultAsync(c => c.Id == edit.Id, cancellationToken)
            ?? throw new NotFoundException(nameof(Customer), edit.Id);

        // The version the user saw is the one the UPDATE checks: a newer row means someone else saved first.
        db.Entry(customer).Property(c => c.Version).OriginalValue = edit.Version;
        customer.Name = edit.Name.Trim();
        customer.Industry = edit.Industry;
        customer.Region = edit.Region;
        customer.Notes = edit.Notes;
        await SaveOrConflictAsync(db, customer.Id, cancellationToken);
        await PublishChangedAsync(db, customer, cancellationToken);
        return customer;
    }

    public async Task DeleteAsync(Guid id, int version, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Delete);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await db.Customers.VisibleTo(currentUser).Include(c => c.Contacts).SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new NotFoundException(nameof(Customer), id);
        db.Entry(customer).Property(c => c.Version).OriginalValue = version;
        db.Customers.Remove(customer);
        await SaveOrConflictAsync(db, id, cancellationToken);
        await PublishChangedAsync(db, customer, cancellationToken);
    }

    private static async Task SaveOrConflictAsync(CrmDbContext db, Guid id, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConcurrencyConflictException(nameof(Customer), id);
        }
    }

    private async Task PublishChangedAsync(CrmDbContext db, Customer customer, CancellationToken cancellationToken)
    {
        var teamId = customer.OwnerId is { } ownerId
            ? await db.Users.Where(u => u.Id == ownerId).Select(u => u.TeamId).SingleOrDefaultAsync(cancellationToken)
            : null;
        await liveEvents.PublishAsync(
            new CustomerChanged(customer.Id, customer.Version, currentUser.UserId, currentUser.DisplayName)
            {
                Audience = RecordScope.AudienceOf(customer.OwnerId, teamId),
            },
            cancellationToken);
    }

    private static void Validate(string name, string? contactName)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add(new ValidationError(nameof(Customer.Name), "Validation.NameRequired", "The legal name is required."));
        }
        if (contactName is not null && string.IsNullOrWhiteSpace(contactName))
        {
            errors.Add(new ValidationError("KeyContact.Name", "Validation.ContactNameRequired", "The key contact needs a name."));
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }
}
