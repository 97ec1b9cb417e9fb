using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.CustomFields;

namespace CrmBlazor.Server.Features.Customers;

/// <summary>What the customer form edits; turns into the Domain's inputs on save.</summary>
public sealed class CustomerFormModel
{
    public string Name { get; set; } = "";
    public string? Industry { get; set; }
    public string? Size { get; set; }
    public string? Province { get; set; }
    public string? City { get; set; }
    public string? District { get; set; }
    public string? Street { get; set; }
    public string? Website { get; set; }
    public string? CooperationHistory { get; set; }
    public string? Notes { get; set; }
    public Guid? OwnerId { get; set; }
    public Dictionary<Guid, CustomValue> CustomValues { get; } = [];

    public string ContactName { get; set; } = "";
    public string? ContactTitle { get; set; }
    public string? ContactMobile { get; set; }
    public string? ContactLandline { get; set; }
    public string? ContactEmail { get; set; }

    public static CustomerFormModel From(Customer c, IEnumerable<CustomFieldDefinition> fields)
    {
        var model = new CustomerFormModel
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
            OwnerId = c.OwnerId,
        };
        foreach (var field in fields)
        {
            model.CustomValues[field.Id] = CustomFieldRules.ToInput(field, c.CustomValues.FirstOrDefault(v => v.FieldId == field.Id));
        }
        return model;
    }

    public CustomerInput ToInput() => new()
    {
        Name = Name,
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
        CustomValues = CustomValues.Values.ToList(),
    };

    public ContactInput KeyContact() => new(ContactName, ContactTitle, ContactMobile, ContactLandline, ContactEmail, IsKey: true);
}
