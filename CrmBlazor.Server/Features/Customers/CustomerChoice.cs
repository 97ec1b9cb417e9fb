namespace CrmBlazor.Server.Features.Customers;

/// <summary>A customer as a picker shows it.</summary>
public sealed record CustomerChoice(Guid Id, string Name, string Number);
