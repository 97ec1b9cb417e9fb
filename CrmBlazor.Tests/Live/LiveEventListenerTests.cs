using System.Globalization;
using Bunit;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Live;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Tests.Infrastructure;
using CrmBlazor.Tests.Layout;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmBlazor.Tests.Live;

public sealed class LiveEventListenerTests : MudTestContext
{
    private readonly LocalLiveEvents _events = new(NullLogger<LocalLiveEvents>.Instance);
    private readonly TestUser _rep = new(Guid.NewGuid(), "张伟", [], new HashSet<Role> { Role.SalesRep });

    public LiveEventListenerTests()
    {
        Services.AddSingleton<ILiveEvents>(_events);
        Services.AddSingleton<ICurrentUser>(_rep);
    }

    [Fact]
    public async Task A_component_receives_the_events_its_user_may_see_and_unsubscribes_when_disposed()
    {
        var received = new List<CustomerChanged>();
        var listener = Render<LiveEventListener<CustomerChanged>>(p => p.Add(c => c.OnEvent, e => received.Add(e)));
        Assert.Equal(1, _events.SubscriberCount);

        var mine = new CustomerChanged(Guid.NewGuid(), 2, null, "李明") { Audience = [Audience.ForUser(_rep.UserId!.Value)] };
        var someoneElses = new CustomerChanged(Guid.NewGuid(), 2, null, "李明") { Audience = [Audience.ForUser(Guid.NewGuid())] };
        await _events.PublishAsync(mine);
        await _events.PublishAsync(someoneElses);
        await _events.PublishAsync(new PermissionsChanged { Audience = [Audience.ForRole(Role.SalesRep)] });

        Assert.Equal([mine], received);

        await DisposeComponentsAsync();
        Assert.Equal(0, _events.SubscriberCount);
        await _events.PublishAsync(new CustomerChanged(Guid.NewGuid(), 3, null, "李明") { Audience = [Audience.ForUser(_rep.UserId!.Value)] });
        Assert.Single(received);
        _ = listener;
    }

    [Fact]
    public async Task A_component_handles_an_event_in_its_own_culture_whatever_thread_published_it()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        string? seen = null;
        Render<LiveEventListener<CustomerChanged>>(p => p.Add(c => c.OnEvent, _ => seen = CultureInfo.CurrentUICulture.Name));

        await Task.Run(async () =>
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture; // as on a Redis thread
            await _events.PublishAsync(new CustomerChanged(Guid.NewGuid(), 2, null, "李明") { Audience = [Audience.ForUser(_rep.UserId!.Value)] });
        });

        Assert.Equal("zh-CN", seen);
    }
}
