using System.Globalization;
using System.Text.Json;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Tiering;

namespace CrmBlazor.Domain.Importing;

/// <summary>
/// One import batch's new customers, with their key contacts, custom values, imported tiers and search keys, built as
/// plain objects and written with <see cref="BulkInsert"/> inside the batch's transaction (issue 17's write speed).
/// Stamped as the audit interceptor would stamp them, with the data-quality flags a save would store
/// (<see cref="DataQuality.CustomerQuality.Of"/>) and a place in the duplicate-recheck queue; each customer gets one audit
/// entry (Create: its fields, its key contact, and the import job it came from), and the job its own Import entry when it finishes.
/// </summary>
internal sealed class ImportedCustomers(Guid jobId, DateTime now, Guid? userId, string userName)
{
    private readonly List<Customer> _customers = [];
    private readonly List<Contact> _contacts = [];
    private readonly List<CustomFieldValue> _values = [];
    private readonly List<TierChange> _tiers = [];
    private readonly List<CustomerSearchToken> _tokens = [];
    private readonly List<AuditEntry> _audit = [];
    private readonly List<DataQuality.DuplicateRecheck> _rechecks = [];

    /// <summary>Adds a new customer (its number given, its stamps set here) with its key contact and custom values.</summary>
    public void Add(Customer customer, Contact contact, IEnumerable<CustomFieldValue> values, string? tier, string? tierReason)
    {
        Stamp(customer);
        Stamp(contact);
        contact.CustomerId = customer.Id;
        customer.QualityProblems = DataQuality.CustomerQuality.Of(customer, [contact]);
        _customers.Add(customer);
        _contacts.Add(contact);
        _rechecks.Add(new DataQuality.DuplicateRecheck { CustomerId = customer.Id });
        _values.AddRange(values);
        if (tier is not null)
        {
            (customer.Tier, customer.TierOverride, customer.TierOverrideReason) = (tier, tier, tierReason);
            _tiers.Add(new TierChange { CustomerId = customer.Id, ToTier = tier, IsOverride = true, Reason = tierReason!, At = now, ByName = userName });
        }
        _tokens.AddRange(CustomerSearch.TokensOf(customer, [contact]).Select(t => new CustomerSearchToken { CustomerId = customer.Id, Kind = t.Kind, Token = t.Token }));
        _audit.Add(new AuditEntry
        {
            At = now,
            UserId = userId,
            UserName = userName,
            Action = AuditAction.Create,
            EntityType = nameof(Customer),
            EntityId = customer.Id.ToString(),
            Changes = JsonSerializer.Serialize(Fields(customer, contact).Where(f => f.After is not null).ToList()),
        });
    }

    /// <summary>The rows <see cref="WriteAsync"/> writes, in every table.</summary>
    public int RowCount => _customers.Count + _contacts.Count + _values.Count + _tiers.Count + _tokens.Count + _audit.Count + _rechecks.Count;

    public async Task WriteAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        await BulkInsert.AddAsync(db, _customers, cancellationToken);
        await BulkInsert.AddAsync(db, _contacts, cancellationToken);
        await BulkInsert.AddAsync(db, _values, cancellationToken);
        await BulkInsert.AddAsync(db, _tiers, cancellationToken);
        await BulkInsert.AddAsync(db, _tokens, cancellationToken);
        await BulkInsert.AddAsync(db, _audit, cancellationToken);
        // Their duplicate pairs are found by the queue.
        await BulkInsert.AddAsync(db, _rechecks, cancellationToken);
    }

    private void Stamp(Common.AuditableEntity entity)
    {
        entity.CreatedAt = entity.UpdatedAt = now;
        entity.CreatedBy = entity.UpdatedBy = userId;
        entity.Version = 1;
    }

    private IEnumerable<FieldChange> Fields(Customer c, Contact k) =>
    [
        new(nameof(Customer.Number), null, c.Number), new(nameof(Customer.Name), null, c.Name), new(nameof(Customer.ExternalCode), null, c.ExternalCode),
        new(nameof(Customer.Industry), null, c.Industry), new(nameof(Customer.Size), null, c.Size), new(nameof(Customer.Status), null, c.Status),
        new(nameof(Customer.Province), null, c.Province), new(nameof(Customer.City), null, c.City), new(nameof(Customer.District), null, c.District),
        new(nameof(Customer.Street), null, c.Street), new(nameof(Customer.Website), null, c.Website), new(nameof(Customer.Tier), null, c.TierOverride),
        new(nameof(Customer.CooperationHistory), null, c.CooperationHistory), new(nameof(Customer.Notes), null, c.Notes),
        new(nameof(Customer.OwnerId), null, c.OwnerId?.ToString()), new(nameof(Customer.LastContactAt), null, c.LastContactAt?.ToString("O", CultureInfo.InvariantCulture)),
        new("KeyContact", null, string.Join(" / ", new[] { k.Name, k.Title, k.Mobile, k.Landline, k.Email }.Where(v => v is not null))),
        new("ImportJob", null, jobId.ToString()),
    ];
}
