using Bunit;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Server.Features.Dictionaries;
using CrmBlazor.Server.Features.Interactions;
using CrmBlazor.Tests.Infrastructure;
using CrmBlazor.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace CrmBlazor.Tests.Interactions;

/// <summary>
/// The interaction dialog keeps what is typed in the tab's storage, so a lost server loses nothing (issue "live
/// collaboration that survives faults"). It first reads the draft stored before, through the browser; what is typed while
/// that read is under way must be kept too. It was not: those renders came before the dialog knew the stored draft, and
/// nothing was kept until the next change. CI's browser test typed in that window once and found no draft to offer.
/// </summary>
public sealed class InteractionDraftKeepingTests : MudTestContext
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 6, 12, 2, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task What_is_typed_while_the_stored_draft_is_being_read_is_kept_once_the_read_ends()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 4, time: _time);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        await using var db = harness.NewSystemContext();
        var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.OwnerId == rep.UserId);
        Services.AddSingleton<ICurrentUser>(rep);
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton(harness.Get<Permissions>(rep));
        Services.AddSingleton(harness.Get<InteractionService>(rep));
        Services.AddSingleton(harness.Get<DemandQueries>(rep));
        Services.AddSingleton(new DictionaryLabels(harness.Get<DictionaryService>(rep)));
        Services.AddScoped<BrowserSession>();
        Services.AddScoped<InteractionDrafts>();
        var storage = JSInterop.SetupModule("./js/browser-session.js");
        var read = storage.Setup<string?>("read", _ => true); // left unanswered until the text is typed
        storage.Setup<object?>("write", _ => true).SetResult(null);
        List<JSRuntimeInvocation> Writes() => storage.Invocations.Where(i => i.Identifier == "write").ToList();

        var dialogs = RenderWithPopovers<MudDialogProvider>();
        var service = Services.GetRequiredService<IDialogService>();
        await dialogs.InvokeAsync(() => service.ShowAsync<InteractionDialog>("", new DialogParameters<InteractionDialog> { { d => d.Customer, customer } }));
        dialogs.WaitForElement(".crm-interaction-summary textarea").Input("客户希望下周安排产品演示。");
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(Writes()); // nothing can be kept before the stored draft is known

        read.SetResult(null); // nothing was stored

        // The dialog keeps a draft 300 ms after a change, on its TimeProvider: move that clock until it has. Up to 10 s of
        // real waiting, as MudTestContext allows bunit: on two busy cores the dialog's turn to go on can come late.
        for (var i = 0; i < 500 && Writes().Count == 0; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(20);
        }
        var kept = Assert.Single(Writes());
        Assert.Equal(InteractionDrafts.Key(customer.Id), kept.Arguments[0]);
        Assert.Contains("客户希望下周安排产品演示。", (string)kept.Arguments[1]!, StringComparison.Ordinal);
    }
}
