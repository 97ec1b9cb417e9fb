using System.Globalization;
using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.CustomFields;

/// <summary>A value for one custom field as a form sends it; only the member that fits the field's type is read.</summary>
public sealed record CustomValue(Guid FieldId, string? Text = null, decimal? Number = null, DateTime? Date = null, bool? YesNo = null, IReadOnlyList<string>? Choices = null)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Text) && Number is null && Date is null && YesNo is null && (Choices is null || Choices.Count == 0);
}

public static class CustomFieldRules
{
    public static string FieldKey(Guid fieldId) => $"custom:{fieldId}";

    /// <summary>Checks the values against the active definitions and turns them into stored rows.</summary>
    public static List<CustomFieldValue> ToStored(Guid customerId, IReadOnlyList<CustomFieldDefinition> definitions, IReadOnlyList<CustomValue> values, List<ValidationError> errors)
    {
        var stored = new List<CustomFieldValue>();
        foreach (var field in definitions.Where(d => d.IsActive))
        {
            var value = values.FirstOrDefault(v => v.FieldId == field.Id);
            if (value is null || value.IsEmpty)
            {
                if (field.IsRequired)
                {
                    errors.Add(new ValidationError(FieldKey(field.Id), "Validation.CustomFieldRequired", $"{field.LabelEn} is required.", field.LabelZh, field.LabelEn));
                }
                continue;
            }
            var row = new CustomFieldValue { CustomerId = customerId, FieldId = field.Id };
            switch (field.Type)
            {
                case CustomFieldType.Text:
                    row.Text = value.Text!.Trim();
                    break;
                case CustomFieldType.Number:
                    row.Number = value.Number;
                    break;
                case CustomFieldType.Date:
                    row.Date = value.Date;
                    break;
                case CustomFieldType.YesNo:
                    row.YesNo = value.YesNo;
                    break;
                case CustomFieldType.SingleSelect:
                    if (!field.OptionList.Contains(value.Text))
                    {
                        errors.Add(new ValidationError(FieldKey(field.Id), "Validation.CustomFieldOption", $"{value.Text} is not a choice of {field.LabelEn}.", value.Text ?? ""));
                        continue;
                    }
                    row.Text = value.Text;
                    break;
                case CustomFieldType.MultiSelect:
                    var choices = value.Choices ?? [];
                    if (choices.Any(c => !field.OptionList.Contains(c)))
                    {
                        errors.Add(new ValidationError(FieldKey(field.Id), "Validation.CustomFieldOption", $"{string.Join(", ", choices)} are not all choices of {field.LabelEn}.", string.Join(", ", choices)));
                        continue;
                    }
                    row.Text = "|" + string.Join('|', choices) + "|";
                    break;
            }
            stored.Add(row);
        }
        return stored;
    }

    /// <summary>The value as people read it, in the current culture.</summary>
    public static string Display(CustomFieldDefinition field, CustomFieldValue? value, string yes, string no) => value is null ? "" : field.Type switch
    {
        CustomFieldType.Number => value.Number?.ToString("G29", CultureInfo.CurrentCulture) ?? "",
        CustomFieldType.Date => value.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
        CustomFieldType.YesNo => value.YesNo switch { true => yes, false => no, null => "" },
        CustomFieldType.MultiSelect => string.Join("、", Choices(value)),
        _ => value.Text ?? "",
    };

    public static IReadOnlyList<string> Choices(CustomFieldValue value) =>
        (value.Text ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries);

    public static CustomValue ToInput(CustomFieldDefinition field, CustomFieldValue? value) => value is null
        ? new CustomValue(field.Id)
        : new CustomValue(field.Id, value.Text, value.Number, value.Date, value.YesNo, field.Type == CustomFieldType.MultiSelect ? Choices(value) : null);
}
