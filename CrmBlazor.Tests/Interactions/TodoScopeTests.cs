using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Api;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Interactions;

/// <summary>Issue #12 §2 (SPEC C2, A3): a to-do goes only to someone who may see its customer; My work names no customer outside my scope.</summary>
public sealed class TodoScopeTests
{
    private static readonly DateTime Now = new(2030, 3, 1, 2, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_to_do_goes_only_to_an_active_user_who_may_see_the_customer_and_the_picker_offers_only_them()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var colleague = await harness.DemoUserAsync("demo-salesrep2"); // same team, not this customer's
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var analyst = await harness.DemoUserAsync("demo-analyst");
        var south = await SecondTeam.AddAsync(harness);
        var customerId = await CustomerOfAsync(harness, rep);
        AppUser apiKey, application, preRegistered;
        await using (var db = harness.NewSystemContext())
        {
            await db.Users.Where(u => u.Id == analyst.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false));
            // Each sees every customer, but none is a person who could do a to-do: an API key's and an Entra application's
            // service accounts, and someone an Admin registered who has not signed in yet.
            apiKey = new AppUser { ExternalId = ApiKeyService.ExternalIdPrefix + "1", DisplayName = "API: ERP", Roles = "Admin" };
            application = new AppUser { ExternalId = EntraApplications.ExternalIdPrefix + "2", DisplayName = "API: BI", Roles = "Analyst" };
            preRegistered = new AppUser { DisplayName = "还没登录的人", Email = "new@example.cn", Roles = "Admin" };
            db.Users.AddRange(apiKey, application, preRegistered);
            await db.SaveChangesAsync();
        }
        var interactions = harness.Get<InteractionService>(rep);

        foreach (var refused in new[] { colleague, south.Supervisor, analyst })
        {
            var error = await Assert.ThrowsAsync<ValidationFailedException>(() => interactions.LogAsync(WithTodo(customerId, refused)));
            Assert.Equal("Validation.TodoOwnerOutOfScope", Assert.Single(error.Errors).MessageKey);
        }
        await using (var db = harness.NewSystemContext())
        {
            Assert.False(await db.Todos.AnyAsync());
        }

        var logged = await interactions.LogAsync(WithTodo(customerId, supervisor));

        Assert.Equal(supervisor.UserId, Assert.Single(logged.Todos).OwnerId);
        Assert.Contains(await harness.Get<NotificationService>(supervisor).MineAsync(), n => n.Kind == NotificationKinds.TodoAssigned);
        var owners = await interactions.TodoOwnersAsync(customerId);
        var offered = owners.Select(u => u.Id).ToHashSet();
        Assert.Contains(rep.UserId!.Value, offered);
        Assert.Contains(supervisor.UserId!.Value, offered);
        Assert.Contains((await harness.DemoUserAsync("demo-admin")).UserId!.Value, offered);
        foreach (var notOffered in new[] { colleague.UserId!.Value, south.Supervisor.UserId!.Value, analyst.UserId!.Value, apiKey.Id, application.Id, preRegistered.Id })
        {
            Assert.DoesNotContain(notOffered, offered);
        }
        // The same people, in the same order, as every other picker shows them, less those who may not see the customer.
        var everyone = await harness.Get<CrmBlazor.Domain.Access.UserDirectory>(rep).OptionsAsync();
        Assert.Equal(everyone.Where(o => offered.Contains(o.Id)), owners);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task My_work_keeps_a_to_do_whose_customer_went_to_another_team_but_no_longer_names_the_customer(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 6);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var south = await SecondTeam.AddAsync(harness);
        Guid[] customers;
        await using (var db = harness.NewSystemContext())
        {
            customers = await db.Customers.Where(c => c.OwnerId == rep.UserId).OrderBy(c => c.Number).Select(c => c.Id).Take(2).ToArrayAsync();
        }
        var interactions = harness.Get<InteractionService>(rep);
        await interactions.LogAsync(WithTodo(customers[0], rep, "交接前的回访"));
        await interactions.LogAsync(WithTodo(customers[1], rep, "留在我这里的回访"));
        await south.TakeOverAsync(harness, customers[0]);
        var todos = harness.Get<TodoService>(rep);

        foreach (var sort in Enum.GetValues<TodoSort>())
        {
            var mine = await todos.MineAsync(sort);
            var handedOver = Assert.Single(mine, t => t.What == "交接前的回访");
            Assert.Null(handedOver.CustomerId);
            Assert.Null(handedOver.CustomerName);
            Assert.Null(handedOver.CustomerNumber);
            Assert.Equal(customers[1], Assert.Single(mine, t => t.What == "留在我这里的回访").CustomerId);
        }

        var stale = Assert.Single(await todos.MineAsync(), t => t.CustomerId is null);
        await todos.CompleteAsync(stale.Id, stale.Version); // still mine to close
        Assert.DoesNotContain(await todos.MineAsync(), t => t.CustomerId is null);
    }

    private static InteractionInput WithTodo(Guid customerId, TestUser owner, string what = "寄送合同") =>
        new(customerId, "phone", Now, "电话沟通", null, null, [], [], [new TodoInput(what, owner.UserId, Now.AddDays(3))]);

    private static async Task<Guid> CustomerOfAsync(DomainHarness harness, TestUser user)
    {
        await using var db = harness.NewSystemContext();
        return await db.Customers.Where(c => c.OwnerId == user.UserId).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
    }
}
