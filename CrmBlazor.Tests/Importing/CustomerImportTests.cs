using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CrmBlazor.Tests.Importing.ImportWorkbooks;

namespace CrmBlazor.Tests.Importing;

/// <summary>SPEC H2: the whole file is checked before anything is written; batches, resume and re-runs never duplicate.</summary>
public sealed class CustomerImportTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_messy_workbook_yields_exactly_its_row_errors_and_writes_nothing_until_confirmed(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 10);
        var admin = await harness.DemoUserAsync("demo-admin");
        var (existingNumber, existingName) = await FirstCustomerAsync(harness);
        var rows = new List<Dictionary<string, object?>>
        {
            Row("测试甲科技有限公司", "张三", "13800000001", "互联网"),            // 2 valid
            Row(null, "李四", "13800000002"),                                    // 3 name missing
            Row("测试乙商贸有限公司", "王五", "13800000003", "零售"),            // 4 near miss → 零售业
            Row("测试丙实业有限公司", "赵六", "1234"),                           // 5 bad mobile
            Row("测试甲科技股份有限公司", "钱七", "13800000005"),                // 6 same name as row 2 once the legal form is set aside
            Row("测试丁有限公司", "孙八", "13800000006", number: existingNumber), // 7 number exists (create only)
            Row(existingName, "周九", "13800000007"),                            // 8 same name as a stored customer
            Row("测试戊物流有限公司", "吴十", "13800000008", "Manufactoring"),   // 9 English near miss → Manufacturing
            Row("测试己能源有限公司", "郑一", "13800000009", email: "abc@"),     // 10 bad e-mail
            Row("测试庚教育有限公司", "王二", "13800000001"),                    // 11 mobile repeats row 2
            Row("测试辛建筑有限公司", null, "13800000010", "建筑业"),            // 12 key contact missing
            Row("测试壬金融有限公司", "冯三", "+44 7911 123456", "金融业"),      // 13 valid (international mobile)
            Row("测试癸地产有限公司", "陈四", "13800000011"),                    // 14 street longer than its column
        };
        rows[^1]["街道地址"] = new string('路', 201);
        var before = await CountsAsync(harness);
        var import = harness.Get<CustomerImport>(admin);

        var preview = await import.PrepareAsync("messy.xlsx", Xlsx(rows), ImportMode.CreateOnly);

        var expected = new Dictionary<int, string>
        {
            [3] = "缺少客户名称",
            [4] = "行业“零售”不存在，请选择“零售业”",
            [5] = "手机“1234”不是有效的手机号（11 位、13–19 开头，或 +国家码）",
            [6] = "客户名称与第 2 行重复",
            [7] = $"客户 {existingNumber} 已存在：要更新它，请选择“新建并按编号更新”",
            [8] = $"已有同名客户 {existingNumber}",
            [9] = "行业“Manufactoring”不存在，请选择“制造业”",
            [10] = "邮箱“abc@”格式不正确",
            [11] = "手机与第 2 行重复",
            [12] = "缺少关键联系人",
            [14] = "街道地址超过 200 个字符",
        };
        Assert.Equal(expected, preview.FailingRows.ToDictionary(r => r.RowNumber, r => r.Reasons(chinese: true)));
        Assert.Equal((13, 11, 2, 0), (preview.Job.TotalRows, preview.Job.ErrorRows, preview.Job.ToCreate, preview.Job.ToUpdate));
        Assert.Equal(2, preview.ProblemCounts[ImportProblemKind.DuplicateInDatabase]);
        Assert.Equal(before, await CountsAsync(harness)); // nothing written before the user confirms

        // The errors workbook: the failing rows as written, a reason column and the original row number.
        var errorsPath = await import.ErrorsWorkbookAsync(preview.Job.Id);
        Assert.NotNull(errorsPath);
        var errorRows = Read(errorsPath);
        Assert.Equal(expected.Keys.Select(k => (double)k), errorRows.Select(r => Convert.ToDouble(r["原行号"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(expected.Values, errorRows.Select(r => r["错误原因"]));
        Assert.Equal("测试乙商贸有限公司", errorRows[1]["客户名称*"]);

        var done = await import.RunAsync(preview.Job.Id);

        Assert.Equal((ImportStatus.Completed, 2, 0, 11), (done.Status, done.Imported, done.Updated, done.Skipped));
        await using var db = harness.NewSystemContext();
        var created = await db.Customers.Include(c => c.Contacts).Where(c => c.Name == "测试甲科技有限公司" || c.Name == "测试壬金融有限公司").OrderBy(c => c.Number).ToListAsync();
        Assert.Equal(2, created.Count);
        Assert.All(created, c => Assert.Matches("^CRM[0-9]{4}[0-9]{3,}$", c.Number));
        Assert.Equal("internet", created[0].Industry);
        Assert.Equal(admin.UserId, created[0].OwnerId);
        Assert.Equal("+447911123456", created[1].Contacts.Single().Mobile);
        Assert.True(created.All(c => c.Contacts.Single().IsKey));
        Assert.Equal(before.Customers + 2, await db.Customers.CountAsync());
        // Found by the search box like any other customer (its search keys were written with it).
        var found = await harness.Get<CustomerQueries>(admin).ListAsync(new CustomerFilter { Search = "测试壬金融" }, 0, 10);
        Assert.Equal([created[1].Id], found.Items.Select(c => c.Id));
        // Their data-quality flags worked out as they were built are the stored rule's, and both wait for a duplicate recheck.
        var ids = created.Select(c => c.Id).ToList();
        var flags = created.Select(c => c.QualityProblems).ToList();
        Assert.All(flags, f => Assert.NotNull(f));
        await CrmBlazor.Domain.DataQuality.CustomerQuality.RefreshAsync(db, ids, CancellationToken.None);
        Assert.Equal(flags, await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Number).Select(c => c.QualityProblems).ToListAsync());
        Assert.Equal(ids.Order(), (await db.DuplicateRechecks.Where(r => ids.Contains(r.CustomerId)).Select(r => r.CustomerId).ToListAsync()).Order());
        // Audited as a whole, and its owner told.
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.Import && a.EntityId!.Contains("messy.xlsx: 2 imported, 0 updated, 11 skipped")));
        Assert.True(await db.Notifications.AnyAsync(n => n.UserId == admin.UserId && n.Kind == NotificationKinds.ImportFinished));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_run_stopped_mid_way_leaves_whole_batches_resumes_after_them_and_a_rerun_duplicates_nothing(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 5);
        var admin = await harness.DemoUserAsync("demo-admin");
        var import = harness.Get<CustomerImport>(admin);
        var file = Xlsx(ValidRows(35, "续"));
        var before = (await CountsAsync(harness)).Customers;
        var preview = await import.PrepareAsync("big.xlsx", file, ImportMode.CreateOnly);
        Assert.Equal(35, preview.Job.ToCreate);

        // 1. The user cancels after the first batch (the harness's batches are 10 rows).
        var progress = new List<ImportProgressed>();
        harness.LiveEvents.Subscribe(e => { if (e is ImportProgressed p) { lock (progress) { progress.Add(p); } } return Task.CompletedTask; });
        var cancelled = await import.RunAsync(preview.Job.Id, async job => { if (job.ProcessedRows == 10) { await import.CancelAsync(job.Id); } });
        Assert.Equal((ImportStatus.Cancelled, 10, 10), (cancelled.Status, cancelled.ProcessedRows, cancelled.Imported));
        Assert.Equal(before + 10, (await CountsAsync(harness)).Customers);
        Assert.Contains(progress, p => p.Processed == 10 && p.Total == 35);

        // 2. Resumed, it crashes after its second batch: the batch in hand is all or nothing.
        await Assert.ThrowsAsync<IOException>(() => import.RunAsync(preview.Job.Id, job => job.ProcessedRows == 30 ? throw new IOException("disk gone") : Task.CompletedTask));
        var interrupted = await import.FindAsync(preview.Job.Id);
        Assert.Equal((ImportStatus.Interrupted, 30, 30), (interrupted!.Status, interrupted.ProcessedRows, interrupted.Imported));
        Assert.Equal(before + 30, (await CountsAsync(harness)).Customers);

        // The host dies mid-run: the job still says Running, but its heartbeat stops. While the heartbeat is fresh
        // nobody else may run it; once it is stale the job shows as interrupted and resumes.
        await using (var crashed = harness.NewSystemContext())
        {
            await crashed.ImportJobs.Where(j => j.Id == preview.Job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ImportStatus.Running).SetProperty(j => j.HeartbeatAt, DateTime.UtcNow));
        }
        await Assert.ThrowsAsync<CrmBlazor.Domain.Common.AccessDeniedException>(() => import.RunAsync(preview.Job.Id));
        Assert.Equal(ImportStatus.Running, (await import.FindAsync(preview.Job.Id))!.Status);
        await using (var later = harness.NewSystemContext())
        {
            await later.ImportJobs.Where(j => j.Id == preview.Job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.HeartbeatAt, DateTime.UtcNow - CustomerImport.StaleAfter - TimeSpan.FromMinutes(1)));
        }
        Assert.Equal(ImportStatus.Interrupted, (await import.FindAsync(preview.Job.Id))!.Status);

        // 3. Resumed again: the last five, and the job completes.
        var completed = await import.RunAsync(preview.Job.Id);
        Assert.Equal((ImportStatus.Completed, 35, 0), (completed.Status, completed.Imported, completed.Skipped));
        Assert.Equal(before + 35, (await CountsAsync(harness)).Customers);
        await Assert.ThrowsAsync<CrmBlazor.Domain.Common.AccessDeniedException>(() => import.RunAsync(preview.Job.Id)); // a finished import does not run twice

        // 4. The same file again: every row is found in the database, nothing is duplicated.
        file.Position = 0;
        var again = await import.PrepareAsync("big.xlsx", file, ImportMode.CreateOnly);
        Assert.Equal((35, 0), (again.Job.ErrorRows, again.Job.ToCreate));
        var rerun = await import.RunAsync(again.Job.Id);
        Assert.Equal((0, 35), (rerun.Imported, rerun.Skipped));
        Assert.Equal(35, CustomerImport.ParseReasons(rerun.SkippedReasons)[ImportProblemKind.DuplicateInDatabase]);
        await using var db = harness.NewSystemContext();
        Assert.Equal(before + 35, await db.Customers.CountAsync());
        Assert.Equal(35, await db.Customers.CountAsync(c => c.Name.Contains("导入客户")));
        Assert.Equal(db.Customers.Count(), db.Customers.Select(c => c.Number).Distinct().Count());
    }

    [Fact]
    public async Task Update_by_number_changes_filled_cells_keeps_blank_ones_and_stays_within_scope()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 20);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var admin = await harness.DemoUserAsync("demo-admin");
        Customer mine, other;
        await using (var db = harness.NewSystemContext())
        {
            mine = await db.Customers.Include(c => c.Contacts).Where(c => c.OwnerId == rep.UserId).OrderBy(c => c.Number).FirstAsync();
            other = await db.Customers.Where(c => c.OwnerId != rep.UserId).OrderBy(c => c.Number).FirstAsync();
            await db.Customers.Where(c => c.Id == other.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.OwnerId, admin.UserId)); // outside the supervisor's team
            await db.Customers.Where(c => c.Id == mine.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Notes, "保留的备注").SetProperty(c => c.Status, CustomerStatuses.New));
        }
        await using (var db = harness.NewSystemContext())
        {
            // An old number of "mine" from an earlier merge.
            db.CustomerAliases.Add(new CustomerAlias { Number = "CRM2019001", CustomerId = mine.Id, MergedId = Guid.NewGuid(), MergedName = "旧客户", MergedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        var import = harness.Get<CustomerImport>(supervisor);
        var rows = new List<Dictionary<string, object?>>
        {
            Row(null, contact: null, number: mine.Number, industry: "Finance", city: "宁波", status: "合作中"),
            Row(null, contact: null, number: other.Number, city: "宁波"),
            Row(null, contact: null, number: "CRM1999001", city: "宁波"),
            Row(null, contact: null, number: "CRM2019001", city: "温州"),   // the same customer as row 2, by its old number
            Row(other.Name, "新联系人", "13911112222"),                      // a new customer named like one outside the scope
        };

        var preview = await import.PrepareAsync("update.xlsx", Xlsx(rows), ImportMode.CreateOrUpdate);

        Assert.Equal((1, 4), (preview.Job.ToUpdate, preview.Job.ErrorRows));
        Assert.Equal($"客户 {other.Number} 不在你的权限范围内", preview.FailingRows[0].Reasons(true));
        Assert.Equal("客户编号 CRM1999001 不存在，无法更新", preview.FailingRows[1].Reasons(true));
        Assert.Equal("与第 2 行更新的是同一个客户", preview.FailingRows[2].Reasons(true));
        Assert.Equal("已有同名客户 （不在你的权限范围内）", preview.FailingRows[3].Reasons(true)); // the number outside the scope is not named
        var told = new System.Collections.Concurrent.ConcurrentQueue<LiveEvent>();
        using var listening = harness.LiveEvents.Subscribe(e => { told.Enqueue(e); return Task.CompletedTask; });
        var done = await import.RunAsync(preview.Job.Id);
        Assert.Equal((0, 1, 4), (done.Imported, done.Updated, done.Skipped));
        // The updated customer's open page re-reads (issue 19), and says who: the event is recorded with the batch.
        var changed = Assert.Single(told.OfType<CustomersChanged>());
        Assert.Equal([mine.Id], changed.CustomerIds);
        Assert.Equal(supervisor.UserId, changed.ChangedBy);
        await using var check = harness.NewSystemContext();
        Assert.True(await check.LiveEventOutbox.AnyAsync(r => r.EventId == changed.EventId));
        var updated = await check.Customers.Include(c => c.Contacts).SingleAsync(c => c.Id == mine.Id);
        Assert.Equal(("finance", "宁波", "保留的备注", CustomerStatuses.Cooperating, mine.Name), (updated.Industry, updated.City, updated.Notes, updated.Status, updated.Name));
        Assert.Equal(mine.Contacts.Count, updated.Contacts.Count);
        Assert.True(await check.CustomerStatusChanges.AnyAsync(s => s.CustomerId == mine.Id && s.ToStatus == CustomerStatuses.Cooperating && s.Reason == SystemReasons.Of(SystemReasons.Imported)));
        Assert.NotEqual("宁波", (await check.Customers.SingleAsync(c => c.Id == other.Id)).City);
    }

    [Fact]
    public async Task A_run_that_lost_its_job_to_another_run_rolls_its_batch_back_and_leaves_the_job_alone()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var admin = await harness.DemoUserAsync("demo-admin");
        var import = harness.Get<CustomerImport>(admin);
        var preview = await import.PrepareAsync("twice.xlsx", Xlsx(ValidRows(30, "夺")), ImportMode.CreateOnly);
        var before = (await CountsAsync(harness)).Customers;

        // After the first batch, another run (a resume from a second tab) moves the job on as if it wrote batch two.
        var result = await import.RunAsync(preview.Job.Id, async job =>
        {
            if (job.ProcessedRows == 10)
            {
                await using var other = harness.NewSystemContext();
                await other.ImportJobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.ProcessedRows, 20));
            }
        });

        Assert.Equal(before + 10, (await CountsAsync(harness)).Customers); // this run's second batch was rolled back
        var stored = await import.FindAsync(preview.Job.Id);
        Assert.Equal((ImportStatus.Running, 20, 10), (stored!.Status, stored.ProcessedRows, stored.Imported)); // left to the other run
        Assert.Equal(10, result.ProcessedRows);
    }

    [Fact]
    public async Task Each_bad_file_gets_its_message_and_leaves_nothing_behind()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var admin = await harness.DemoUserAsync("demo-admin");
        var import = harness.Get<CustomerImport>(admin);
        var tooManyRows = Enumerable.Range(1, 1001).Select(i => (IDictionary<string, object?>)Row($"行数{i}有限公司")).ToList();
        var cases = new (string Name, Stream File, string Message)[]
        {
            ("notes.txt", new MemoryStream("客户名称,手机\n甲,138"u8.ToArray()), "这不是 Excel 工作簿（.xlsx）"),
            ("secret.xlsx", PasswordProtected(), "工作簿有密码保护"),
            ("old.xls", OldXls(), "这是旧版 .xls 文件"),
            ("wrong.xlsx", Xlsx([new Dictionary<string, object?> { ["Ref"] = "甲", ["Phone"] = "13800000000" }]), "缺少必需的列：客户名称、关键联系人"), // "Phone" alone is mapped
            ("empty.xlsx", Xlsx([new Dictionary<string, object?> { ["客户名称*"] = null, ["关键联系人*"] = null }]), "文件没有数据行"),
            ("zero.xlsx", new MemoryStream(), "文件是空的"),
            ("huge.xlsx", new MemoryStream(new byte[1024 * 1024 + 1]), "文件超过 1 MB 的上限"),
            ("rows.xlsx", Xlsx(tooManyRows), "文件超过 1,000 行的上限"),
            ("formula.xlsx", WithFormula([Row("公式有限公司", "甲", "13800000000")]), "含有公式"),
            ("broken.xlsx", Truncated(Xlsx([Row("残缺有限公司", "甲", "13800000000")])), "这不是 Excel 工作簿（.xlsx）"),
        };
        var before = await CountsAsync(harness);
        foreach (var (name, file, message) in cases)
        {
            var refused = await Assert.ThrowsAsync<ImportRejectedException>(() => import.PrepareAsync(name, file, ImportMode.CreateOnly));
            Assert.True(refused.Zh.Contains(message, StringComparison.Ordinal), $"{name}: {refused.Zh}");
            Assert.False(string.IsNullOrWhiteSpace(refused.En));
        }
        Assert.Equal(before, await CountsAsync(harness));
        await using var db = harness.NewSystemContext();
        Assert.Equal(0, await db.ImportJobs.CountAsync());
        Assert.Empty(Directory.Exists(harness.ImportRoot) ? Directory.GetFiles(harness.ImportRoot) : []);
    }

    [Fact]
    public async Task Uploads_are_deleted_after_the_retention_days_unless_running_and_a_run_without_its_file_says_so()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var admin = await harness.DemoUserAsync("demo-admin");
        var import = harness.Get<CustomerImport>(admin);
        var old = await import.PrepareAsync("old.xlsx", Xlsx(ValidRows(3, "旧")), ImportMode.CreateOnly);
        var running = await import.PrepareAsync("running.xlsx", Xlsx(ValidRows(3, "跑")), ImportMode.CreateOnly);
        var settings = harness.Get<ImportSettings>(admin);
        await using (var db = harness.NewSystemContext())
        {
            await db.ImportJobs.Where(j => j.Id == running.Job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ImportStatus.Running));
        }
        foreach (var file in Directory.GetFiles(harness.ImportRoot))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-settings.KeepDays - 1));
        }

        Assert.Equal(1, await harness.Get<ImportCleanup>(admin).RunAsync());

        Assert.False(import.HasUpload(old.Job.Id));
        Assert.True(import.HasUpload(running.Job.Id));
        var refused = await Assert.ThrowsAsync<ImportRejectedException>(() => import.RunAsync(old.Job.Id));
        Assert.Contains("请重新上传", refused.Zh, StringComparison.Ordinal);
        Assert.Equal(0, await harness.Get<ImportCleanup>(admin).RunAsync());
    }

    [Fact]
    public async Task Only_those_with_the_import_right_may_import()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var service = await harness.DemoUserAsync("demo-service");
        await Assert.ThrowsAsync<CrmBlazor.Domain.Common.AccessDeniedException>(() =>
            harness.Get<CustomerImport>(service).PrepareAsync("a.xlsx", Xlsx(ValidRows(1, "权")), ImportMode.CreateOnly));
    }

    /// <summary>A workbook cut off half-way (a failed download): the zip's directory is gone.</summary>
    private static MemoryStream Truncated(MemoryStream workbook) => new(workbook.ToArray()[..(int)(workbook.Length / 2)]);

    private static async Task<(string Number, string Name)> FirstCustomerAsync(DomainHarness harness)
    {
        await using var db = harness.NewSystemContext();
        var first = await db.Customers.OrderBy(c => c.Number).FirstAsync();
        return (first.Number, first.Name);
    }

    private static async Task<(int Customers, int Contacts, int Tokens)> CountsAsync(DomainHarness harness)
    {
        await using var db = harness.NewSystemContext();
        return (await db.Customers.CountAsync(), await db.Contacts.CountAsync(), await db.CustomerSearchTokens.CountAsync());
    }
}
