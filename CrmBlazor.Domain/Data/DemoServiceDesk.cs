using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Domain.WorkingTime;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Data;

/// <summary>
/// The demo service desk (SPEC G1, G2): two support groups of the customer-service users with 李明 supervising,
/// every ticket category taken, and a handful of tickets in every status on the first customers, moved through
/// <see cref="TicketTransitions"/> so their SLA instants and history are what the app itself would have written.
/// None is past a deadline or near its 75% mark, so a fresh demo starts without SLA alerts.
/// </summary>
internal static class DemoServiceDesk
{
    private sealed record Plan(string Title, string Description, string Category, string Module, TicketSeverity Severity, TicketChannel Channel,
        int AgentIndex, double OpenedHoursAgo, (TicketStatus Status, double HoursAgo)[] Moves, (bool Internal, string Body, double HoursAgo)[] Comments);

    private static readonly Plan[] Plans =
    [
        new("登录后报表页面空白", "客户反馈登录后点击“销售报表”菜单，页面一直空白，换浏览器也一样。", "bug", "报表", TicketSeverity.Critical, TicketChannel.Phone, 0, 1,
            [(TicketStatus.InProgress, 0.5)],
            [(true, "已复现：仅在开启数据权限的账号上出现，疑似权限过滤导致查询超时。", 0.4), (false, "您好，问题已复现，工程师正在处理，预计今天内给您答复。", 0.3)]),
        new("如何批量导出客户联系人", "客户想把所有联系人导出为 Excel 做年终回访，询问操作方法。", "usage", "客户档案", TicketSeverity.High, TicketChannel.Online, 1, 2, [], []),
        new("月度销售数据与 ERP 对不上", "11 月销售额比 ERP 少约 3 万元，客户怀疑有订单未同步。", "data", "订单同步", TicketSeverity.Medium, TicketChannel.Email, 0, 5,
            [(TicketStatus.InProgress, 4), (TicketStatus.WaitingForCustomer, 3)],
            [(false, "请提供 ERP 中 11 月的订单明细导出文件，我们逐单核对。", 3)]),
        new("移动端审批提交失败", "安卓手机上提交报销审批时提示“网络错误”，电脑端正常。", "bug", "移动端", TicketSeverity.Medium, TicketChannel.Phone, 1, 26,
            [(TicketStatus.InProgress, 25), (TicketStatus.Resolved, 2)],
            [(false, "已修复移动端证书配置问题，请更新到最新版本后重试。", 2)]),
        new("导入客户时提示文件格式错误", "客户用自己整理的表格导入，系统提示文件格式错误。", "bug", "批量导入", TicketSeverity.High, TicketChannel.Visit, 0, 72,
            [(TicketStatus.InProgress, 70), (TicketStatus.Resolved, 48), (TicketStatus.Closed, 24)],
            [(false, "请使用系统提供的导入模板，已通过邮件发送给您。", 48)]),
        new("新员工账号权限配置咨询", "新入职 5 名销售，询问如何只让他们看到自己的客户。", "usage", "权限", TicketSeverity.Low, TicketChannel.Phone, 1, 3,
            [(TicketStatus.InProgress, 1)], []),
        new("客户档案重复需要合并", "同一家公司录入了两份档案，联系人和跟进记录分散在两边。", "data", "数据质量", TicketSeverity.Medium, TicketChannel.Online, 0, 0.5, [], []),
    ];

