using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Interactions;

/// <summary>SPEC C1 (and the data of C2) through the Domain, on SQLite and PostgreSQL.</summary>
public sealed class InteractionTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_logged_interaction_is_on_the_timeline_and_moves_the_last_contact(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 6);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        Customer customer;
        await using (var db = harness.NewSystemContext())
        {
            customer = await db.Customers.AsNoTracking().Include(c => c.Contacts).FirstAsync(c => c.OwnerId == rep.UserId);
        }
        var at = new DateTime(2030, 5, 6, 9, 41, 37, DateTimeKind.Utc);

        var logged = await harness.Get<InteractionService>(rep).LogAsync(new InteractionInput(customer.Id, "visit", at, "年度续约拜访", "客户计划扩容 200 个账号", "希望下月给出报价",
            [customer.Contacts[0].Id], [rep.UserId!.Value], [new TodoInput("准备扩容报价", rep.UserId, at.AddDays(7))]));

        Assert.Equal(new DateTime(2030, 5, 6, 9, 41, 0, DateTimeKind.Utc), logged.At);
        var profile = await harness.Get<CustomerQueries>(rep).GetProfileAsync(customer.Id);
        Assert.Equal(logged.At, profile.Customer.LastContactAt);
        var entry = profile.Timeline.First(e => e.Kind == InteractionTimelineSource.Kind);
        Assert.Equal(["visit", "年度续约拜访", "", ""], entry.Values); // no linked demand, no linked ticket
        Assert.Contains("客户计划扩容 200 个账号", entry.Detail, StringComparison.Ordinal);
        Assert.Equal(rep.DisplayName, entry.Actor);
        await using var check = harness.NewSystemContext();
        var todo = await check.Todos.SingleAsync(t => t.InteractionId == logged.Id);
        Assert.Equal(rep.UserId, todo.OwnerId);
        Assert.Equal(customer.Id, todo.CustomerId);
    }

    [Fact]
    public async Task An_empty_interaction_is_refused_with_a_clear_reason_and_nothing_is_saved()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        await using var db = harness.NewSystemContext();
        var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.OwnerId == rep.UserId);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => harness.Get<InteractionService>(rep).LogAsync(
            new InteractionInput(customer.Id, "phone", DateTime.UtcNow, " ", null, "", [], [], [new TodoInput("", null, null)])));

        Assert.Contains(refused.Errors, e => e.MessageKey == "Validation.InteractionEmpty");
        Assert.Contains(refused.Errors, e => e.MessageKey == "Validation.TodoIncomplete");
        Assert.Equal(0, await db.Interactions.CountAsync());
        Assert.Equal(customer.LastContactAt, (await db.Customers.AsNoTracking().SingleAsync(c => c.Id == customer.Id)).LastContactAt);
    }

    [Fact]
    public async Task A_sales_rep_cannot_log_on_a_customer_they_do_not_own_and_an_analyst_cannot_log_at_all()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var analyst = await harness.DemoUserAsync("demo-analyst");
        await using var db = harness.NewSystemContext();
        var others = await db.Customers.AsNoTracking().FirstAsync(c => c.OwnerId != rep.UserId);
        var input = new InteractionInput(others.Id, "phone", DateTime.UtcNow, "电话回访", null, null, [], [], []);

        var refused = await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<InteractionService>(rep).LogAsync(input));
        Assert.Equal("Error.CustomerOutOfScope", refused.MessageKey);
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<InteractionService>(analyst).LogAsync(input));
        Assert.Equal(0, await db.Interactions.CountAsync());
    }
}
