using CrmBlazor.Domain.Customers;

namespace CrmBlazor.Tests.Infrastructure;

/// <summary>The form a user would send back for a stored customer, to change a field or two.</summary>
public static class CustomerInputs
{
    public static CustomerInput From(Customer c) => new()
    {
        Name = c.Name,
        Industry = c.Industry,
        Size = c.Size,
        Province = c.Province,
        City = c.City,
        District = c.District,
        Street = c.Street,
        Website = c.Website,
        CooperationHistory = c.CooperationHistory,
        Notes = c.Notes,
    };

    public static CustomerInput New(string name) => new() { Name = name, Industry = "software", Size = "50-200", Province = "浙江", City = "杭州" };
}
