using Microsoft.JSInterop;

namespace CrmBlazor.Server.Components.Shared;

/// <summary>
/// The browser tab's sessionStorage (<c>wwwroot/js/browser-session.js</c>): what must outlive this circuit, such as an
/// unsaved draft or a note for the page the tab loads next. Call it once the component has rendered interactively.
/// A circuit that is already gone keeps nothing and reads nothing; storage never throws into the page.
/// </summary>
public sealed class BrowserSession(IJSRuntime js) : IAsyncDisposable
{
    private Task<IJSObjectReference>? _module;

    public Task<string?> ReadAsync(string key) => CallAsync<string?>("read", key);

    public Task WriteAsync(string key, string value) => CallAsync<object?>("write", key, value);

    public Task RemoveAsync(string key) => CallAsync<object?>("remove", key);

    /// <summary>Reads the value and removes it, so it is seen once.</summary>
    public Task<string?> TakeAsync(string key) => CallAsync<string?>("take", key);

    private async Task<T?> CallAsync<T>(string function, params object?[] args)
    {
        try
        {
            var module = await (_module ??= js.InvokeAsync<IJSObjectReference>("import", "./js/browser-session.js").AsTask());
            return await module.InvokeAsync<T>(function, args);
        }
        catch (JSDisconnectedException)
        {
            return default;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is { IsCompletedSuccessfully: true })
        {
            try
            {
                await _module.Result.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The tab is gone, and the module with it.
            }
        }
    }
}
