namespace CrmBlazor.Domain.Customers;

/// <summary>One customer's own fields and contacts with its version: what an API client reads and edits from.</summary>
public sealed record CustomerDetails(
    Guid Id, string Number, string Name, string? Industry, string? Size, string Status, string? Tier,
    string? Province, string? City, string? District, string? Street, string? Website, string? CooperationHistory, string? Notes,
    Guid? OwnerId, string? OwnerName, DateTime? LastContactAt, DateTime CreatedAt, DateTime UpdatedAt, int Version)
{
    public IReadOnlyList<ContactDetails> Contacts { get; init; } = [];
}

public sealed record ContactDetails(Guid Id, string Name, string? Title, string? Mobile, string? Landline, string? Email, bool IsKey, bool HasLeft, int Version);
