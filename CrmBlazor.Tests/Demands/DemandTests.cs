using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.Uploads;
using CrmBlazor.Domain.WorkingTime;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Demands;

/// <summary>SPEC D1–D3, D5 through the Domain services, on real databases.</summary>
public sealed class DemandTests
{
    internal static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
    internal static readonly byte[] Exe = [.. "MZ"u8, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Twenty_demands_raised_at_once_get_twenty_different_consecutive_numbers(DatabaseProvider provider)
    {
        // New Year's Eve 16:30 UTC is already 1 January in Shanghai: numbers take the company's year.
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 12, 31, 16, 30, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 3, time: clock);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var customerId = await CustomerOfAsync(harness, rep);
        var created = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            harness.Get<DemandService>(rep).CreateAsync(new DemandInput(customerId, $"需求 {i}", "existing", DemandPriority.Medium, null))));

        Assert.Equal(Enumerable.Range(1, 20).Select(n => $"DE2031{n:0000}"), created.Select(d => d.Number).Order());
    }

    [Fact]
    public async Task A_demand_gets_its_deadline_from_the_calendar_admin_keeps_and_a_rep_cannot_raise_one_on_someone_elses_customer()
    {
        // Friday 2026-09-25 17:00 in Beijing.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 9, 25, 9, 0, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6, time: clock);
        var admin = await harness.DemoUserAsync("demo-admin");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var other = await harness.DemoUserAsync("demo-salesrep2");
        var calendar = harness.Get<WorkingCalendarService>(admin);
        await calendar.SetDayAsync(new DateOnly(2026, 9, 28), isWorkingDay: false, "中秋节");
        await calendar.SetDayAsync(new DateOnly(2026, 9, 26), isWorkingDay: true, "中秋调休");
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<WorkingCalendarService>(rep).SetDayAsync(new DateOnly(2026, 9, 29), false, "自封假日"));

        var demand = await harness.Get<DemandService>(rep).CreateAsync(new DemandInput(await CustomerOfAsync(harness, rep), "定制数据看板，支持实时销售数据展示", "potential", DemandPriority.Medium, null));

        Assert.Equal(new DateTime(2026, 9, 30, 9, 0, 0, DateTimeKind.Utc), demand.ResponseDueAt); // Wednesday 17:00 Beijing
        Assert.Equal(DemandStatus.Open, demand.Status);
        Assert.Equal(rep.UserId, demand.OwnerId);
        var othersCustomer = await CustomerOfAsync(harness, other);
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            harness.Get<DemandService>(rep).CreateAsync(new DemandInput(othersCustomer, "不是我的客户", "existing", DemandPriority.Low, null)));
        var mine = await CustomerOfAsync(harness, rep);
        var empty = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            harness.Get<DemandService>(rep).CreateAsync(new DemandInput(mine, " ", null, DemandPriority.Low, null)));
        Assert.Equal(["Description", "Type"], empty.Errors.Select(e => e.Field).Order());
    }

    [Fact]
    public async Task A_task_is_delayed_only_with_a_reason_and_a_later_date_and_the_delay_stays_in_its_history()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var demands = harness.Get<DemandService>(rep);
        var demand = await demands.CreateAsync(new DemandInput(await CustomerOfAsync(harness, rep), "数据对接", "existing", DemandPriority.High, null));
        var planned = DateTime.UtcNow.AddDays(3);
        var task = await demands.AddTaskAsync(demand.Id, new TaskInput("调研客户数据看板需求", rep.UserId, planned));

        var noReason = await Assert.ThrowsAsync<ValidationFailedException>(() => demands.MoveTaskAsync(task.Id, task.Version, DemandTaskStatus.Delayed, " ", planned.AddDays(2)));
        Assert.Equal(["DelayReason"], noReason.Errors.Select(e => e.Field));
        var earlier = await Assert.ThrowsAsync<ValidationFailedException>(() => demands.MoveTaskAsync(task.Id, task.Version, DemandTaskStatus.Delayed, "客户数据不全", planned.AddDays(-1)));
        Assert.Equal(["NewPlannedAt"], earlier.Errors.Select(e => e.Field));

        var delayed = await demands.MoveTaskAsync(task.Id, task.Version, DemandTaskStatus.Delayed, "客户临时提供数据不全，需延迟2天", planned.AddDays(2));

        var detail = await harness.Get<DemandQueries>(rep).GetAsync(demand.Id);
        var stored = Assert.Single(detail.Tasks).Task;
        Assert.Equal(DemandTaskStatus.Delayed, stored.Status);
        Assert.Equal(planned.AddDays(2), stored.PlannedAt, TimeSpan.FromMilliseconds(1));
        var delay = Assert.Single(stored.Delays);
        Assert.Equal("客户临时提供数据不全，需延迟2天", delay.Reason);
        Assert.Equal(planned, delay.OldPlannedAt, TimeSpan.FromMilliseconds(1));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => demands.MoveTaskAsync(task.Id, task.Version, DemandTaskStatus.Done));
        await demands.MoveTaskAsync(task.Id, delayed.Version, DemandTaskStatus.Done);
        Assert.Equal(1, (await harness.Get<DemandQueries>(rep).BoardAsync(new DemandBoardFilter())).Single(c => c.Id == demand.Id).TasksDone);
    }

    [Fact]
    public async Task Closing_needs_real_evidence_an_exe_named_png_is_refused_and_nothing_is_kept_and_the_timeline_shows_the_demand()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 4);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var other = await harness.DemoUserAsync("demo-salesrep2");
        var customerId = await CustomerOfAsync(harness, rep);
        var demands = harness.Get<DemandService>(rep);
        var demand = await demands.CreateAsync(new DemandInput(customerId, "增加培训服务", "existing", DemandPriority.Low, null));

        var none = await Assert.ThrowsAsync<ValidationFailedException>(() => demands.CloseAsync(demand.Id, demand.Version, []));
        Assert.Equal("Validation.EvidenceRequired", Assert.Single(none.Errors).MessageKey);
        var disguised = await Assert.ThrowsAsync<ValidationFailedException>(() => demands.CloseAsync(demand.Id, demand.Version,
            [new FileUpload("签字确认.pdf", new MemoryStream("%PDF-1.4\n%确认"u8.ToArray())), new FileUpload("确认截图.png", new MemoryStream(Exe))]));
        Assert.Equal("Validation.UploadContent", Assert.Single(disguised.Errors).MessageKey);
        var script = await Assert.ThrowsAsync<ValidationFailedException>(() => demands.CloseAsync(demand.Id, demand.Version, [new FileUpload("run.exe", new MemoryStream(Exe))]));
        Assert.Equal("Validation.UploadType", Assert.Single(script.Errors).MessageKey);
        var huge = await Assert.ThrowsAsync<ValidationFailedException>(() => demands.CloseAsync(demand.Id, demand.Version,
            [new FileUpload("巨大.png", new MemoryStream([.. Png, .. new byte[10 * 1024 * 1024]]))]));
        Assert.Equal("Validation.UploadTooLarge", Assert.Single(huge.Errors).MessageKey);
        Assert.True(!Directory.Exists(harness.EvidenceRoot) || Directory.GetFiles(harness.EvidenceRoot).Length == 0, "a refused closure keeps no file");
        Assert.Equal(DemandStatus.Open, (await harness.Get<DemandQueries>(rep).GetAsync(demand.Id)).Demand.Status);

        var mail = "From: 王经理 <wang@example.cn>\r\nSubject: 确认需求已解决\r\n\r\n已收到培训安排，确认完成。"u8.ToArray();
        await demands.CloseAsync(demand.Id, demand.Version, [new FileUpload("确认截图.png", new MemoryStream(Png)), new FileUpload("确认邮件.eml", new MemoryStream(mail))]);

        var closed = await harness.Get<DemandQueries>(rep).GetAsync(demand.Id);
        Assert.Equal(DemandStatus.Done, closed.Demand.Status);
        Assert.Equal(["确认截图.png", "确认邮件.eml"], closed.Demand.Evidence.Select(e => e.FileName).Order());
        Assert.Equal(2, Directory.GetFiles(harness.EvidenceRoot).Length);
        Assert.DoesNotContain(Directory.GetFiles(harness.EvidenceRoot), f => f.Contains("确认", StringComparison.Ordinal));
        var (evidence, content) = await harness.Get<DemandQueries>(rep).OpenEvidenceAsync(closed.Demand.Evidence.Single(e => e.FileName.EndsWith(".png", StringComparison.Ordinal)).Id);
        await using (content)
        {
            Assert.Equal("image/png", evidence.ContentType);
            Assert.Equal(Png.Length, content.Length);
        }
        await Assert.ThrowsAnyAsync<CrmException>(() => harness.Get<DemandQueries>(other).OpenEvidenceAsync(evidence.Id));

        var timeline = (await harness.Get<CustomerQueries>(rep).GetProfileAsync(customerId)).Timeline;
        Assert.Contains(timeline, e => e.Kind == DemandTimelineSource.Raised && e.Values[0] == demand.Number);
        Assert.Contains(timeline, e => e.Kind == DemandTimelineSource.Closed && e.Values[0] == demand.Number);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Two_people_moving_one_card_at_once_one_wins_and_the_other_gets_a_conflict(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 3);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var demand = await harness.Get<DemandService>(rep).CreateAsync(new DemandInput(await CustomerOfAsync(harness, rep), "报价单调整", "existing", DemandPriority.Medium, null));

        var outcomes = await Task.WhenAll(
            Attempt(() => harness.Get<DemandService>(rep).MoveAsync(demand.Id, demand.Version, DemandStatus.InProgress)),
            Attempt(() => harness.Get<DemandService>(supervisor).MoveAsync(demand.Id, demand.Version, DemandStatus.AwaitingConfirmation)));

        Assert.Equal(1, outcomes.Count(won => won));
        await using var check = harness.NewSystemContext();
        var stored = await check.Demands.SingleAsync(d => d.Id == demand.Id);
        Assert.Equal(demand.Version + 1, stored.Version);
        Assert.NotNull(stored.RespondedAt);
        var toDone = await Assert.ThrowsAsync<ValidationFailedException>(() => harness.Get<DemandService>(rep).MoveAsync(demand.Id, stored.Version, DemandStatus.Done));
        Assert.Equal("Validation.ClosureNeedsEvidence", Assert.Single(toDone.Errors).MessageKey);

        static async Task<bool> Attempt(Func<Task> move)
        {
            try
            {
                await move();
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        }
    }

    [Fact]
    public async Task Giving_a_demand_or_a_task_to_someone_else_notifies_them_and_every_change_is_told_live()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 4);
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var heard = new List<DemandChanged>();
        using var subscription = harness.LiveEvents.Subscribe<DemandChanged>(e => { heard.Add(e); return Task.CompletedTask; });
        var customerId = await CustomerOfAsync(harness, rep);

        var demand = await harness.Get<DemandService>(supervisor).CreateAsync(new DemandInput(customerId, "售后优化", "existing", DemandPriority.High, rep.UserId));
        await harness.Get<DemandService>(rep).AddTaskAsync(demand.Id, new TaskInput("自己的任务", rep.UserId, DateTime.UtcNow.AddDays(1)));
        await harness.Get<DemandService>(rep).AddTaskAsync(demand.Id, new TaskInput("请主管审批", supervisor.UserId, DateTime.UtcNow.AddDays(2)));

        var outsider = await harness.DemoUserAsync("demo-salesrep2"); // not in this customer's scope
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            harness.Get<DemandService>(rep).AddTaskAsync(demand.Id, new TaskInput("给看不到客户的人", outsider.UserId, DateTime.UtcNow.AddDays(1))));
        Assert.Equal("OwnerId", Assert.Single(refused.Errors).Field);

        var repHears = await harness.Get<NotificationService>(rep).MineAsync();
        Assert.Equal([NotificationKinds.DemandAssigned], repHears.Select(n => n.Kind));
        Assert.Equal([supervisor.DisplayName, demand.Number, await CustomerNameAsync(harness, customerId)], repHears[0].Values);
        var supervisorHears = Assert.Single(await harness.Get<NotificationService>(supervisor).MineAsync());
        Assert.Equal(NotificationKinds.TaskAssigned, supervisorHears.Kind);
        Assert.Equal(NotificationSubject.Demand(demand.Id), supervisorHears.Subject);
        Assert.Equal(3, heard.Count);
        Assert.All(heard, e => Assert.Contains(Audience.ForUser(rep.UserId!.Value), e.Audience));
    }

    [Fact]
    public async Task A_reps_boards_hold_their_customers_demands_and_tasks_only_and_the_filters_narrow_them()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var other = await harness.DemoUserAsync("demo-salesrep2");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var mine = await harness.Get<DemandService>(rep).CreateAsync(new DemandInput(await CustomerOfAsync(harness, rep), "我的客户的需求", "existing", DemandPriority.High, null));
        var theirs = await harness.Get<DemandService>(other).CreateAsync(new DemandInput(await CustomerOfAsync(harness, other), "同事客户的需求", "existing", DemandPriority.Low, null));
        await harness.Get<DemandService>(other).AddTaskAsync(theirs.Id, new TaskInput("同事的任务", other.UserId, DateTime.UtcNow.AddDays(1)));
        var queries = harness.Get<DemandQueries>(rep);

        var board = await queries.BoardAsync(new DemandBoardFilter());
        Assert.Contains(board, c => c.Id == mine.Id);
        Assert.DoesNotContain(board, c => c.Id == theirs.Id);
        Assert.DoesNotContain(await queries.TaskBoardAsync(new DemandBoardFilter()), t => t.DemandId == theirs.Id);
        await Assert.ThrowsAnyAsync<CrmException>(() => queries.GetAsync(theirs.Id));
        await Assert.ThrowsAnyAsync<CrmException>(() => harness.Get<DemandService>(rep).MoveAsync(theirs.Id, theirs.Version, DemandStatus.InProgress));

        var team = await harness.Get<DemandQueries>(supervisor).BoardAsync(new DemandBoardFilter { Priority = DemandPriority.Low });
        Assert.Contains(team, c => c.Id == theirs.Id);
        Assert.All(team, c => Assert.Equal(DemandPriority.Low, c.Priority));
        Assert.All(await harness.Get<DemandQueries>(supervisor).BoardAsync(new DemandBoardFilter { OwnerId = rep.UserId }), c => Assert.Equal(rep.UserId, c.OwnerId));
        Assert.Equal([mine.Id], (await harness.Get<DemandQueries>(supervisor).BoardAsync(new DemandBoardFilter { DueBefore = mine.ResponseDueAt, Priority = DemandPriority.High, OwnerId = rep.UserId }))
            .Where(c => c.Id == mine.Id || c.Id == theirs.Id).Select(c => c.Id));
    }

    [Fact]
    public async Task Boards_answering_one_live_event_share_one_read_within_a_scope_and_never_across_scopes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 9, 25, 9, 0, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6, time: clock);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var other = await harness.DemoUserAsync("demo-salesrep2");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var demand = await harness.Get<DemandService>(rep).CreateAsync(new DemandInput(await CustomerOfAsync(harness, rep), "看板共享读取", "existing", DemandPriority.High, null));
        await harness.Get<DemandService>(rep).AddTaskAsync(demand.Id, new TaskInput("共享读取的任务", rep.UserId, clock.GetUtcNow().UtcDateTime.AddDays(1)));
        var liveEvent = Guid.NewGuid();

        // Two tabs of the supervisor answer the same event: the second gets the first one's read, not a query of its own —
        // a change made behind everyone's back in between (no event) does not show, because no second query ran.
        var firstTab = await harness.Get<DemandQueries>(supervisor).BoardAsync(new DemandBoardFilter(), liveEvent);
        var firstTasks = await harness.Get<DemandQueries>(supervisor).TaskBoardAsync(new DemandBoardFilter(), liveEvent);
        Assert.Contains(firstTab, c => c.Id == demand.Id);
        await using (var db = harness.NewSystemContext())
        {
            await db.Demands.Where(d => d.Id == demand.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Description, "已改"));
            await db.DemandTasks.Where(t => t.DemandId == demand.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.Name, "已改的任务"));
        }
        Assert.Same(firstTab, await harness.Get<DemandQueries>(supervisor).BoardAsync(new DemandBoardFilter(), liveEvent));
        Assert.Same(firstTasks, await harness.Get<DemandQueries>(supervisor).TaskBoardAsync(new DemandBoardFilter(), liveEvent));

        // The user's own reads, the next event and another filter each read anew.
        string Description(IReadOnlyList<DemandCard> cards) => cards.Single(c => c.Id == demand.Id).Description;
        Assert.Equal("已改", Description(await harness.Get<DemandQueries>(supervisor).BoardAsync(new DemandBoardFilter())));
        Assert.Equal("已改", Description(await harness.Get<DemandQueries>(supervisor).BoardAsync(new DemandBoardFilter(), Guid.NewGuid())));
        Assert.Equal("已改", Description(await harness.Get<DemandQueries>(supervisor).BoardAsync(new DemandBoardFilter { Priority = DemandPriority.High }, liveEvent)));
        Assert.Contains(await harness.Get<DemandQueries>(supervisor).TaskBoardAsync(new DemandBoardFilter(), Guid.NewGuid()), t => t.Name == "已改的任务");

        // Another scope answering the same event reads its own cards: the rep's colleague never gets the supervisor's.
        var colleagues = await harness.Get<DemandQueries>(other).BoardAsync(new DemandBoardFilter(), liveEvent);
        Assert.DoesNotContain(colleagues, c => c.Id == demand.Id);
        Assert.DoesNotContain(await harness.Get<DemandQueries>(other).TaskBoardAsync(new DemandBoardFilter(), liveEvent), t => t.DemandId == demand.Id);
        Assert.Contains(await harness.Get<DemandQueries>(rep).BoardAsync(new DemandBoardFilter(), liveEvent), c => c.Id == demand.Id && c.Description == "已改");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_demand_list_pages_newest_first_within_scope_closed_ones_included_and_narrows_by_status_customer_owner_priority_and_text(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 3, 10, 1, 0, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 6, time: clock);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var other = await harness.DemoUserAsync("demo-salesrep2");
        var customerId = await CustomerOfAsync(harness, rep);
        var demands = harness.Get<DemandService>(rep);
        var first = await demands.CreateAsync(new DemandInput(customerId, "接口对接甲：订单同步", "existing", DemandPriority.High, null));
        clock.Advance(TimeSpan.FromMinutes(1));
        var second = await demands.CreateAsync(new DemandInput(customerId, "接口对接乙：库存同步", "existing", DemandPriority.Low, null));
        clock.Advance(TimeSpan.FromMinutes(1));
        var closed = await demands.CreateAsync(new DemandInput(customerId, "接口对接丙：发票同步", "potential", DemandPriority.Medium, null));
        await demands.CloseAsync(closed.Id, closed.Version, [new FileUpload("确认截图.png", new MemoryStream(Png))]);
        await demands.MoveAsync(second.Id, second.Version, DemandStatus.InProgress);
        var theirs = await harness.Get<DemandService>(other).CreateAsync(new DemandInput(await CustomerOfAsync(harness, other), "接口对接丁：同事客户", "existing", DemandPriority.Low, null));
        var queries = harness.Get<DemandQueries>(rep);
        async Task<IReadOnlyList<Guid>> IdsAsync(DemandQueries q, DemandListFilter filter) => [.. (await q.ListAsync(filter, 0, 200)).Items.Select(i => i.Id)];

        var page1 = await queries.ListAsync(new DemandListFilter { Search = "接口对接" }, 0, 2);
        var page2 = await queries.ListAsync(new DemandListFilter { Search = "接口对接" }, 1, 2);

        Assert.Equal((3, 3), (page1.TotalCount, page2.TotalCount));
        Assert.Equal([closed.Id, second.Id, first.Id], page1.Items.Concat(page2.Items).Select(i => i.Id));
        var card = page1.Items[1];
        Assert.Equal((second.Number, DemandStatus.InProgress, DemandPriority.Low, rep.UserId, customerId), (card.Number, card.Status, card.Priority, (Guid?)card.OwnerId, card.CustomerId));
        Assert.Equal([second.Id, first.Id], await IdsAsync(queries, new DemandListFilter { Search = "接口对接", Statuses = [DemandStatus.Open, DemandStatus.InProgress] }));
        Assert.Equal([closed.Id], await IdsAsync(queries, new DemandListFilter { CustomerId = customerId, Statuses = [DemandStatus.Done] }));
        Assert.Equal([second.Id], await IdsAsync(queries, new DemandListFilter { Search = "接口对接", Priority = DemandPriority.Low }));
        Assert.Equal([second.Id], await IdsAsync(queries, new DemandListFilter { Search = second.Number }));
        Assert.DoesNotContain(theirs.Id, await IdsAsync(queries, new DemandListFilter()));
        Assert.Empty(await IdsAsync(queries, new DemandListFilter { Search = "同事客户" }));
        var supervisor = harness.Get<DemandQueries>(await harness.DemoUserAsync("demo-supervisor"));
        Assert.Equal([theirs.Id], await IdsAsync(supervisor, new DemandListFilter { Search = "接口对接", OwnerId = other.UserId }));
        Assert.Equal(4, (await supervisor.ListAsync(new DemandListFilter { Search = "接口对接" }, 0, 10)).TotalCount);
    }

    [Fact]
    public async Task An_interaction_about_a_demand_names_it_on_the_timeline_and_cannot_point_at_another_customers_demand()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        List<Guid> customers;
        await using (var db = harness.NewSystemContext())
        {
            customers = await db.Customers.Where(c => c.OwnerId == rep.UserId).OrderBy(c => c.Number).Select(c => c.Id).Take(2).ToListAsync();
        }
        var demands = harness.Get<DemandService>(rep);
        var demand = await demands.CreateAsync(new DemandInput(customers[0], "对接 ERP 订单数据", "existing", DemandPriority.Medium, null));
        var elsewhere = await demands.CreateAsync(new DemandInput(customers[1], "另一家客户的需求", "existing", DemandPriority.Medium, null));
        var interactions = harness.Get<Domain.Interactions.InteractionService>(rep);

        var wrong = await Assert.ThrowsAsync<ValidationFailedException>(() => interactions.LogAsync(
            new Domain.Interactions.InteractionInput(customers[0], "phone", DateTime.UtcNow, "接口讨论", null, null, [], [], [], elsewhere.Id)));
        Assert.Equal("DemandId", Assert.Single(wrong.Errors).Field);
        await interactions.LogAsync(new Domain.Interactions.InteractionInput(customers[0], "phone", DateTime.UtcNow, "接口讨论", "确认字段映射", null, [], [], [], demand.Id));

        var entry = Assert.Single((await harness.Get<CustomerQueries>(rep).GetProfileAsync(customers[0])).Timeline, e => e.Kind == Domain.Interactions.InteractionTimelineSource.Kind && e.Values[1] == "接口讨论");
        Assert.Equal(demand.Number, entry.Values[2]);
    }

    [Fact]
    public async Task Boards_open_in_several_tabs_hold_one_copy_of_each_unchanged_card_and_a_changed_card_is_read_anew()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2030, 2, 28, 15, 30, 0, TimeSpan.Zero)); // 23:30 in Shanghai
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 4, time: clock);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var first = await harness.Get<DemandService>(rep).CreateAsync(new DemandInput(await CustomerOfAsync(harness, rep), "第一个需求", "existing", DemandPriority.High, null));
        var second = await harness.Get<DemandService>(rep).CreateAsync(new DemandInput(await CustomerOfAsync(harness, rep), "第二个需求", "existing", DemandPriority.Low, null));
        await harness.Get<DemandService>(rep).AddTaskAsync(first.Id, new TaskInput("准备方案", rep.UserId, clock.GetUtcNow().UtcDateTime.AddDays(1)));

        // Two tabs, each its own read (no live event to share): equal cards are one object, texts included.
        var tabA = await harness.Get<DemandQueries>(supervisor).BoardAsync(new DemandBoardFilter());
        var tabB = await harness.Get<DemandQueries>(rep).BoardAsync(new DemandBoardFilter());
        Assert.Same(tabA.Single(c => c.Id == first.Id), tabB.Single(c => c.Id == first.Id));
        Assert.Same(tabA.Single(c => c.Id == second.Id).Description, tabB.Single(c => c.Id == second.Id).Description);
        Assert.Same((await harness.Get<DemandQueries>(supervisor).TaskBoardAsync(new DemandBoardFilter())).Single(t => t.DemandId == first.Id),
            (await harness.Get<DemandQueries>(rep).TaskBoardAsync(new DemandBoardFilter())).Single(t => t.DemandId == first.Id));

        // Boards answering one live event with the same scope and filter share one read: the very same list.
        var eventId = Guid.CreateVersion7();
        var answerA = await harness.Get<DemandQueries>(supervisor).BoardAsync(new DemandBoardFilter(), eventId);
        var answerB = await harness.Get<DemandQueries>(supervisor).BoardAsync(new DemandBoardFilter(), eventId);
        Assert.Same(answerA, answerB);
        Assert.NotSame(answerA, await harness.Get<DemandQueries>(rep).BoardAsync(new DemandBoardFilter(), eventId)); // another scope reads its own

        await harness.Get<DemandService>(rep).MoveAsync(second.Id, second.Version, DemandStatus.InProgress);
        var after = await harness.Get<DemandQueries>(supervisor).BoardAsync(new DemandBoardFilter());
        Assert.Same(tabA.Single(c => c.Id == first.Id), after.Single(c => c.Id == first.Id));
        var moved = after.Single(c => c.Id == second.Id);
        Assert.Equal(DemandStatus.InProgress, moved.Status);
        Assert.Equal(DemandStatus.Open, tabA.Single(c => c.Id == second.Id).Status); // what an older tab holds does not change under it
    }

    internal static async Task<Guid> CustomerOfAsync(DomainHarness harness, TestUser user)
    {
        await using var db = harness.NewSystemContext();
        return await db.Customers.Where(c => c.OwnerId == user.UserId).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
    }

    private static async Task<string> CustomerNameAsync(DomainHarness harness, Guid id)
    {
        await using var db = harness.NewSystemContext();
        return await db.Customers.Where(c => c.Id == id).Select(c => c.Name).SingleAsync();
    }
}
