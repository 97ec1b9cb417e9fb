using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;
using static CrmBlazor.Tests.Importing.ImportWorkbooks;

namespace CrmBlazor.Tests.Pipeline;

/// <summary>SPEC F1: leads created by Excel import through the customer import's engine (template, row checks, errors workbook, batches, resume).</summary>
public sealed class LeadImportTests
{
    private static readonly DateTimeOffset Start = new(2030, 3, 4, 2, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_lead_template_in_either_language_imports_its_own_example_row(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0, time: new FakeTimeProvider(Start));
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var template = harness.Get<LeadTemplate>(supervisor);
        var import = harness.Get<CustomerImport>(supervisor);

        var zh = await template.BuildAsync(chinese: true);
        var en = await template.BuildAsync(chinese: false);

        Assert.Equal(["线索", "可选值"], zh.Sheets.Keys);
        Assert.Equal(["Leads", "Allowed values"], en.Sheets.Keys);
        using var zhFile = Save(zh);
        Assert.Equal(["线索来源", "公司名称*", "联系人*", "手机", "邮箱", "地区", "备注", "负责人", "团队线索池"], HeadersOf(zhFile, "线索"));
        Assert.Contains(MiniExcel.Query(zhFile, useHeaderRow: true, sheetName: "可选值").Cast<IDictionary<string, object>>(),
            v => (string)v["字段"] == "线索来源" && (string)v["可选值"] == "展会" && (string)v["代码"] == "exhibition");
        using var enFile = Save(en);
        Assert.Equal(["Source", "Company*", "Contact*", "Mobile", "E-mail", "Region", "Notes", "Owner", "Team pool"], HeadersOf(enFile, "Leads"));

        zhFile.Position = 0;
        var zhPreview = await import.PrepareAsync("线索导入模板.xlsx", zhFile, ImportKind.Leads, ImportMode.CreateOnly);
        Assert.Equal((ImportKind.Leads, 1, 0, 1), (zhPreview.Job.Kind, zhPreview.Job.TotalRows, zhPreview.Job.ErrorRows, zhPreview.Job.ToCreate));
        Assert.Empty(zhPreview.IgnoredColumns);

        enFile.Position = 0;
        var enPreview = await import.PrepareAsync("lead-import-template.xlsx", enFile, ImportKind.Leads, ImportMode.CreateOnly);
        Assert.Equal((1, 0, 1), (enPreview.Job.TotalRows, enPreview.Job.ErrorRows, enPreview.Job.ToCreate));
        var done = await import.RunAsync(enPreview.Job.Id);
        Assert.Equal((ImportStatus.Completed, 1, 0), (done.Status, done.Imported, done.Skipped));
        await using var db = harness.NewSystemContext();
        var lead = await db.Leads.SingleAsync(l => l.Company == "Suzhou Hengyuan Precision Machinery Co., Ltd.");
        // English labels read back as the dictionaries' codes; no owner named: the company's pool.
        Assert.Equal(("website", "上海", "13900139000", (Guid?)null, (Guid?)null), (lead.Source, lead.Region, lead.Mobile, lead.OwnerId, lead.TeamId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_workbook_of_good_and_bad_rows_names_each_bad_row_and_confirm_writes_exactly_the_good_leads(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0, time: new FakeTimeProvider(Start));
        var supervisor = await harness.DemoUserAsync("demo-supervisor"); // 李明, supervises 华东销售一组 (张伟, 刘芳)
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var rep2 = await harness.DemoUserAsync("demo-salesrep2");
        var existing = await harness.Get<LeadService>(supervisor).CreateAsync(new LeadInput { Company = "已有线索有限公司", ContactName = "周九", Mobile = "13900009999" });
        var rows = new List<Dictionary<string, object?>>
        {
            Row("甲科技有限公司", "张三", "13900000001", source: "官网", owner: "张伟"),                                 // 2 valid: 张伟's
            Row("乙商贸有限公司", "李四", null, "lisi@yi.example.cn", source: "客户推荐", pool: "华东销售一组"),          // 3 valid: the team's pool
            Row("丙实业有限公司", "王五", "13900000003", source: "exhibition", region: "Zhejiang", owner: "demo-salesrep2@crmblazor.local"), // 4 valid: 刘芳's, by account
            Row(null, "赵六", "13900000004"),                                                                            // 5
            Row("丁有限公司", null, "13900000005"),                                                                      // 6
            Row("戊有限公司", "孙八", "1234"),                                                                           // 7
            Row("己有限公司", "吴十", null, "abc@"),                                                                     // 8
            Row("庚有限公司", "郑一", null),                                                                             // 9
            Row("辛有限公司", "王二", "13900000009", source: "广告"),                                                    // 10
            Row("壬有限公司", "冯三", "13900000001"),                                                                    // 11
            Row("癸有限公司", "陈四", null, "LiSi@yi.example.cn"),                                                       // 12
            Row("子有限公司", "褚五", "13900000012", owner: "陈静"),                                                     // 13 customer service: owns no leads
            Row("丑有限公司", "卫六", "13900000013", owner: "王建国"),                                                   // 14 the Admin: not the supervisor's to assign
            Row("寅有限公司", "蒋七", "13900000014", pool: "华南销售组"),                                                // 15
            Row("卯有限公司", "沈八", "13900009999"),                                                                    // 16 mobile of a stored lead
        };
        var events = new List<LeadChanged>();
        harness.LiveEvents.Subscribe(e => { if (e is LeadChanged c) { lock (events) { events.Add(c); } } return Task.CompletedTask; });
        var before = await LeadCountAsync(harness);
        var import = harness.Get<CustomerImport>(supervisor);

        var preview = await import.PrepareAsync("线索.xlsx", Xlsx(rows), ImportKind.Leads, ImportMode.CreateOnly);

        var expected = new Dictionary<int, string>
        {
            [5] = "缺少公司名称",
            [6] = "缺少联系人",
            [7] = "手机“1234”不是有效的手机号（11 位、13–19 开头，或 +国家码）",
            [8] = "邮箱“abc@”格式不正确",
            [9] = "缺少手机或邮箱（至少填一项）",
            [10] = "线索来源“广告”不存在：可选值见模板的“可选值”工作表",
            [11] = "手机与第 2 行重复",
            [12] = "邮箱与第 3 行重复",
            [13] = "负责人“陈静”不是你可以指派线索的销售",
            [14] = "负责人“王建国”不是你可以指派线索的销售",
            [15] = "团队线索池“华南销售组”不存在或不是你所在团队的",
            [16] = $"手机 13900009999 已属于线索 {existing.Number}",
        };
        Assert.Equal(expected, preview.FailingRows.ToDictionary(r => r.RowNumber, r => r.Reasons(chinese: true)));
        Assert.Equal("Owner \"陈静\" is not a sales rep you may give leads to", preview.FailingRows.Single(r => r.RowNumber == 13).Reasons(chinese: false));
        Assert.Equal((15, 12, 3), (preview.Job.TotalRows, preview.Job.ErrorRows, preview.Job.ToCreate));
        Assert.Equal(before, await LeadCountAsync(harness)); // nothing written before the user confirms

        // The errors workbook: the bad rows as written, with the reason and the row number they had.
        var errors = Read((await import.ErrorsWorkbookAsync(preview.Job.Id))!);
        Assert.Equal(expected.Keys.Select(k => (double)k), errors.Select(r => Convert.ToDouble(r["原行号"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(expected.Values, errors.Select(r => r["错误原因"]));
        Assert.Equal("戊有限公司", errors[2]["公司名称*"]);

        var done = await import.RunAsync(preview.Job.Id);

        Assert.Equal((ImportStatus.Completed, 3, 12), (done.Status, done.Imported, done.Skipped));
        await using var db = harness.NewSystemContext();
        var created = await db.Leads.AsNoTracking().Where(l => l.Id != existing.Id).OrderBy(l => l.Number).ToListAsync();
        Assert.Equal(["甲科技有限公司", "乙商贸有限公司", "丙实业有限公司"], created.Select(l => l.Company));
        Assert.All(created, l => Assert.Matches("^LD2030[0-9]{5}$", l.Number));
        Assert.Equal(3, created.Select(l => l.Number).Distinct().Count());
        var team = await db.Teams.Where(t => t.Name == "华东销售一组").Select(t => t.Id).SingleAsync();
        Assert.Equal([(rep.UserId, (Guid?)null), (null, team), (rep2.UserId, null)], created.Select(l => (l.OwnerId, l.TeamId)));
        Assert.Equal([Start.UtcDateTime, null, Start.UtcDateTime], created.Select(l => l.AssignedAt));
        Assert.Equal([("website", (string?)null), ("referral", null), ("exhibition", "浙江")], created.Select(l => (l.Source, l.Region)));
        Assert.All(created, l => Assert.Equal(LeadStatus.New, l.Status));
        Assert.Equal("lisi@yi.example.cn", created[1].Email);
        // Audited like a customer import (the job, and each new row through the interceptor); lists told live after the batch.
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.Import && a.EntityType == "Leads" && a.EntityId!.Contains("线索.xlsx: 3 imported, 0 updated, 12 skipped")));
        var ids = created.Select(l => l.Id.ToString()).ToList();
        Assert.Equal(3, await db.AuditEntries.CountAsync(a => a.EntityType == nameof(Lead) && ids.Contains(a.EntityId!)));
        lock (events)
        {
            Assert.Contains(events, e => e.Audience.Contains(Audience.ForUser(rep.UserId!.Value)));
            Assert.Contains(events, e => e.Audience.Contains(Audience.ForTeam(team)));
        }
        // Lead imports are listed apart from customer imports.
        Assert.Equal([preview.Job.Id], (await import.MineAsync(ImportKind.Leads)).Select(j => j.Id));
        Assert.Empty(await import.MineAsync(ImportKind.Customers));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_lead_import_that_crashed_resumes_after_its_committed_batches_and_a_rerun_duplicates_nothing(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(Start);
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0, time: time);
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var import = harness.Get<CustomerImport>(supervisor);
        var rows = Enumerable.Range(1, 25).Select(i => Row($"续导入线索{i:D2}有限公司", $"联系人{i}", $"1370000{i:D4}", pool: "华东销售一组")).ToList();
        var before = await LeadCountAsync(harness);
        var preview = await import.PrepareAsync("大批线索.xlsx", Xlsx(rows), ImportKind.Leads, ImportMode.CreateOnly);
        Assert.Equal(25, preview.Job.ToCreate);

        // The run fails after its first batch (the harness's batches are 10 rows): that batch stays, whole.
        await Assert.ThrowsAsync<IOException>(() => import.RunAsync(preview.Job.Id, job => job.ProcessedRows == 10 ? throw new IOException("disk gone") : Task.CompletedTask));
        var interrupted = (await import.FindAsync(preview.Job.Id))!;
        Assert.Equal((ImportStatus.Interrupted, 10, 10), (interrupted.Status, interrupted.ProcessedRows, interrupted.Imported));
        Assert.Equal(before + 10, await LeadCountAsync(harness));

        // Then the host dies mid-run: the job says Running with a fresh heartbeat, so nobody else may run it, until it goes stale.
        await using (var crashed = harness.NewSystemContext())
        {
            await crashed.ImportJobs.Where(j => j.Id == preview.Job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ImportStatus.Running).SetProperty(j => j.HeartbeatAt, Start.UtcDateTime));
        }
        await Assert.ThrowsAsync<AccessDeniedException>(() => import.RunAsync(preview.Job.Id));
        time.Advance(CustomerImport.StaleAfter + TimeSpan.FromMinutes(1));
        Assert.Equal(ImportStatus.Interrupted, (await import.FindAsync(preview.Job.Id))!.Status);

        var completed = await import.RunAsync(preview.Job.Id);

        Assert.Equal((ImportStatus.Completed, 25, 0), (completed.Status, completed.Imported, completed.Skipped));
        Assert.Equal(before + 25, await LeadCountAsync(harness));
        await using (var db = harness.NewSystemContext())
        {
            var numbers = await db.Leads.Where(l => l.Company.StartsWith("续导入线索")).Select(l => l.Number).ToListAsync();
            Assert.Equal(25, numbers.Distinct().Count());
        }

        // The same file again: every row is found among the stored leads, so confirming it would create nothing.
        var again = await import.PrepareAsync("大批线索.xlsx", Xlsx(rows), ImportKind.Leads, ImportMode.CreateOnly);
        Assert.Equal((25, 25, 0), (again.Job.TotalRows, again.Job.ErrorRows, again.Job.ToCreate));
        Assert.Equal(25, again.ProblemCounts[ImportProblemKind.DuplicateInDatabase]);
        var rerun = await import.RunAsync(again.Job.Id);
        Assert.Equal((ImportStatus.Completed, 0, 25), (rerun.Status, rerun.Imported, rerun.Skipped));
        Assert.Equal(before + 25, await LeadCountAsync(harness));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Only_a_role_with_the_pipeline_import_right_may_import_leads_or_take_the_template(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0, time: new FakeTimeProvider(Start));
        var rep = await harness.DemoUserAsync("demo-salesrep"); // Pipeline: view, create, edit; no import
        var analyst = await harness.DemoUserAsync("demo-analyst");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var file = Xlsx([Row("权限测试有限公司", "张三", "13900000001")]);

        foreach (var user in new[] { rep, analyst })
        {
            file.Position = 0;
            await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<CustomerImport>(user).PrepareAsync("a.xlsx", file, ImportKind.Leads, ImportMode.CreateOnly));
            await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<LeadTemplate>(user).BuildAsync(chinese: true));
        }
        Assert.False(PermissionMatrix.Defaults.IsAllowed(Role.SalesRep, Module.Pipeline, Operation.Import));
        Assert.True(PermissionMatrix.Defaults.IsAllowed(Role.Supervisor, Module.Pipeline, Operation.Import));
        Assert.Contains((Module.Pipeline, Operation.Import), PermissionMatrix.Enforced);

        // A supervisor's checked lead import cannot be run by anyone else.
        file.Position = 0;
        var preview = await harness.Get<CustomerImport>(supervisor).PrepareAsync("a.xlsx", file, ImportKind.Leads, ImportMode.CreateOnly);
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<CustomerImport>(rep).RunAsync(preview.Job.Id));
        Assert.Equal(0, await LeadCountAsync(harness));
    }

