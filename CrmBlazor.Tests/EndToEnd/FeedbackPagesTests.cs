using System.Text.RegularExpressions;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>Issue 14, acceptance "Feedback: sent from a page, listed for Admin, status change notifies the sender live."</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class FeedbackPagesTests(BrowserFixture browser)
{
    /// <summary>A real 2×2 PNG, so the preview can be seen to load.</summary>
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEUlEQVR4nGP4z8AARAxg8j8AG/ID/fPnS7EAAAAASUVORK5CYII=");

    [Fact]
    public async Task A_rep_sends_feedback_from_a_customer_page_Admin_plans_it_and_the_reps_bell_rings_live()
    {
        var (customerId, _) = await browser.CustomerOfAsync("demo-salesrep");
        var text = $"联系人列表希望能按职务筛选 {Guid.NewGuid():N}"[..22];
        await using var repContext = await browser.NewContextAsync("zh-CN");
        await using var adminContext = await browser.NewContextAsync("zh-CN");
        var rep = await repContext.NewPageAsync();
        var admin = await adminContext.NewPageAsync();
        await BrowserFixture.SignInAsync(rep, "demo-salesrep");
        await BrowserFixture.SignInAsync(admin, "demo-admin");

        // The rep: the dialog knows the page; a refusal keeps what was typed.
        await rep.GotoAsync($"/customers/{customerId}");
        await BrowserFixture.WaitUntilInteractiveAsync(rep);
        await rep.Locator(".crm-feedback-button").ClickAsync();
        var dialog = rep.Locator(".crm-feedback-dialog");
        await Assertions.Expect(dialog.Locator(".crm-feedback-page input")).ToHaveValueAsync($"/customers/{customerId}");
        await dialog.Locator(".crm-feedback-submit").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("请填写反馈内容。");
        await dialog.Locator(".crm-feedback-text textarea").FillAsync(text);
        await dialog.Locator(".crm-feedback-upload input[type=file]").Last.SetInputFilesAsync(new FilePayload { Name = "截图.png", MimeType = "image/png", Buffer = [.. "MZ"u8, 0x90, 0, 3] });
        await dialog.Locator(".crm-feedback-submit").ClickAsync();
        await Assertions.Expect(dialog.Locator(".crm-feedback-error")).ToContainTextAsync("截图.png：文件内容与扩展名不符");
        await Assertions.Expect(dialog.Locator(".crm-feedback-text textarea")).ToHaveValueAsync(text);
        await dialog.Locator(".crm-feedback-upload input[type=file]").Last.SetInputFilesAsync(new FilePayload { Name = "截图.png", MimeType = "image/png", Buffer = Png });
        await Assertions.Expect(dialog.Locator(".crm-feedback-file")).ToHaveTextAsync("截图.png");
        await BrowserFixture.ScreenshotAsync(rep, "feedback-dialog-zh");
        await dialog.Locator(".crm-feedback-submit").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        var badge = rep.Locator(".crm-bell-badge .mud-badge");
        var unreadBefore = await badge.CountAsync() == 0 ? 0 : int.Parse(await badge.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

        // Admin: the list shows it with its page; the detail shows the screenshot; the status changes after a confirmation.
        await admin.GotoAsync("/admin/feedback");
        await BrowserFixture.WaitUntilInteractiveAsync(admin);
        var row = admin.Locator(".crm-feedback-list tr", new() { HasText = text });
        await Assertions.Expect(row).ToContainTextAsync($"/customers/{customerId}");
        await Assertions.Expect(row).ToContainTextAsync("新提交");
        await row.ClickAsync();
        var detail = admin.Locator(".crm-feedback-detail");
        await Assertions.Expect(detail.Locator(".crm-feedback-screenshot")).ToBeVisibleAsync();
        await admin.WaitForFunctionAsync("() => document.querySelector('.crm-feedback-screenshot')?.naturalWidth === 2");
        await BrowserFixture.ChooseAsync(admin, detail.Locator(".crm-feedback-status-select"), "已计划");
        await detail.Locator(".crm-feedback-reply textarea").FillAsync("已排入下个版本");
        await BrowserFixture.ScreenshotAsync(admin, "feedback-admin-detail-zh");
        await detail.Locator(".crm-feedback-save").ClickAsync();
        var confirm = admin.Locator(".mud-message-box");
        await Assertions.Expect(confirm).ToContainTextAsync("已计划");
        await confirm.GetByText("保存", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(detail).ToHaveCountAsync(0);
        await Assertions.Expect(row).ToContainTextAsync("已计划");
        await BrowserFixture.ScreenshotAsync(admin, "feedback-admin-list-zh");

        // The rep's open page, without a reload: the bell counts one more, and its entry leads to "my feedback".
        await Assertions.Expect(badge).ToHaveTextAsync(new Regex($"^{unreadBefore + 1}$"), new() { Timeout = 5000 });
        await rep.Locator(".crm-bell").ClickAsync();
        var entry = rep.Locator(".crm-notification", new() { HasText = text });
        await Assertions.Expect(entry).ToContainTextAsync("已计划");
        await Assertions.Expect(entry).ToContainTextAsync("已排入下个版本");
        await entry.ClickAsync();
        await rep.WaitForURLAsync(url => url.EndsWith("/feedback/mine", StringComparison.Ordinal));
        var mine = rep.Locator(".crm-my-feedback-item", new() { HasText = text });
        await Assertions.Expect(mine).ToContainTextAsync("已计划");
        await Assertions.Expect(mine.Locator(".crm-my-feedback-reply")).ToContainTextAsync("已排入下个版本");
        await BrowserFixture.ScreenshotAsync(rep, "feedback-mine-zh");
    }
}
