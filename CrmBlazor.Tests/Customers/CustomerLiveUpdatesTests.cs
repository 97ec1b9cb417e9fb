using System.Globalization;
using Bunit;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Live;
using CrmBlazor.Server.Features.Customers;
using CrmBlazor.Tests.Infrastructure;
using CrmBlazor.Tests.Layout;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;

namespace CrmBlazor.Tests.Customers;

/// <summary>The 360 page's live seam: which events make it re-read, and what it tells the reader.</summary>
public sealed class CustomerLiveUpdatesTests : MudTestContext
{
    private readonly LocalLiveEvents _events = new(NullLogger<LocalLiveEvents>.Instance);
    private readonly TestUser _rep = new(Guid.NewGuid(), "张伟", [], new HashSet<Role> { Role.SalesRep });
    private readonly Guid _customerId = Guid.NewGuid();

    public CustomerLiveUpdatesTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");
        Services.AddSingleton<ILiveEvents>(_events);
        Services.AddSingleton<ICurrentUser>(_rep);
    }

    [Fact]
    public async Task A_batch_that_names_the_customer_re_reads_it_and_says_a_job_did_it_one_that_does_not_is_ignored()
    {
        var snackbars = Render<MudSnackbarProvider>();
        var rereads = 0;
        Render<CustomerLiveUpdates>(p => p.Add(c => c.CustomerId, _customerId).Add(c => c.OnChanged, () => rereads++));
        var audience = new[] { Audience.ForUser(_rep.UserId!.Value) };

        await _events.PublishAsync(new CustomersChanged([Guid.NewGuid()], false, null, "system") { Audience = audience });
        Assert.Equal(0, rereads);

        await _events.PublishAsync(new CustomersChanged([Guid.NewGuid(), _customerId], false, null, "system") { Audience = audience });
        Assert.Equal(1, rereads);
        snackbars.WaitForAssertion(() => Assert.Equal("This customer was just updated (scheduled job): showing the latest.",
            snackbars.Find(".mud-snackbar-content-message").TextContent.Trim()));

        // "Many" may not have touched this customer: re-read, but say nothing more.
        await _events.PublishAsync(new CustomersChanged([], true, null, "system") { Audience = audience });
        Assert.Equal(2, rereads);
        Assert.Single(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
    }

    [Fact]
    public async Task A_change_by_someone_else_names_them_and_my_own_change_only_re_reads()
    {
        var snackbars = Render<MudSnackbarProvider>();
        var rereads = 0;
        Render<CustomerLiveUpdates>(p => p.Add(c => c.CustomerId, _customerId).Add(c => c.OnChanged, () => rereads++));
        var audience = new[] { Audience.ForUser(_rep.UserId!.Value) };

        await _events.PublishAsync(new CustomerChanged(_customerId, 4, _rep.UserId, _rep.DisplayName) { Audience = audience });
        await _events.PublishAsync(new CustomersChanged([_customerId], false, _rep.UserId, _rep.DisplayName) { Audience = audience });
        Assert.Equal(2, rereads);
        Assert.Empty(Services.GetRequiredService<ISnackbar>().ShownSnackbars);

        await _events.PublishAsync(new CustomersChanged([_customerId], false, Guid.NewGuid(), "李明") { Audience = audience });
        Assert.Equal(3, rereads);
        snackbars.WaitForAssertion(() => Assert.Equal("李明 just changed this customer: showing the latest.",
            snackbars.Find(".mud-snackbar-content-message").TextContent.Trim()));
    }
}
