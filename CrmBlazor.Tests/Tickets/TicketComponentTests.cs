using System.Globalization;
using Bunit;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Domain.Uploads;
using CrmBlazor.Server;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Server.Features.Customers;
using CrmBlazor.Server.Features.Dictionaries;
using CrmBlazor.Server.Features.Tickets;
using CrmBlazor.Tests.Demands;
using CrmBlazor.Tests.Infrastructure;
using CrmBlazor.Tests.Layout;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace CrmBlazor.Tests.Tickets;

/// <summary>SPEC G1, G3: the ticket list, the new-ticket dialog and the ticket page, rendered over a real database.</summary>
public sealed class TicketComponentTests : MudTestContext
{
    // Friday 2026-09-25 17:30 in Beijing.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 9, 25, 9, 30, 0, TimeSpan.Zero));

    private void Act(DomainHarness harness, TestUser user, string culture = "en")
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        Services.AddSingleton<ICurrentUser>(user);
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton<ILiveEvents>(harness.LiveEvents);
        Services.AddSingleton(harness.Get<Permissions>(user));
        Services.AddSingleton(harness.Get<TicketQueries>(user));
        Services.AddSingleton(harness.Get<TicketService>(user));
        Services.AddSingleton(harness.Get<TicketFollowUpService>(user));
        Services.AddSingleton(harness.Get<TicketAttachmentService>(user));
        Services.AddSingleton(harness.Get<UploadedFiles>(user));
        Services.AddSingleton(harness.Get<SupportGroupService>(user));
        Services.AddSingleton(harness.Get<CustomerQueries>(user));
        Services.AddSingleton(harness.Get<UserDirectory>(user));
        Services.AddSingleton(new DictionaryLabels(harness.Get<DictionaryService>(user)));
    }

    private Task<DomainHarness> HarnessAsync(int customers = 6) => DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers, _time);

    [Fact]
    public async Task The_list_without_tickets_says_so_and_offers_the_new_ticket_button_to_customer_service_only()
    {
        await using var harness = await HarnessAsync();
        Act(harness, await harness.DemoUserAsync("demo-service"), "zh-CN");

        var list = RenderWithPopovers<TicketList>();

        list.WaitForAssertion(() => Assert.Contains("暂无工单。", list.Find(".crm-ticket-empty").TextContent, StringComparison.Ordinal));
        Assert.Contains("共 0 张工单", list.Find(".crm-ticket-count").TextContent, StringComparison.Ordinal);
        Assert.Single(list.FindAll(".crm-new-ticket"));
    }

    [Theory]
    [InlineData("en", "Some fields need attention. A ticket cannot move from Assigned to Closed.")]
    [InlineData("zh-CN", "部分字段需要修改。 工单不能从“已分配”变为“已关闭”。")]
    public async Task A_refused_move_names_both_statuses_in_the_readers_language(string culture, string expected)
    {
        await using var harness = await HarnessAsync();
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var agent = harness.Get<TicketService>(desk.Agents[0]);
        var ticket = await agent.CreateAsync(desk.Input());
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => agent.ChangeStatusAsync(ticket.Id, ticket.Version, TicketStatus.Closed));
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);

        var snackbars = Render<MudSnackbarProvider>();
        await snackbars.InvokeAsync(() => UserErrors.Show(Services.GetRequiredService<ISnackbar>(), Services.GetRequiredService<IStringLocalizer<SharedResource>>(), refused));

        snackbars.WaitForAssertion(() => Assert.Equal(expected, snackbars.Find(".mud-snackbar-content-message").TextContent.Trim()));
    }

    [Fact]
    public async Task The_list_shows_only_the_tickets_the_filters_ask_for_most_urgent_first()
    {
        await using var harness = await HarnessAsync();
        var desk = await ServiceDesk.CreateAsync(harness, agents: 2);
        var tickets = harness.Get<TicketService>(desk.Desk);
        var critical = await tickets.CreateAsync(desk.Input("生产环境无法登录", TicketSeverity.Critical));
        var low = await tickets.CreateAsync(desk.Input("修改报表字体", TicketSeverity.Low));
        var analyst = await harness.DemoUserAsync("demo-analyst");
        Act(harness, analyst);

        var list = RenderWithPopovers<TicketList>();
        list.WaitForAssertion(() => Assert.Equal(2, list.FindAll(".crm-ticket-row").Count));
        Assert.Contains(critical.Number, list.FindAll(".crm-ticket-row")[0].TextContent, StringComparison.Ordinal); // 4 h response before 2 working days
        Assert.Empty(list.FindAll(".crm-new-ticket")); // an analyst reads

        var bar = list.FindComponent<TicketFilterBar>();
        await list.InvokeAsync(() => bar.Instance.FilterChanged.InvokeAsync(bar.Instance.Filter with { Severity = TicketSeverity.Low }));
        list.WaitForAssertion(() => Assert.Contains(low.Number, Assert.Single(list.FindAll(".crm-ticket-row")).TextContent, StringComparison.Ordinal));

        await list.InvokeAsync(() => bar.Instance.FilterChanged.InvokeAsync(new TicketFilter(OpenOnly: true, Breached: true)));
        list.WaitForAssertion(() => Assert.Contains("No ticket matches these filters.", list.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_filter_bar_hands_each_choice_to_the_query_as_a_ticket_filter()
    {
        await using var harness = await HarnessAsync();
        Act(harness, await harness.DemoUserAsync("demo-supervisor"), "zh-CN");
        TicketFilter? handed = null;
        var bar = RenderWithPopovers<TicketFilterBar>(p => p.Add(b => b.Filter, new TicketFilter(OpenOnly: true)).Add(b => b.FilterChanged, f => handed = f));

        Open(bar, "crm-ticket-filter-severity");
        Popovers.WaitForAssertion(() => Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Contains("紧急", StringComparison.Ordinal)).Click());
        Assert.Equal(new TicketFilter(OpenOnly: true, Severity: TicketSeverity.Critical), handed);

        bar.Find(".crm-ticket-filter-breached input, input.crm-ticket-filter-breached").Change(true);
        Assert.Equal(new TicketFilter(OpenOnly: true, Breached: true), handed);

        Open(bar, "crm-ticket-filter-status");
        Popovers.WaitForAssertion(() => Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == "等待客户").Click());
        Assert.Equal(new TicketFilter(Status: TicketStatus.WaitingForCustomer, OpenOnly: false), handed);
    }

    [Fact]
    public async Task The_dialog_names_what_is_missing_and_its_contact_list_follows_the_chosen_customer()
    {
        await using var harness = await HarnessAsync();
        Act(harness, await harness.DemoUserAsync("demo-service"), "zh-CN");
        Customer first, second;
        await using (var db = harness.NewSystemContext())
        {
            var customers = await db.Customers.Include(c => c.Contacts).OrderBy(c => c.Number).Take(2).ToListAsync();
            (first, second) = (customers[0], customers[1]);
        }
        var provider = RenderWithPopovers<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<NewTicketDialog>("新建工单"));

        provider.WaitForElement(".crm-ticket-save").Click();
        provider.WaitForAssertion(() => Assert.Contains("请选择客户。", provider.Markup, StringComparison.Ordinal));

        await ChooseCustomerAsync(provider, first);
        OpenContacts(provider);
        Popovers.WaitForAssertion(() => Assert.Contains(first.Contacts.Single(c => c.IsKey).Name, Popovers.Markup, StringComparison.Ordinal));
        Assert.Equal(first.Contacts.Single(c => c.IsKey).Name, ChosenContact(provider)); // the key contact by default
        await ChooseCustomerAsync(provider, second);
        provider.WaitForAssertion(() => Assert.Equal(second.Contacts.Single(c => c.IsKey).Name, ChosenContact(provider)));
        Popovers.WaitForAssertion(() =>
        {
            Assert.Contains(second.Contacts.Single(c => c.IsKey).Name, Popovers.Markup, StringComparison.Ordinal);
            Assert.DoesNotContain(first.Contacts.Single(c => c.IsKey).Name, Popovers.Markup, StringComparison.Ordinal);
        });

        provider.Find(".crm-ticket-save").Click();
        provider.WaitForAssertion(() =>
        {
            Assert.Contains("请填写工单标题。", provider.Markup, StringComparison.Ordinal);
            Assert.Contains("请描述客户的问题。", provider.Markup, StringComparison.Ordinal);
            Assert.Contains("请选择工单类别。", provider.Markup, StringComparison.Ordinal);
        });
        await using var check = harness.NewSystemContext();
        Assert.Equal(0, await check.Tickets.CountAsync());
    }

    [Fact]
    public async Task On_the_ticket_page_an_agent_sees_only_the_moves_allowed_from_assigned_and_notes_and_replies_stay_apart()
    {
        await using var harness = await HarnessAsync();
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var created = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input());
        var agent = harness.Get<TicketService>(desk.Agents[0]);
        await agent.CommentAsync(created.Id, "内部：疑似权限过滤导致查询超时", isInternal: true);
        await agent.CommentAsync(created.Id, "您好，问题已复现，正在处理。", isInternal: false);
        Act(harness, desk.Agents[0], "zh-CN");

        var page = RenderWithPopovers<TicketPage>(p => p.Add(t => t.Id, created.Id));

        page.WaitForElement(".crm-ticket-header");
        var actions = page.FindAll(".crm-ticket-action").Select(a => a.ClassList.Single(c => c.StartsWith("crm-ticket-", StringComparison.Ordinal) && c != "crm-ticket-action")).ToList();
        Assert.Equal(["crm-ticket-start", "crm-ticket-wait", "crm-ticket-resolve"], actions);
        Assert.Empty(page.FindAll(".crm-ticket-take")); // it is assigned already
        Assert.Empty(page.FindAll(".crm-ticket-assign")); // agents do not hand tickets out: they see whose it is
        Assert.Equal(desk.Agents[0].DisplayName, page.Find(".crm-ticket-assignee").TextContent.Trim());
        var note = Assert.Single(page.FindAll(".crm-ticket-note"));
        var reply = Assert.Single(page.FindAll(".crm-ticket-reply"));
        Assert.Contains("内部备注", note.TextContent, StringComparison.Ordinal);
        Assert.Contains("疑似权限过滤", note.TextContent, StringComparison.Ordinal);
        Assert.Contains("回复客户", reply.TextContent, StringComparison.Ordinal);
        Assert.Contains("问题已复现", reply.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("疑似权限过滤", reply.TextContent, StringComparison.Ordinal);
        Assert.Equal("internal", page.Find(".crm-ticket-composer").GetAttribute("data-kind"));
        Assert.Contains("响应：按时", page.Find(".crm-ticket-header").TextContent, StringComparison.Ordinal); // the reply was the first response

        page.Find(".crm-ticket-kind-reply").Click();
        page.WaitForAssertion(() => Assert.Equal("reply", page.Find(".crm-ticket-composer").GetAttribute("data-kind")));
        Assert.Contains("发送回复", page.Find(".crm-ticket-comment-send").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_the_ticket_page_an_agent_attaches_a_file_and_the_page_lists_it_and_a_disguised_file_is_refused_by_name()
    {
        await using var harness = await HarnessAsync();
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var created = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input());
        Act(harness, desk.Agents[0], "zh-CN");

        var page = RenderWithPopovers<TicketPage>(p => p.Add(t => t.Id, created.Id));
        page.WaitForElement(".crm-ticket-attachments");
        Assert.Contains("暂无附件。", page.Find(".crm-ticket-attachments").TextContent, StringComparison.Ordinal);

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(DemandTests.Exe, "截图.png"));
        page.WaitForAssertion(() => Assert.Contains("截图.png：文件内容与扩展名不符，已拒收。", page.Find(".crm-ticket-attach-error").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll(".crm-ticket-attachment"));

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(DemandTests.Png, "报错截图.png"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".crm-ticket-attachment")));
        var row = page.Find(".crm-ticket-attachment");
        var id = Assert.Single((await harness.Get<TicketQueries>(desk.Agents[0]).DetailAsync(created.Id)).Attachments).Id;
        Assert.Equal($"/tickets/attachments/{id}", row.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("报错截图.png", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 KB", row.TextContent, StringComparison.Ordinal);
        Assert.Contains(desk.Agents[0].DisplayName, row.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll(".crm-ticket-attach-error"));
        var history = page.Find(".crm-ticket-history-row[data-field='Attachment']");
        Assert.Contains("添加附件", history.TextContent, StringComparison.Ordinal);
        Assert.Contains("报错截图.png", history.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, new string[0])]
    [InlineData(true, new[] { "crm-ticket-close", "crm-ticket-reopen" })]
    public async Task A_resolved_ticket_offers_an_agent_close_and_reopen_and_a_reader_no_action_nor_composer(bool asAgent, string[] expected)
    {
        await using var harness = await HarnessAsync();
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var created = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input());
        await harness.Get<TicketService>(desk.Agents[0]).ResolveAsync(created.Id, created.Version, "已修复。");
        Act(harness, asAgent ? desk.Agents[0] : await harness.DemoUserAsync("demo-analyst"));

        var page = RenderWithPopovers<TicketPage>(p => p.Add(t => t.Id, created.Id));

        page.WaitForElement(".crm-ticket-header");
        Assert.Equal(expected, page.FindAll(".crm-ticket-action").Select(a => a.ClassList.Single(c => c.StartsWith("crm-ticket-", StringComparison.Ordinal) && c != "crm-ticket-action")));
        Assert.Equal(asAgent ? 1 : 0, page.FindAll(".crm-ticket-composer").Count);
        Assert.Contains("Resolution: in time", page.Find(".crm-ticket-header").TextContent, StringComparison.Ordinal);
        var history = page.Find(".crm-ticket-history").TextContent;
        Assert.Contains("Status: Assigned → Resolved", history, StringComparison.Ordinal); // localised, from → to
        Assert.Contains("First response: customer reply", history, StringComparison.Ordinal);
    }

    public enum FollowUpCase { ResolvedAgent, ResolvedReader, SurveyedAgent, InProgressAgent }

    [Theory]
    [InlineData(FollowUpCase.ResolvedAgent, true)]
    [InlineData(FollowUpCase.ResolvedReader, false)]
    [InlineData(FollowUpCase.SurveyedAgent, false)]
    [InlineData(FollowUpCase.InProgressAgent, false)]
    public async Task Record_follow_up_is_offered_only_on_a_resolved_ticket_without_a_survey_to_users_who_may_edit(FollowUpCase scenario, bool offered)
    {
        await using var harness = await HarnessAsync();
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var created = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input());
        var agent = harness.Get<TicketService>(desk.Agents[0]);
        var ticket = await agent.ChangeStatusAsync(created.Id, created.Version, TicketStatus.InProgress);
        if (scenario != FollowUpCase.InProgressAgent)
        {
            ticket = await agent.ResolveAsync(ticket.Id, ticket.Version, "已修复。");
        }
        if (scenario == FollowUpCase.SurveyedAgent)
        {
            await harness.Get<TicketFollowUpService>(desk.Desk).RecordAsync(ticket.Id, ticket.Version, 4, "响应很快。", reopen: false);
        }
        Act(harness, scenario == FollowUpCase.ResolvedReader ? await harness.DemoUserAsync("demo-analyst") : desk.Agents[0], "zh-CN");

        var page = RenderWithPopovers<TicketPage>(p => p.Add(t => t.Id, created.Id));

        page.WaitForElement(".crm-ticket-header");
        var action = page.FindAll(".crm-ticket-followup");
        Assert.Equal(offered ? 1 : 0, action.Count);
        if (offered)
        {
            Assert.Contains("记录回访", action[0].TextContent, StringComparison.Ordinal);
        }
        if (scenario == FollowUpCase.SurveyedAgent)
        {
            var survey = page.Find(".crm-ticket-followup-entry");
            Assert.Equal("4", survey.GetAttribute("data-score"));
            Assert.Contains("满意度 4/5 分", survey.TextContent, StringComparison.Ordinal);
            Assert.Contains("响应很快。", survey.TextContent, StringComparison.Ordinal);
            Assert.Contains(desk.Desk.DisplayName, survey.TextContent, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(page.FindAll(".crm-ticket-followups"));
        }
    }

    [Fact]
    public async Task Recording_the_follow_up_through_the_dialog_shows_it_on_the_page_and_withdraws_the_action()
    {
        await using var harness = await HarnessAsync();
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var created = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input());
        await harness.Get<TicketService>(desk.Agents[0]).ResolveAsync(created.Id, created.Version, "已修复。");
        Act(harness, desk.Agents[0]);
        var provider = RenderWithPopovers<MudDialogProvider>();

        var page = Render<TicketPage>(p => p.Add(t => t.Id, created.Id));

        page.WaitForElement(".crm-ticket-followup").Click();
        provider.WaitForElement(".crm-followup-dialog");
        provider.FindAll(".crm-followup-score .mud-rating-item")[3].Click();
        provider.Find(".crm-followup-save").Click();
        page.WaitForAssertion(() => Assert.Equal("4", page.Find(".crm-ticket-followup-entry").GetAttribute("data-score")));
        Assert.Empty(page.FindAll(".crm-ticket-followup"));
        Assert.Contains(desk.Agents[0].DisplayName, page.Find(".crm-ticket-followup-entry").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_follow_up_visit_in_my_work_links_to_its_ticket()
    {
        await using var harness = await HarnessAsync();
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var created = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input());
        await harness.Get<TicketService>(desk.Agents[0]).ResolveAsync(created.Id, created.Version, "已修复。");
        Act(harness, desk.Agents[0]);
        Services.AddSingleton(harness.Get<CrmBlazor.Domain.Interactions.TodoService>(desk.Agents[0]));

        var todos = RenderWithPopovers<CrmBlazor.Server.Features.Home.MyTodos>();

        var link = todos.WaitForElement(".crm-todo-ticket-link");
        Assert.Equal($"/tickets/{created.Id}", link.GetAttribute("href"));
        Assert.StartsWith(created.Number, link.TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_boards_customer_filter_offers_the_customers_matching_what_is_typed_from_the_first()
    {
        // It asked the list for its second page of ten (pages count from 0): a term matching one customer offered nothing.
        await using var harness = await HarnessAsync();
        Act(harness, await harness.DemoUserAsync("demo-service"));
        await using var db = harness.NewSystemContext();
        var customer = await db.Customers.OrderBy(c => c.NumberOrder).FirstAsync();

        var bar = RenderWithPopovers<TicketBoardFilterBar>(p => p
            .Add(b => b.Filter, new TicketBoardFilter()).Add(b => b.Groups, []).Add(b => b.Users, []));
        var search = bar.FindComponent<MudAutocomplete<CustomerListItem>>().Instance.SearchFunc!;

        var searching = search(customer.Number, CancellationToken.None);
        Assert.NotNull(searching);
        var offered = await searching;
        Assert.NotNull(offered);
        Assert.Equal(customer.Id, Assert.Single(offered).Id);
    }

    /// <summary>Chooses the customer as the autocomplete hands it over (its search is the customer list's, tested there).</summary>
    private static async Task ChooseCustomerAsync(IRenderedComponent<MudDialogProvider> provider, Customer customer)
    {
        var picker = provider.FindComponent<CustomerAutocomplete>();
        await provider.InvokeAsync(() => picker.Instance.ValueChanged.InvokeAsync(new CustomerChoice(customer.Id, customer.Name, customer.Number)));
    }

    private static string? ChosenContact(IRenderedComponent<MudDialogProvider> provider) =>
        provider.Find(".crm-ticket-contact input, .mud-input-control.crm-ticket-contact input").GetAttribute("value");

    private static void OpenContacts(IRenderedComponent<MudDialogProvider> provider) => Open(provider, "crm-ticket-contact");

    /// <summary>Opens the MudSelect carrying <paramref name="css"/> (on its input control or around it).</summary>
    private static void Open<T>(IRenderedComponent<T> component, string css) where T : Microsoft.AspNetCore.Components.IComponent =>
        component.WaitForAssertion(() => component.Find($".{css} .mud-input-control, .mud-input-control.{css}").MouseDown());
}
