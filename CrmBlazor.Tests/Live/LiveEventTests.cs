using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmBlazor.Tests.Live;

public sealed class LiveEventTests
{
    [Fact]
    public async Task Without_Redis_an_event_reaches_every_in_process_subscriber_once_and_a_disposed_one_not_at_all()
    {
        var events = new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance);
        var first = new List<LiveEvent>();
        var second = new List<LiveEvent>();
        using var a = events.Subscribe(e => { first.Add(e); return Task.CompletedTask; });
        var b = events.Subscribe(e => { second.Add(e); return Task.CompletedTask; });

        var one = new CustomerChanged(Guid.NewGuid(), 2, null, "test");
        await events.PublishAsync(one);
        await events.PublishAsync(one); // the same event again (a redelivery) is not delivered twice
        b.Dispose();
        await events.PublishAsync(new PermissionsChanged());

        Assert.Equal(2, first.Count);
        Assert.Same(one, first[0]);
        Assert.Single(second);
        Assert.Equal(0, events.SubscriberCount - 1);
    }

    [Fact]
    public async Task A_failing_subscriber_does_not_stop_delivery_to_the_others()
    {
        var events = new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance);
        var delivered = 0;
        using var broken = events.Subscribe(_ => throw new InvalidOperationException("circuit gone"));
        using var healthy = events.Subscribe(_ => { delivered++; return Task.CompletedTask; });

        await events.PublishAsync(new PermissionsChanged());

        Assert.Equal(1, delivered);
    }

    [Fact]
    public async Task The_customer_service_publishes_after_a_successful_save_only()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var admin = await harness.DemoUserAsync("demo-admin");
        var received = new List<CustomerChanged>();
        using var subscription = harness.LiveEvents.Subscribe<CustomerChanged>(e => { received.Add(e); return Task.CompletedTask; });
        Customer customer;
        await using (var db = harness.NewSystemContext())
        {
            customer = await db.Customers.AsNoTracking().FirstAsync();
        }

        await harness.Get<CustomerService>(admin).UpdateAsync(customer.Id, customer.Version, CustomerInputs.From(customer) with { Name = "新名字有限公司" });
        await Assert.ThrowsAsync<CrmBlazor.Domain.Common.ConcurrencyConflictException>(() =>
            harness.Get<CustomerService>(admin).UpdateAsync(customer.Id, customer.Version, CustomerInputs.From(customer) with { Name = "过期的修改有限公司" }));

        var changed = Assert.Single(received);
        Assert.Equal(customer.Id, changed.CustomerId);
        Assert.Equal(customer.Version + 1, changed.Version);
        Assert.Contains(CrmBlazor.Domain.Access.Audience.ForUser(customer.OwnerId!.Value), changed.Audience);
    }
}
