using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Importing;

/// <summary>
/// The customer list as workbook rows (SPEC H3): the import template's columns (so an exported file can be
/// edited and imported again) plus tier, owner and last contact; codes as their Chinese labels; streamed
/// from <see cref="CustomerQueries.StreamAsync"/>, within the caller's scope. Cells are plain values: the
/// writer neutralises formula-like text.
/// </summary>
public sealed class CustomerExport(IDbContextFactory<CrmDbContext> dbFactory, CustomerQueries customers, CompanyClock clock)
{
    public static readonly string[] ExtraColumns = ["级别", "负责人", "最近联系"];

    /// <summary>Always exported: the number is what an edited workbook is imported back by.</summary>
    public const string NumberColumn = "客户编号";

    /// <summary>Every column an export can hold, in workbook order, as bare headers (custom fields included).</summary>
    public async Task<IReadOnlyList<string>> ColumnsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var fields = await db.CustomFields.AsNoTracking().Where(f => f.IsActive).OrderBy(f => f.Order).ToListAsync(cancellationToken);
        var headers = CustomerTemplate.CustomFieldHeaders(fields);
        return [.. CustomerTemplate.FixedColumns.Select(c => c.Header), .. fields.Select(f => headers[f.Id]), .. ExtraColumns];
    }

    /// <summary>The rows; with <paramref name="columns"/> (bare headers), only those columns and the number.</summary>
    public async IAsyncEnumerable<IDictionary<string, object?>> RowsAsync(CustomerFilter filter, IReadOnlyCollection<string>? columns = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var wanted = columns is { Count: > 0 } ? columns.Append(NumberColumn).ToHashSet(StringComparer.Ordinal) : null;
        IReadOnlyList<CustomFieldDefinition> fields;
        Dictionary<(DictionaryKind, string), string> labels;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            fields = await db.CustomFields.AsNoTracking().Where(f => f.IsActive).OrderBy(f => f.Order).ToListAsync(cancellationToken);
            labels = await db.DictionaryItems.AsNoTracking().ToDictionaryAsync(d => (d.Kind, d.Code), d => d.LabelZh, cancellationToken);
        }
        var headers = CustomerTemplate.CustomFieldHeaders(fields);
        string? Label(DictionaryKind kind, string? code) => code is null ? null : labels.GetValueOrDefault((kind, code), code);

        await foreach (var row in customers.StreamAsync(filter, cancellationToken: cancellationToken))
        {
            var c = row.Customer;
            var values = new Dictionary<string, object?>
            {
                ["客户编号"] = c.Number,
                ["客户名称*"] = c.Name,
                ["行业"] = Label(DictionaryKind.Industry, c.Industry),
                ["规模"] = Label(DictionaryKind.CompanySize, c.Size),
                ["状态"] = Label(DictionaryKind.CustomerStatus, c.Status),
                ["省份"] = Label(DictionaryKind.Region, c.Province),
                ["城市"] = c.City,
                ["区县"] = c.District,
                ["街道地址"] = c.Street,
                ["网站"] = c.Website,
                ["合作历史"] = c.CooperationHistory,
                ["备注"] = c.Notes,
                ["关键联系人*"] = row.KeyContact?.Name,
                ["职务"] = row.KeyContact?.Title,
                ["手机"] = row.KeyContact?.Mobile,
                ["座机"] = row.KeyContact?.Landline,
                ["邮箱"] = row.KeyContact?.Email,
            };
            foreach (var field in fields)
            {
                values[field.IsRequired ? headers[field.Id] + CustomerTemplate.RequiredMark : headers[field.Id]] =
                    CustomFieldRules.Display(field, row.CustomValues.FirstOrDefault(v => v.FieldId == field.Id), "是", "否");
            }
            values["级别"] = c.Tier;
            values["负责人"] = row.OwnerName;
            values["最近联系"] = clock.ToLocal(c.LastContactAt)?.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
            if (wanted is not null)
            {
                foreach (var key in values.Keys.Where(k => !wanted.Contains(k.TrimEnd('*'))).ToList())
                {
                    values.Remove(key);
                }
            }
            yield return values;
        }
    }
}
