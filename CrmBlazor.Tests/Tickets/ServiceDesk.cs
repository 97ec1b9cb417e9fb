using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Tickets;

/// <summary>A support group of fresh agents and a supervisor taking the "bug" category, on a harness's database.</summary>
internal sealed record ServiceDesk(Guid GroupId, IReadOnlyList<TestUser> Agents, TestUser Supervisor, TestUser Desk, Guid CustomerId)
{
    public const string Category = "bug";

    public static async Task<ServiceDesk> CreateAsync(DomainHarness harness, int agents, AssignmentStrategy strategy = AssignmentStrategy.RoundRobin, bool autoAssign = true)
    {
        var people = new List<AppUser>();
        await using (var db = harness.NewSystemContext())
        {
            for (var i = 0; i <= agents; i++)
            {
                var supervisor = i == agents;
                people.Add(new AppUser
                {
                    ExternalId = $"desk-{Guid.NewGuid():N}", DisplayName = supervisor ? "客服主管" : $"客服{i + 1}",
                    Roles = AppUser.FormatRoles(supervisor ? [Role.Supervisor] : [Role.CustomerService]),
                });
            }
            db.Users.AddRange(people);
            await db.SaveChangesAsync();
        }
        var admin = await harness.DemoUserAsync("demo-admin");
        var groupId = await harness.Get<SupportGroupService>(admin).CreateAsync(new SupportGroupInput(
            "一线支持", strategy, autoAssign, [.. people.Take(agents).Select(p => p.Id)], [people[^1].Id], [Category]));
        await using var check = harness.NewSystemContext();
        var customerId = await check.Customers.OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
        return new ServiceDesk(groupId, [.. people.Take(agents).Select(TestUser.From)], TestUser.From(people[^1]),
            await harness.DemoUserAsync("demo-service"), customerId);
    }

    public TicketInput Input(string title = "登录后报表页面空白", TicketSeverity severity = TicketSeverity.Medium, Guid? customerId = null) =>
        new(customerId ?? CustomerId, null, Category, "报表", title, "客户反馈登录后点击报表菜单，页面一直空白。", severity, TicketChannel.Phone);
}