    /// <summary>A lead row in the Chinese template's columns.</summary>
    private static Dictionary<string, object?> Row(string? company, string? contact, string? mobile, string? email = null, string? source = null,
        string? region = null, string? owner = null, string? pool = null) => new()
    {
        ["线索来源"] = source,
        ["公司名称*"] = company,
        ["联系人*"] = contact,
        ["手机"] = mobile,
        ["邮箱"] = email,
        ["地区"] = region,
        ["备注"] = null,
        ["负责人"] = owner,
        ["团队线索池"] = pool,
    };

    private static MemoryStream Save(LeadTemplateContent content)
    {
        var stream = new MemoryStream();
        stream.SaveAs(content.Sheets.ToDictionary(s => s.Key, s => s.Value));
        stream.Position = 0;
        return stream;
    }

    private static List<string?> HeadersOf(Stream workbook, string sheet)
    {
        workbook.Position = 0;
        var headers = ((IDictionary<string, object>)workbook.Query(sheetName: sheet).First()).Values.Select(v => v?.ToString()).ToList();
        workbook.Position = 0;
        return headers;
    }

    private static async Task<int> LeadCountAsync(DomainHarness harness)
    {
        await using var db = harness.NewSystemContext();
        return await db.Leads.CountAsync();
    }
}
