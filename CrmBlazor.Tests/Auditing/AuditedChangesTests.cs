using System.Text.Json;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.Uploads;
using CrmBlazor.Domain.WorkingTime;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Domain.Tiering;
using CrmBlazor.Tests.Demands;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Auditing;

/// <summary>Issue #12 §3: evidence files in and out, and Admin's settings (tier rules, reminder rules, working hours) leave audit rows naming the user.</summary>
public sealed class AuditedChangesTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Uploading_and_downloading_evidence_are_audited(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 3);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var demands = harness.Get<DemandService>(rep);
        var demand = await demands.CreateAsync(new DemandInput(await DemandTests.CustomerOfAsync(harness, rep), "确认培训完成", "existing", DemandPriority.Medium, null));
        await demands.CloseAsync(demand.Id, demand.Version, [new FileUpload("确认截图.png", new MemoryStream(DemandTests.Png))]);
        var evidenceId = (await harness.Get<DemandQueries>(rep).GetAsync(demand.Id)).Demand.Evidence.Single().Id;

        var (_, content) = await harness.Get<DemandQueries>(rep).OpenEvidenceAsync(evidenceId);
        await content.DisposeAsync();

        await using var db = harness.NewSystemContext();
        var rows = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == nameof(DemandEvidence) && a.EntityId == evidenceId.ToString()).ToListAsync();
        var upload = Assert.Single(rows, a => a.Action == AuditAction.Create);
        Assert.Equal(rep.UserId, upload.UserId);
        Assert.Contains(new FieldChange(nameof(DemandEvidence.FileName), null, "确认截图.png"), Changes(upload));
        Assert.Contains(new FieldChange(nameof(DemandEvidence.DemandId), null, demand.Id.ToString()), Changes(upload));
        var download = Assert.Single(rows, a => a.Action == AuditAction.Download);
        Assert.Equal((rep.UserId, rep.DisplayName), (download.UserId, download.UserName));
    }

    [Fact]
    public async Task Changing_the_tier_rules_is_audited()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 2);
        var admin = await harness.DemoUserAsync("demo-admin");
        var tiers = harness.Get<TierService>(admin);
        var rules = (await tiers.RulesAsync()).Select(r => new TierRule { Tier = r.Tier, Name = r.Name, Order = r.Order, Clauses = r.Clauses }).ToList();
        rules[0].Name = "核心战略客户";

        await tiers.SaveRulesAsync(rules);

        await using var db = harness.NewSystemContext();
        var rows = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == nameof(TierRule) && a.UserId == admin.UserId).ToListAsync();
        Assert.Contains(rows, a => a.Action == AuditAction.Create && Changes(a).Contains(new FieldChange(nameof(TierRule.Name), null, "核心战略客户")));
        Assert.Equal(rules.Count, rows.Count(a => a.Action == AuditAction.Create));
    }

    [Fact]
    public async Task Changing_the_reminder_rules_is_audited()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var admin = await harness.DemoUserAsync("demo-admin");

        await harness.Get<ReminderRulesService>(admin).SaveAsync(new ReminderRulesInput(24, 7, 7, 90, false));

        await using var db = harness.NewSystemContext();
        var row = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.EntityType == nameof(ReminderRules) && a.UserId == admin.UserId);
        Assert.Equal(AuditAction.Update, row.Action);
        Assert.Contains("7d", row.EntityId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_the_working_hours_is_audited()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var admin = await harness.DemoUserAsync("demo-admin");

        await harness.Get<WorkingCalendarService>(admin).SetHoursAsync(new TimeOnly(8, 30), new TimeOnly(17, 30));

        await using var db = harness.NewSystemContext();
        var row = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.EntityType == nameof(WorkingHours) && a.UserId == admin.UserId);
        Assert.Contains(Changes(row), c => c.Field == nameof(WorkingHours.Start) && c.After == "08:30");
        Assert.Contains(Changes(row), c => c.Field == nameof(WorkingHours.End) && c.After == "17:30");
    }

    private static List<FieldChange> Changes(AuditEntry entry) => JsonSerializer.Deserialize<List<FieldChange>>(entry.Changes!)!;
}
