using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Customers;

/// <summary>The fields of the customer form. Codes come from dictionaries.</summary>
public sealed record CustomerInput
{
    public string Name { get; init; } = "";
    public string? Industry { get; init; }
    public string? Size { get; init; }
    public string? Province { get; init; }
    public string? City { get; init; }
    public string? District { get; init; }
    public string? Street { get; init; }
    public string? Website { get; init; }
    public string? CooperationHistory { get; init; }
    public string? Notes { get; init; }

    /// <summary>Only a Supervisor or Admin may choose the owner; a rep's customers are their own.</summary>
    public Guid? OwnerId { get; init; }

    public IReadOnlyList<CustomValue> CustomValues { get; init; } = [];

    /// <summary>Leave the stored custom values as they are (an API client that does not send them); <see cref="CustomValues"/> is then not read.</summary>
    public bool KeepsCustomValues { get; init; }
}

public sealed record ContactInput(string Name, string? Title = null, string? Mobile = null, string? Landline = null, string? Email = null, bool IsKey = false);

/// <summary>
/// Changes to the customer archive (SPEC B1–B3, E2). Every call checks the permission matrix and the
/// record scope first, validates everything before writing, and publishes <see cref="CustomerChanged"/>
/// after a successful save.
/// </summary>
public sealed class CustomerService(
    IDbContextFactory<CrmDbContext> dbFactory,
    ICurrentUser currentUser,
    Permissions permissions,
    ILiveEvents liveEvents,
    CompanyClock clock,
    Uploads.UploadedFiles uploadedFiles)
{
    public async Task<Customer> CreateAsync(CustomerInput input, ContactInput keyContact, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Create);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await ValidNewAsync(db, input, keyContact, cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await AddNewAsync(db, customer, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return customer;
    }

    /// <summary>A new customer with its key contact, checked as the form is (throws every problem at once), not yet added.</summary>
    internal async Task<Customer> ValidNewAsync(CrmDbContext db, CustomerInput input, ContactInput keyContact, CancellationToken cancellationToken)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Create);
        var customer = new Customer { Number = "", Name = "", OwnerId = currentUser.UserId };
        var errors = new List<ValidationError>();
        await ApplyAsync(db, customer, input, errors, cancellationToken);
        await ApplyOwnerAsync(db, customer, input.OwnerId, errors, cancellationToken);
        var contact = ValidContact(keyContact with { IsKey = true }, "KeyContact", errors);
        ValidationFailedException.ThrowIfAny(errors);
        customer.Contacts.Add(contact!);
        return customer;
    }

    /// <summary>Numbers and adds a customer from <see cref="ValidNewAsync"/> with its search keys and live event; call inside the caller's transaction.</summary>
    internal async Task AddNewAsync(CrmDbContext db, Customer customer, CancellationToken cancellationToken)
    {
        customer.Number = await CustomerNumbers.NextAsync(db, clock.Today.Year, cancellationToken);
        db.Customers.Add(customer);
        await CustomerSearch.RefreshAsync(db, customer, customer.Contacts, cancellationToken);
        await RecordChangedAsync(db, customer, cancellationToken);
    }

    /// <summary>Saves the form if nobody saved this customer since <paramref name="version"/>; otherwise a conflict.</summary>
    public async Task<Customer> UpdateAsync(Guid id, int version, CustomerInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await LoadForChangeAsync(db, id, version, q => q.Include(c => c.CustomValues).Include(c => c.Contacts), cancellationToken);
        var errors = new List<ValidationError>();
        await ApplyAsync(db, customer, input, errors, cancellationToken);
        await ApplyOwnerAsync(db, customer, input.OwnerId, errors, cancellationToken);
        ValidationFailedException.ThrowIfAny(errors);
        await CustomerSearch.RefreshAsync(db, customer, customer.Contacts, cancellationToken);
        await SaveOrConflictAsync(db, customer, cancellationToken);
        return customer;
    }

    /// <summary>Moves the customer along its lifecycle (SPEC B3); a reason is required and kept for the timeline.</summary>
    public async Task<Customer> ChangeStatusAsync(Guid id, int version, string status, string? reason, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Edit);
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add(new ValidationError("Reason", "Validation.StatusReasonRequired", "Say why the status changes."));
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.DictionaryItems.AnyAsync(d => d.Kind == DictionaryKind.CustomerStatus && d.Code == status && d.IsActive, cancellationToken))
        {
            errors.Add(new ValidationError(nameof(Customer.Status), "Validation.DictionaryValueUnknown", $"{status} is not an active status.", status));
        }
        ValidationFailedException.ThrowIfAny(errors);
        var customer = await LoadForChangeAsync(db, id, version, q => q, cancellationToken);
        if (customer.Status == status)
        {
            return customer;
        }
        db.CustomerStatusChanges.Add(new CustomerStatusChange
        {
            CustomerId = id,
            FromStatus = customer.Status,
            ToStatus = status,
            Reason = reason!.Trim(),
            At = clock.UtcNow,
            ById = currentUser.UserId,
            ByName = currentUser.DisplayName,
        });
        customer.Status = status;
        await SaveOrConflictAsync(db, customer, cancellationToken);
        return customer;
    }

    public async Task DeleteAsync(Guid id, int version, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Delete);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await LoadForChangeAsync(db, id, version, q => q.Include(c => c.Contacts), cancellationToken);
        var files = await Uploads.UploadedFiles.StoredNamesOfCustomersAsync(db, [customer.Id], cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await Tickets.TicketFollowUpService.DeleteVisitsOfCustomersAsync(db, [customer.Id], cancellationToken);
        await CustomerSearch.DeleteKeysAsync(db, [customer.Id], cancellationToken);
        db.Customers.Remove(customer);
        await SaveOrConflictAsync(db, customer, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        uploadedFiles.DeleteStored(files); // its demands' evidence and tickets' attachments went by cascade
    }

    public async Task<Contact> AddContactAsync(Guid customerId, ContactInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Edit);
        var errors = new List<ValidationError>();
        var contact = ValidContact(input, "Contact", errors);
        ValidationFailedException.ThrowIfAny(errors);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await VisibleCustomerAsync(db, customerId, cancellationToken);
        contact!.CustomerId = customerId;
        db.Contacts.Add(contact);
        await RefreshSearchAsync(db, customer, contact, cancellationToken);
        customer.UpdatedAt = clock.UtcNow; // the customer changed: bump its version too
        await SaveOrConflictAsync(db, customer, cancellationToken);
        return contact;
    }

    /// <summary>
    /// Adds a person to a customer loaded (tracked) in <paramref name="db"/>, inside the caller's transaction, unless one of
    /// its contacts already has their name, mobile or e-mail; true when added.
    /// </summary>
    internal async Task<bool> AddContactIfNewAsync(CrmDbContext db, Customer customer, ContactInput input, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        var contact = ValidContact(input, "Contact", errors)!;
        ValidationFailedException.ThrowIfAny(errors);
        if (await db.Contacts.AnyAsync(c => c.CustomerId == customer.Id
                && (c.Name == contact.Name || (contact.Mobile != null && c.Mobile == contact.Mobile) || (contact.Email != null && c.Email == contact.Email)), cancellationToken))
        {
            return false;
        }
        contact.CustomerId = customer.Id;
        db.Contacts.Add(contact);
        await RefreshSearchAsync(db, customer, contact, cancellationToken);
        customer.UpdatedAt = clock.UtcNow;
        await RecordChangedAsync(db, customer, cancellationToken);
        return true;
    }

    public async Task<Contact> UpdateContactAsync(Guid contactId, int version, ContactInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Edit);
        var errors = new List<ValidationError>();
        var valid = ValidContact(input, "Contact", errors);
        ValidationFailedException.ThrowIfAny(errors);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (contact, customer) = await ContactForChangeAsync(db, contactId, version, cancellationToken);
        if (contact.IsKey && !valid!.IsKey)
        {
            await EnsureAnotherKeyContactAsync(db, contact, cancellationToken);
        }
        contact.Name = valid!.Name;
        contact.Title = valid.Title;
        contact.Mobile = valid.Mobile;
        contact.Landline = valid.Landline;
        contact.Email = valid.Email;
        contact.IsKey = valid.IsKey;
        await RefreshSearchAsync(db, customer, contact, cancellationToken);
        await SaveOrConflictAsync(db, customer, cancellationToken);
        return contact;
    }

    /// <summary>The contact left the customer (已离职): kept for history, no longer a key contact.</summary>
    public async Task<Contact> MarkContactLeftAsync(Guid contactId, int version, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (contact, customer) = await ContactForChangeAsync(db, contactId, version, cancellationToken);
        if (contact.IsKey)
        {
            await EnsureAnotherKeyContactAsync(db, contact, cancellationToken);
        }
        contact.HasLeft = true;
        contact.IsKey = false;
        await SaveOrConflictAsync(db, customer, cancellationToken);
        return contact;
    }

    /// <summary>Sets exactly these tags on one customer (the 360 page's tag picker).</summary>
    public async Task SetTagsAsync(Guid customerId, IReadOnlyCollection<Guid> tagIds, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await db.Customers.VisibleTo(currentUser).Include(c => c.Tags).SingleOrDefaultAsync(c => c.Id == customerId, cancellationToken)
            ?? throw await OutOfScopeOrMissingAsync(db, customerId, cancellationToken);
        var known = await db.Tags.Where(t => tagIds.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
        customer.Tags.RemoveAll(t => !known.Contains(t.TagId));
        foreach (var tagId in known.Where(id => customer.Tags.All(t => t.TagId != id)))
        {
            customer.Tags.Add(new Tags.CustomerTag { CustomerId = customerId, TagId = tagId });
        }
        customer.UpdatedAt = clock.UtcNow;
        await SaveOrConflictAsync(db, customer, cancellationToken);
    }

    /// <summary>Adds one tag to every selected customer the caller may edit (SPEC E2 bulk tagging); returns how many gained it.</summary>
    public async Task<int> AddTagToManyAsync(Guid tagId, IReadOnlyCollection<Guid> customerIds, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Tags.AnyAsync(t => t.Id == tagId, cancellationToken))
        {
            throw new NotFoundException(nameof(Tags.Tag), tagId);
        }
        var targets = await db.Customers.VisibleTo(currentUser)
            .Where(c => customerIds.Contains(c.Id) && !c.Tags.Any(t => t.TagId == tagId))
            .Select(c => new { c.Id, c.OwnerId, c.Version })
            .ToListAsync(cancellationToken);
        db.CustomerTags.AddRange(targets.Select(c => new Tags.CustomerTag { CustomerId = c.Id, TagId = tagId }));
        foreach (var c in targets)
        {
            db.RecordLiveEvent(new CustomerChanged(c.Id, c.Version, currentUser.UserId, currentUser.DisplayName) { Audience = await db.AudienceOfAsync(c.OwnerId, cancellationToken) });
        }
        await db.SaveChangesAsync(cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return targets.Count;
    }

    /// <summary>Search keys after a contact change: the customer's stored contacts with this one as it now is.</summary>
    private static async Task RefreshSearchAsync(CrmDbContext db, Customer customer, Contact changed, CancellationToken cancellationToken)
    {
        var others = await db.Contacts.Where(c => c.CustomerId == customer.Id && c.Id != changed.Id).ToListAsync(cancellationToken);
        await CustomerSearch.RefreshAsync(db, customer, others.Append(changed), cancellationToken);
    }

    /// <summary>A new owner must be one the caller may assign (<see cref="OwnerAssignment"/>); keeping the owner it has (or, new, the caller) needs no check.</summary>
    private async Task ApplyOwnerAsync(CrmDbContext db, Customer customer, Guid? ownerId, List<ValidationError> errors, CancellationToken cancellationToken)
    {
        if (ownerId is not { } owner || owner == customer.OwnerId)
        {
            return;
        }
        if (!await OwnerAssignment.MayAssignAsync(db, currentUser, owner, cancellationToken))
        {
            errors.Add(new ValidationError(nameof(CustomerInput.OwnerId), "Validation.OwnerNotAssignable", "Choose an active user you may give customers to."));
            return;
        }
        customer.OwnerId = owner;
    }

    /// <summary>Copies the form onto the entity, checking dictionary codes and custom fields; collects every problem.</summary>
    private static async Task ApplyAsync(CrmDbContext db, Customer customer, CustomerInput input, List<ValidationError> errors, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors.Add(new ValidationError(nameof(Customer.Name), "Validation.NameRequired", "The legal name is required."));
        }
        await DictionaryChoices.CheckAsync(db, DictionaryKind.Industry, customer.Industry, input.Industry, nameof(Customer.Industry), errors, cancellationToken);
        await DictionaryChoices.CheckAsync(db, DictionaryKind.CompanySize, customer.Size, input.Size, nameof(Customer.Size), errors, cancellationToken);
        if (!string.IsNullOrWhiteSpace(input.Website) && !IsWebsite(input.Website))
        {
            errors.Add(new ValidationError(nameof(Customer.Website), "Validation.WebsiteInvalid", $"{input.Website} is not a web address.", input.Website));
        }
        var definitions = input.KeepsCustomValues ? [] : await db.CustomFields.AsNoTracking().Where(f => f.IsActive).ToListAsync(cancellationToken);
        var values = CustomFieldRules.ToStored(customer.Id, definitions, input.CustomValues, errors);

        customer.Name = input.Name.Trim();
        customer.Industry = Blank(input.Industry);
        customer.Size = Blank(input.Size);
        customer.Province = Blank(input.Province);
        customer.City = Blank(input.City);
        customer.District = Blank(input.District);
        customer.Street = Blank(input.Street);
        customer.Website = string.IsNullOrWhiteSpace(input.Website) ? null : WithScheme(input.Website);
        customer.CooperationHistory = Blank(input.CooperationHistory);
        customer.Notes = Blank(input.Notes);
        // Values of fields that are no longer active stay as they were; the others become what the form says.
        foreach (var field in definitions)
        {
            var stored = customer.CustomValues.FirstOrDefault(v => v.FieldId == field.Id);
            var given = values.FirstOrDefault(v => v.FieldId == field.Id);
            if (given is null)
            {
                if (stored is not null)
                {
                    customer.CustomValues.Remove(stored);
                }
            }
            else if (stored is null)
            {
                customer.CustomValues.Add(given);
            }
            else
            {
                (stored.Text, stored.Number, stored.Date, stored.YesNo) = (given.Text, given.Number, given.Date, given.YesNo);
            }
        }
    }

    private static Contact? ValidContact(ContactInput input, string prefix, List<ValidationError> errors)
    {
        var before = errors.Count;
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors.Add(new ValidationError($"{prefix}.Name", "Validation.ContactNameRequired", "The contact needs a name."));
        }
        var mobile = ContactRules.NormalizeMobile(input.Mobile, $"{prefix}.Mobile", errors);
        var landline = ContactRules.NormalizeLandline(input.Landline, $"{prefix}.Landline", errors);
        var email = ContactRules.NormalizeEmail(input.Email, $"{prefix}.Email", errors);
        return errors.Count > before ? null : new Contact
        {
            Name = input.Name.Trim(),
            Title = Blank(input.Title),
            Mobile = mobile,
            Landline = landline,
            Email = email,
            IsKey = input.IsKey,
        };
    }

    private static async Task EnsureAnotherKeyContactAsync(CrmDbContext db, Contact contact, CancellationToken cancellationToken)
    {
        if (!await db.Contacts.AnyAsync(c => c.CustomerId == contact.CustomerId && c.Id != contact.Id && c.IsKey && !c.HasLeft, cancellationToken))
        {
            throw new ValidationFailedException([new ValidationError("Contact.IsKey", "Validation.LastKeyContact", "A customer keeps at least one key contact: make another contact key first.")]);
        }
    }

    private async Task<Customer> LoadForChangeAsync(CrmDbContext db, Guid id, int version, Func<IQueryable<Customer>, IQueryable<Customer>> include, CancellationToken cancellationToken)
    {
        var customer = await include(db.Customers.VisibleTo(currentUser)).SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw await OutOfScopeOrMissingAsync(db, id, cancellationToken);
        db.ExpectVersion(customer, version);
        return customer;
    }

    private async Task<Customer> VisibleCustomerAsync(CrmDbContext db, Guid id, CancellationToken cancellationToken) =>
        await db.Customers.VisibleTo(currentUser).SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
        ?? throw await OutOfScopeOrMissingAsync(db, id, cancellationToken);

    private async Task<(Contact Contact, Customer Customer)> ContactForChangeAsync(CrmDbContext db, Guid contactId, int version, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.SingleOrDefaultAsync(c => c.Id == contactId, cancellationToken) ?? throw new NotFoundException(nameof(Contact), contactId);
        var customer = await VisibleCustomerAsync(db, contact.CustomerId, cancellationToken);
        db.ExpectVersion(contact, version);
        customer.UpdatedAt = clock.UtcNow;
        return (contact, customer);
    }

    private static Task<CrmException> OutOfScopeOrMissingAsync(CrmDbContext db, Guid id, CancellationToken cancellationToken) =>
        RecordScope.RefusalAsync(db.Customers, id, cancellationToken);

    private async Task SaveOrConflictAsync(CrmDbContext db, Customer customer, CancellationToken cancellationToken)
    {
        await RecordChangedAsync(db, customer, cancellationToken);
        try
        {
            await db.SaveOrConflictAsync(customer, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent save of the same customer can trip over its rows (search keys, values)
            // before the version check runs; it is the same lost race.
            if (await ChangedMeanwhileAsync(db, customer, cancellationToken))
            {
                throw new ConcurrencyConflictException(nameof(Customer), customer.Id);
            }
            throw;
        }
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
    }

    private async Task<bool> ChangedMeanwhileAsync(CrmDbContext db, Customer customer, CancellationToken cancellationToken)
    {
        var seen = db.Entry(customer).Property(c => c.Version).OriginalValue;
        await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await fresh.Customers.Where(c => c.Id == customer.Id).Select(c => (int?)c.Version).SingleOrDefaultAsync(cancellationToken);
        return stored != seen;
    }

    /// <summary>Records the customer's <see cref="CustomerChanged"/> with the next save; built as it goes out, so it carries the saved version.</summary>
    private async Task RecordChangedAsync(CrmDbContext db, Customer customer, CancellationToken cancellationToken)
    {
        var audience = await db.AudienceOfAsync(customer.OwnerId, cancellationToken);
        var (byId, byName) = (currentUser.UserId, currentUser.DisplayName);
        db.RecordLiveEvent(() => new CustomerChanged(customer.Id, customer.Version, byId, byName) { Audience = audience });
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A website as stored: "www.x.cn" becomes "https://www.x.cn" (the form and the import alike).</summary>
    public static string WithScheme(string url) => HasScheme(url) ? url : "https://" + url;

    /// <summary>"scheme://…" with a scheme as RFC 3986 spells it; "x.cn/?a=://" has none.</summary>
    private static bool HasScheme(string url)
    {
        var end = url.IndexOf("://", StringComparison.Ordinal);
        return end > 0 && char.IsAsciiLetter(url[0]) && url[..end].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
    }

    /// <summary>
    /// Whether a website the user typed is an absolute http or https address once it has a scheme, with a
    /// host and no whitespace or control character anywhere: the value is later rendered as a link, so
    /// javascript:, data:, vbscript: and values a browser would strip into another scheme are refused.
    /// </summary>
    public static bool IsWebsite(string url) => IsSafeLink(WithScheme(url));

    /// <summary>Whether a stored value may become a link: an absolute http(s) address with a host (values stored before the rule may not be).</summary>
    public static bool IsSafeLink(string? url) =>
        url is not null
        && !url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);
}
