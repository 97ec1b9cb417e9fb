namespace CrmBlazor.Server.Components.Shared;

/// <summary>
/// A page's reads that may overlap (a live event during a filter change, a drag's end while the drop still saves): only the
/// one started last is shown, except that an earlier one fills a page that shows nothing yet (the later one may yet fail).
/// </summary>
public sealed class LatestRead
{
    private int _started;

    /// <summary>
    /// Runs <paramref name="read"/>; <c>Show</c> says whether its result is to be shown: it was started last, or
    /// <paramref name="showing"/> (asked when it ends) says the page shows nothing yet.
    /// </summary>
    public async Task<(bool Show, T Value)> RunAsync<T>(Func<Task<T>> read, Func<bool> showing)
    {
        var mine = ++_started;
        var value = await read();
        return (mine == _started || !showing(), value);
    }
}
