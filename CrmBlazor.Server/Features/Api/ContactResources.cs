using CrmBlazor.Domain.Customers;

namespace CrmBlazor.Server.Features.Api;

/// <summary>A customer's contacts, those who are still there first; not paged (a customer has a handful).</summary>
public sealed record ContactListResource(IReadOnlyList<ContactResource> Items);

/// <summary>A new contact as the 360 page's dialog takes it; <paramref name="IsKey"/> makes them a key contact too.</summary>
public sealed record NewContact(string? Name, string? Title = null, string? Mobile = null, string? Landline = null, string? Email = null, bool IsKey = false)
{
    public ContactInput ToInput() => new(Name ?? "", Title, Mobile, Landline, Email, IsKey);
}
