using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Customers;

/// <summary>A customer of the company (SPEC B1). The full archive grows in the customers issue.</summary>
public sealed class Customer : AuditableEntity
{
    /// <summary><c>CRM{yyyy}{nnn}</c>, from <see cref="CustomerNumbers"/>.</summary>
    public required string Number { get; set; }

    /// <summary>The full registered legal name.</summary>
    public required string Name { get; set; }

    public string? Industry { get; set; }
    public string? Region { get; set; }
    public string Status { get; set; } = CustomerStatuses.New;
    public string? Notes { get; set; }

    public Guid? OwnerId { get; set; }
    public AppUser? Owner { get; set; }

    public List<Contact> Contacts { get; set; } = [];
}

/// <summary>A person at the customer (SPEC B2). One who leaves is marked left, never deleted.</summary>
public sealed class Contact : AuditableEntity
{
    public Guid CustomerId { get; set; }
    public required string Name { get; set; }
    public string? Title { get; set; }
    public string? Mobile { get; set; }
    public string? Email { get; set; }
    public bool IsKey { get; set; }
    public bool HasLeft { get; set; }
}

public static class CustomerStatuses
{
    public const string New = "new";
    public const string Cooperating = "cooperating";
    public const string Active = "active";
    public const string Silent = "silent";
    public const string Lost = "lost";
}
