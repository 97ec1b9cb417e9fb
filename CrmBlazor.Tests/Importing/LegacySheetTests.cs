using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static CrmBlazor.Tests.Importing.ImportWorkbooks;

namespace CrmBlazor.Tests.Importing;

/// <summary>
/// Issue 17's legacy sheet in full: its own numbers (C001) kept as external codes so importing it again updates, its tiers
/// pinned as "imported" overrides, its last-contact dates in any writing.
/// </summary>
public sealed class LegacySheetTests
{
    // 10:00 in Shanghai on 2026-03-15: "today" for the last-contact check.
    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 3, 15, 2, 0, 0, TimeSpan.Zero));

    private static readonly string[] Headings = ["客户编号", "客户名称", "联系人", "联系电话", "客户等级", "最后跟进时间"];

    private static object?[][] Rows(string tag) =>
    [
        ["C001", $"{tag}一号有限公司", "王芳", "138 0013 8000", "战略客户", "2024/1/5"],
        ["C002", $"{tag}二号有限公司", "李雷", "0571-8888 6666", "VIP", "2024年1月5日"],
        ["C003", $"{tag}三号有限公司", "韩梅", "13900139000", "b级", 45296d], // an Excel serial: 2024-01-05
        ["C004", $"{tag}四号有限公司", "赵强", "13700137000", null, "2026-12-31"], // after today
        ["C002", $"{tag}五号有限公司", "钱七", "13600136000", null, null],         // the sheet's own number twice
    ];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Its_numbers_become_external_codes_its_tiers_imported_overrides_and_importing_it_again_updates_and_creates_nothing(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0, time: Clock());
        var admin = await harness.DemoUserAsync("demo-admin");
        var import = harness.Get<CustomerImport>(admin);

        var columns = await import.InspectAsync("老客户表.xlsx", LegacySheet("老客户表", Headings, Rows("旧表")), ImportKind.Customers, ImportMode.CreateOnly);
        Assert.Equal(["客户编号", "客户名称", "关键联系人", "手机", CustomerRows.TierHeader, CustomerRows.LastContactHeader], columns.Columns.Select(c => c.Target));
        var first = await import.CheckAsync(columns.JobId, columns.Map);

        Assert.Equal((2, 3), (first.Job.ToCreate, first.Job.ErrorRows));
        Assert.Equal(new Dictionary<int, string>
        {
            [5] = "客户等级“VIP”不存在：可选 S（战略客户）、A（重点客户）、B（潜力客户）、C（普通客户）",
            [7] = "最后跟进时间 2026-12-31 晚于今天",
            [8] = "外部编号与第 5 行重复",
        }, first.FailingRows.ToDictionary(r => r.RowNumber, r => r.Reasons(true)));
        Assert.Equal(5, first.Cleanings[ImportCleaningKind.LegacyNumberKept]);
        // VIP is no tier: listed once, S suggested; 战略客户 is the S rule's own name, b级 its letter.
        var vip = first.UnknownValues!.Single();
        Assert.Equal((CustomerRows.TierHeader, "VIP", 1, "S"), (vip.Column, vip.Value, vip.Rows, vip.Suggestions[0].Code));
        var mapped = await import.CheckAsync(first.Job.Id, null, new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            [CustomerRows.TierHeader] = new Dictionary<string, string> { ["VIP"] = "S" },
        });
        Assert.Equal((3, 2), (mapped.Job.ToCreate, mapped.Job.ErrorRows));

        await import.RunAsync(mapped.Job.Id);
        await using (var db = harness.NewSystemContext())
        {
            var imported = await db.Customers.AsNoTracking().Where(c => c.ExternalCode != null).OrderBy(c => c.ExternalCode).ToListAsync();
            Assert.Equal([("C001", "S", "S"), ("C002", "S", "S"), ("C003", "B", "B")], imported.Select(c => (c.ExternalCode!, c.Tier!, c.TierOverride!)));
            Assert.All(imported, c => Assert.Equal(CustomerRows.ImportedTierReason, c.TierOverrideReason));
            // 2024-01-05 in the company's zone (UTC+8) however the sheet wrote it.
            Assert.All(imported, c => Assert.Equal(new DateTime(2024, 1, 4, 16, 0, 0, DateTimeKind.Utc), c.LastContactAt));
            Assert.Equal(3, await db.TierChanges.CountAsync(t => t.IsOverride && t.Reason == CustomerRows.ImportedTierReason));
        }
        var found = await harness.Get<CustomerQueries>(admin).ListAsync(new CustomerFilter { Search = "C002" }, 0, 10);
        Assert.Equal(["旧表二号有限公司"], found.Items.Select(c => c.Name)); // the sheet's number finds the customer

        // The same sheet again, create-only: each known row says where it went, nothing is added.
        var again = await import.PrepareAsync("老客户表.xlsx", LegacySheet("老客户表", Headings, Rows("旧表")), ImportKind.Customers, ImportMode.CreateOnly);
        Assert.Equal(0, again.Job.ToCreate);
        Assert.StartsWith("外部编号 C001 已导入为客户 CRM", again.FailingRows.Single(r => r.RowNumber == 4).Reasons(true), StringComparison.Ordinal);

        // C002 as an import before 2026-12-06 pinned it: that sentence still counts as "imported", so the same tier again is no change.
        await using (var db = harness.NewSystemContext())
        {
            await db.Customers.Where(c => c.ExternalCode == "C002").ExecuteUpdateAsync(s => s.SetProperty(c => c.TierOverrideReason, "导入 / imported"));
        }

        // Create-and-update: the rows update their customers (a renamed one, a new tier), and nothing new is created.
        var renamed = Rows("旧表");
        renamed[0][1] = "旧表一号集团有限公司";
        renamed[0][4] = "重点客户";
        var update = await import.PrepareAsync("老客户表-修订.xlsx", LegacySheet("老客户表", Headings, renamed), ImportKind.Customers, ImportMode.CreateOrUpdate);
        Assert.Equal((0, 3), (update.Job.ToCreate, update.Job.ToUpdate));
        var done = await import.RunAsync(update.Job.Id);
        Assert.Equal((0, 3), (done.Imported, done.Updated));
        await using (var db = harness.NewSystemContext())
        {
            Assert.Equal(3, await db.Customers.CountAsync());
            var one = await db.Customers.AsNoTracking().SingleAsync(c => c.ExternalCode == "C001");
            Assert.Equal(("旧表一号集团有限公司", "A", "A"), (one.Name, one.Tier, one.TierOverride));
            var two = await db.Customers.AsNoTracking().SingleAsync(c => c.ExternalCode == "C002");
            Assert.Equal(1, await db.TierChanges.CountAsync(t => t.CustomerId == two.Id));
        }
    }
}