    public static async Task SeedAsync(CrmDbContext db, IReadOnlyList<AppUser> users, DateTime now, int year, CancellationToken cancellationToken)
    {
        var supervisor = users.Single(u => u.ExternalId == "demo-supervisor");
        var agents = users.Where(u => u.Roles == nameof(Role.CustomerService)).OrderBy(u => u.ExternalId, StringComparer.Ordinal).ToList();
        var frontLine = new SupportGroup { Name = "一线支持组", Strategy = AssignmentStrategy.RoundRobin };
        var dataDesk = new SupportGroup { Name = "数据支持组", Strategy = AssignmentStrategy.LeastLoaded };
        foreach (var agent in agents)
        {
            frontLine.Members.Add(new SupportGroupMember { GroupId = frontLine.Id, UserId = agent.Id, Role = SupportGroupRole.Agent });
        }
        dataDesk.Members.Add(new SupportGroupMember { GroupId = dataDesk.Id, UserId = agents[0].Id, Role = SupportGroupRole.Agent });
        foreach (var group in new[] { frontLine, dataDesk })
        {
            group.Members.Add(new SupportGroupMember { GroupId = group.Id, UserId = supervisor.Id, Role = SupportGroupRole.Supervisor });
        }
        frontLine.Categories.Add(new SupportGroupCategory { GroupId = frontLine.Id, Category = "bug" });
        frontLine.Categories.Add(new SupportGroupCategory { GroupId = frontLine.Id, Category = "usage" });
        dataDesk.Categories.Add(new SupportGroupCategory { GroupId = dataDesk.Id, Category = "data" });
        db.SupportGroups.AddRange(frontLine, dataDesk);

        var customers = await db.Customers.OrderBy(c => c.Number).Take(Plans.Length).Select(c => new { c.Id, Contact = c.Contacts.Where(x => x.IsKey).Select(x => (Guid?)x.Id).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        var calendar = new WorkingCalendar(TimeZoneInfo.FindSystemTimeZoneById(new Common.CompanyOptions().TimeZone), new TimeOnly(9, 0), new TimeOnly(18, 0), new Dictionary<DateOnly, bool>());
        var number = 0;
        foreach (var (plan, customer) in Plans.Zip(customers))
        {
            var agent = agents[plan.AgentIndex % agents.Count];
            var group = plan.Category == "data" ? dataDesk : frontLine;
            var opened = now.AddHours(-plan.OpenedHoursAgo);
            var targets = SlaDefaults.For(plan.Severity);
            var ticket = new Ticket
            {
                Number = $"TK{year}{++number:00000}", CustomerId = customer.Id, ContactId = customer.Contact, Category = plan.Category, ProductModule = plan.Module,
                Title = plan.Title, Description = plan.Description, Severity = plan.Severity, Channel = plan.Channel, Status = TicketStatus.New,
                GroupId = group.Id, AssigneeId = agent.Id, SlaMode = targets.Mode, ResponseTargetMinutes = targets.ResponseMinutes,
                ResolutionTargetMinutes = targets.ResolutionMinutes, OpenedAt = opened,
                ResponseDueAt = SlaClock.DueAt(opened, targets.ResponseMinutes, targets.Mode, calendar, TimeSpan.Zero),
                ResolutionDueAt = SlaClock.DueAt(opened, targets.ResolutionMinutes, targets.Mode, calendar, TimeSpan.Zero),
            };
            void Record(DateTime at, AppUser? by, string field, string? from, string? to) => db.TicketHistory.Add(new TicketHistory
            {
                TicketId = ticket.Id, Sequence = ++ticket.HistoryCount, At = at, ByUserId = by?.Id, ByName = by?.DisplayName, Field = field, From = from, To = to,
            });
            void Move(TicketStatus to, DateTime at, AppUser? by)
            {
                Record(at, by, TicketFields.Status, ticket.Status.ToString(), to.ToString());
                TicketTransitions.Apply(ticket, to, at, calendar);
            }
            Record(opened, agents[0], TicketFields.Created, null, ticket.Number);
            Record(opened, agents[0], TicketFields.Assignee, null, agent.DisplayName);
            Move(TicketStatus.Assigned, opened, agents[0]);
            foreach (var (status, hoursAgo) in plan.Moves)
            {
                Move(status, now.AddHours(-hoursAgo), agent);
            }
            foreach (var (isInternal, body, hoursAgo) in plan.Comments)
            {
                db.TicketComments.Add(new TicketComment { TicketId = ticket.Id, Body = body, IsInternal = isInternal, At = now.AddHours(-hoursAgo), ByUserId = agent.Id, ByName = agent.DisplayName });
            }
            db.Tickets.Add(ticket);
            group.AssignmentTurn++;
            group.LastAssignedUserId = agent.Id;
        }
        db.NumberSequences.Add(new NumberSequence { Key = $"ticket:{year}", Last = number });
        await db.SaveChangesAsync(cancellationToken);
    }
}
