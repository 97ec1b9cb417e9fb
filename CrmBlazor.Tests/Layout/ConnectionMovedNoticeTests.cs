using System.Globalization;
using Bunit;
using CrmBlazor.Server.Components.Layout;
using CrmBlazor.Server.Components.Shared;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CrmBlazor.Tests.Layout;

/// <summary>
/// Issue #19, circuit loss: the reconnect script notes in sessionStorage that the server no longer knew the circuit
/// (its instance died); the reloaded page, on another instance, says so once and removes the note.
/// </summary>
public sealed class ConnectionMovedNoticeTests : MudTestContext
{
    public ConnectionMovedNoticeTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("zh-CN");
        Services.AddScoped<BrowserSession>();
    }

    [Fact]
    public void After_a_move_to_another_server_the_page_says_so_and_takes_the_note_away()
    {
        var session = JSInterop.SetupModule("./js/browser-session.js");
        var take = session.Setup<string?>("take", ConnectionMovedNotice.Flag).SetResult("1");
        var snackbars = Render<MudSnackbarProvider>();

        Render<ConnectionMovedNotice>();

        var notice = snackbars.WaitForElement(".crm-connection-moved");
        Assert.Equal("与服务器的连接已中断，已为您重新连接到另一台服务器。未保存的互动草稿已保留。", notice.TextContent.Trim());
        Assert.Contains("mud-alert-filled-warning", notice.ClassName, StringComparison.Ordinal);
        Assert.Single(session.Invocations, i => i.Identifier == "take");
        _ = take;
    }

    [Fact]
    public void An_ordinary_page_load_says_nothing()
    {
        var session = JSInterop.SetupModule("./js/browser-session.js");
        session.Setup<string?>("take", ConnectionMovedNotice.Flag).SetResult(null);
        var snackbars = Render<MudSnackbarProvider>();

        Render<ConnectionMovedNotice>();

        Assert.Single(session.Invocations, i => i.Identifier == "take");
        Assert.Empty(snackbars.FindAll(".crm-connection-moved"));
    }
}
