using CrmBlazor.Domain.Customers;

namespace CrmBlazor.Server.Features.Api;

/// <summary>A customer as the API returns it, built from the Domain's <see cref="CustomerDetails"/>; times in UTC.</summary>
public sealed record CustomerResource(
    Guid Id, string Number, string Name, string? Industry, string? Size, string Status, string? Tier,
    string? Province, string? City, string? District, string? Street, string? Website, string? CooperationHistory, string? Notes,
    Guid? OwnerId, string? OwnerName, DateTime? LastContactAt, DateTime CreatedAt, DateTime UpdatedAt, int Version,
    IReadOnlyList<ContactResource> Contacts)
{
    public static CustomerResource From(CustomerDetails c) => new(
        c.Id, c.Number, c.Name, c.Industry, c.Size, c.Status, c.Tier, c.Province, c.City, c.District, c.Street, c.Website,
        c.CooperationHistory, c.Notes, c.OwnerId, c.OwnerName, ApiTime.Utc(c.LastContactAt), ApiTime.Utc(c.CreatedAt), ApiTime.Utc(c.UpdatedAt), c.Version,
        [.. c.Contacts.Select(ContactResource.From)]);
}

/// <summary>A contact of a customer; <paramref name="Version"/> is its own ETag, for marking it left.</summary>
public sealed record ContactResource(Guid Id, string Name, string? Title, string? Mobile, string? Landline, string? Email, bool IsKey, bool HasLeft, int Version)
{
    public static ContactResource From(ContactDetails k) => new(k.Id, k.Name, k.Title, k.Mobile, k.Landline, k.Email, k.IsKey, k.HasLeft, k.Version);
}

/// <summary>A row of the customer list, from the list page's <see cref="CustomerListItem"/>.</summary>
public sealed record CustomerListItemResource(
    Guid Id, string Number, string Name, string? Industry, string? Size, string Status, string? Tier, string? OwnerName,
    string? Province, string? City, DateTime? LastContactAt, DateTime UpdatedAt, string? KeyContact, string? KeyMobile, IReadOnlyList<string> Tags)
{
    public static CustomerListItemResource From(CustomerListItem i) => new(
        i.Id, i.Number, i.Name, i.Industry, i.Size, i.Status, i.Tier, i.OwnerName, i.Province, i.City,
        ApiTime.Utc(i.LastContactAt), ApiTime.Utc(i.UpdatedAt), i.KeyContact, i.KeyMobile, [.. i.Tags.Select(t => t.Name)]);
}

/// <summary>One page of the list: <paramref name="Page"/> counts from 1; <paramref name="Total"/> is every match within scope.</summary>
public sealed record CustomerListResource(IReadOnlyList<CustomerListItemResource> Items, int Page, int PageSize, int Total);

/// <summary>The customer's own fields, as the form has them. Omitted fields are cleared; custom field values are kept.</summary>
public record CustomerFields
{
    public string? Name { get; init; }
    public string? Industry { get; init; }
    public string? Size { get; init; }
    public string? Province { get; init; }
    public string? City { get; init; }
    public string? District { get; init; }
    public string? Street { get; init; }
    public string? Website { get; init; }
    public string? CooperationHistory { get; init; }
    public string? Notes { get; init; }

    /// <summary>Only a Supervisor or Admin may give the customer to someone else.</summary>
    public Guid? OwnerId { get; init; }

    public CustomerInput ToInput(bool keepCustomValues) => new()
    {
        Name = Name ?? "",
        Industry = Industry,
        Size = Size,
        Province = Province,
        City = City,
        District = District,
        Street = Street,
        Website = Website,
        CooperationHistory = CooperationHistory,
        Notes = Notes,
        OwnerId = OwnerId,
        KeepsCustomValues = keepCustomValues,
    };
}

/// <summary>A new customer: its fields and its key contact.</summary>
public sealed record NewCustomer : CustomerFields
{
    public ContactFields? KeyContact { get; init; }
}

public sealed record ContactFields(string? Name, string? Title = null, string? Mobile = null, string? Landline = null, string? Email = null)
{
    public ContactInput ToInput() => new(Name ?? "", Title, Mobile, Landline, Email);
}

/// <summary>A move along the lifecycle: a code of the CustomerStatus dictionary and why.</summary>
public sealed record StatusChange(string? Status, string? Reason);

public static class ApiTime
{
    /// <summary>A stored instant (UTC on every provider, read back without a kind on SQLite) as UTC: serialised with "Z".</summary>
    public static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    public static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
