using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CrmBlazor.Tests.Importing.ImportWorkbooks;

namespace CrmBlazor.Tests.Importing;

/// <summary>Issue 17's value mapping: a team's own values for coded columns listed once with counts and suggestions, the user's choices applied to every row and remembered.</summary>
public sealed class ValueMappingTests
{
    [Theory]
    [InlineData(DictionaryKind.Industry, "信息技术", "software")]       // the synonym list
    [InlineData(DictionaryKind.Industry, "IT", "software")]
    [InlineData(DictionaryKind.Industry, "零售", "retail")]             // FuzzySharp: 零售业
    [InlineData(DictionaryKind.CompanySize, "500-1000人", "500plus")]  // the head count placed in its range
    [InlineData(DictionaryKind.CompanySize, "120人", "50-200")]
    [InlineData(DictionaryKind.CompanySize, "30人以下", "lt50")]
    [InlineData(DictionaryKind.CustomerStatus, "沉睡", CustomerStatuses.Silent)]
    [InlineData(DictionaryKind.CustomerStatus, "已签约", CustomerStatuses.Cooperating)]
    [InlineData(DictionaryKind.Industry, "外星产业", null)]
    public void A_teams_value_gets_the_nearest_allowed_one_as_its_first_suggestion(DictionaryKind kind, string value, string? expected)
    {
        var items = DemoData.Dictionaries[kind].Select((d, i) => new DictionaryItem { Kind = kind, Code = d.Code, LabelZh = d.Zh, LabelEn = d.En, Order = i }).ToList();
        var column = DictionaryCells.Column("列", "列", "Column", kind, items);

        Assert.Equal(expected, ImportValueTally.Suggest(column, value, items) is [var best, ..] ? best.Code : null);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Unknown_values_are_listed_once_the_choices_apply_to_every_row_a_new_item_counts_and_the_next_file_needs_none(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0);
        var admin = await harness.DemoUserAsync("demo-admin");
        var import = harness.Get<CustomerImport>(admin);
        string[] headings = ["公司名称", "所属行业", "客户规模（员工人数）", "状态（活跃/沉睡）", "联系人"];
        object?[][] Rows(string tag) =>
        [
            [$"{tag}一号有限公司", "信息技术", "500-1000人", "沉睡", "王芳"],
            [$"{tag}二号有限公司", "信息技术", "50–200人", "活跃", "李雷"],
            [$"{tag}三号有限公司", "信息技术", "500-1000人", "沉睡", "韩梅"],
            [$"{tag}四号有限公司", "外星产业", null, null, "赵强"],
        ];

        var columns = await import.InspectAsync("值映射.xlsx", LegacySheet("客户表", headings, Rows("值映射")), ImportKind.Customers, ImportMode.CreateOnly);
        var first = await import.CheckAsync(columns.JobId, columns.Map);

        Assert.Equal(4, first.Job.ErrorRows);
        Assert.Equal([("状态", "沉睡", 2, CustomerStatuses.Silent), ("行业", "信息技术", 3, "software"), ("行业", "外星产业", 1, null), ("规模", "500-1000人", 2, "500plus")],
            first.UnknownValues!.Select(v => (v.Column, v.Value, v.Rows, v.Suggestions.Count > 0 ? v.Suggestions[0].Code : null)));
        Assert.Equal(DictionaryKind.Industry, first.ValueColumns!.Single(c => c.Column == "行业").Dictionary);

        // The user takes the suggestions; an Admin adds 外星产业 to the industries from the step.
        var chosen = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["行业"] = new Dictionary<string, string> { ["信息技术"] = "software" },
            ["规模"] = new Dictionary<string, string> { ["500-1000人"] = "500plus" },
            ["状态"] = new Dictionary<string, string> { ["沉睡"] = CustomerStatuses.Silent },
        };
        var mapped = await import.CheckAsync(first.Job.Id, null, chosen);
        Assert.Equal((3, 1), (mapped.Job.ToCreate, mapped.Job.ErrorRows));
        Assert.Equal(7, mapped.Cleanings[ImportCleaningKind.ValueMapped]); // 3 industries, 2 sizes, 2 statuses
        await harness.Get<DictionaryService>(admin).CreateAsync(DictionaryKind.Industry, ImportValueTally.NewItem("外星产业", 99)); // as the step adds it
        var added = await import.CheckAsync(first.Job.Id, null);
        Assert.Equal((4, 0), (added.Job.ToCreate, added.Job.ErrorRows));
        Assert.Empty(added.UnknownValues!);

        await import.RunAsync(added.Job.Id);
        await using (var db = harness.NewSystemContext())
        {
            var one = await db.Customers.AsNoTracking().SingleAsync(c => c.Name == "值映射一号有限公司");
            Assert.Equal(("software", "500plus", CustomerStatuses.Silent), (one.Industry, one.Size, one.Status));
            Assert.Equal(ImportValueTally.NewItem("外星产业", 0).Code, (await db.Customers.AsNoTracking().SingleAsync(c => c.Name == "值映射四号有限公司")).Industry);
        }

        // The next file with these headings: the values chosen apply again, in one step.
        var next = await import.PrepareAsync("值映射-2.xlsx", LegacySheet("客户表", headings, Rows("再映射")), ImportKind.Customers, ImportMode.CreateOnly);
        Assert.Equal((4, 0), (next.Job.ToCreate, next.Job.ErrorRows));
    }
}
