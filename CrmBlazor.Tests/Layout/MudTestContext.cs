using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace CrmBlazor.Tests.Layout;

/// <summary>bunit with MudBlazor's services (no transitions), loose JS interop and a popover provider rendered.</summary>
public abstract class MudTestContext : BunitContext, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only asynchronously disposable; xunit calls this before Dispose.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    protected MudTestContext()
    {
        // Component tests run beside database and browser tests on two cores; bunit's 1 s for a WaitFor* was once too short
        // for its dispatcher to get a thread at all under the fixed-date runs (a wait that fails is still a failure).
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(o => o.SnackbarConfiguration.ShowTransitionDuration = o.SnackbarConfiguration.HideTransitionDuration = 0);
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
        // Every page shows times on the company's clock; a fixed one here, so no component test reads the real date.
        Services.AddSingleton(new CrmBlazor.Domain.Common.CompanyClock(
            new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2030, 6, 12, 2, 0, 0, TimeSpan.Zero)),
            Microsoft.Extensions.Options.Options.Create(new CrmBlazor.Domain.Common.CompanyOptions())));
        Services.AddScoped<CrmBlazor.Server.Components.Shared.DisplayTime>();
    }

    /// <summary>The popover provider of the last <see cref="RenderWithPopovers{T}"/>, where open menus and select lists render.</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; private set; } = null!;

    /// <summary>Renders <typeparamref name="T"/> after a <see cref="MudPopoverProvider"/>, as the layout does; add services first.</summary>
    protected IRenderedComponent<T> RenderWithPopovers<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : Microsoft.AspNetCore.Components.IComponent
    {
        Popovers = Render<MudPopoverProvider>();
        return parameters is null ? Render<T>() : Render<T>(parameters);
    }
}
