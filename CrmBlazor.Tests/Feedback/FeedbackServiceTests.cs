using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Uploads;
using CrmBlazor.Domain.Feedback;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Feedback;

/// <summary>SPEC I3, issue 14: feedback sent from a page, listed for Admin only, each answer told to the sender live.</summary>
public sealed class FeedbackServiceTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
    private static readonly byte[] Exe = [.. "MZ"u8, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_reps_feedback_reaches_Admins_list_with_its_page_and_screenshot(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var admin = await harness.DemoUserAsync("demo-admin");

        var id = await harness.Get<FeedbackService>(rep).SubmitAsync(
            new FeedbackInput("  客户页面的联系人电话无法复制  ", "/customers/0192f3a4-0000-7000-8000-000000000001?tab=contacts"),
            new FileUpload("页面截图.png", new MemoryStream(Png)));

        var list = await harness.Get<FeedbackService>(admin).ListAsync(FeedbackStatus.New, page: 0, pageSize: 25);
        var row = Assert.Single(list.Items);
        Assert.Equal(1, list.TotalCount);
        Assert.Equal(id, row.Id);
        Assert.Equal("客户页面的联系人电话无法复制", row.Text);
        Assert.Equal("/customers/0192f3a4-0000-7000-8000-000000000001?tab=contacts", row.Page);
        Assert.Equal(rep.DisplayName, row.SenderName);
        Assert.True(row.HasScreenshot);
        Assert.Empty((await harness.Get<FeedbackService>(admin).ListAsync(FeedbackStatus.Done, 0, 25)).Items);

        var screenshot = await harness.Get<FeedbackService>(admin).OpenScreenshotAsync(id);
        await using (screenshot.Content)
        {
            using var copy = new MemoryStream();
            await screenshot.Content.CopyToAsync(copy);
            Assert.Equal(Png, copy.ToArray());
        }
        Assert.Equal("image/png", screenshot.ContentType);
        Assert.DoesNotContain(Directory.GetFiles(harness.EvidenceRoot), f => f.Contains("页面截图", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_Admin_may_list_read_or_answer_feedback_and_the_refusal_leaves_it_unchanged()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var id = await harness.Get<FeedbackService>(rep).SubmitAsync(new FeedbackInput("导出按钮太难找", "/customers"), new FileUpload("a.png", new MemoryStream(Png)));

        foreach (var user in new[] { rep, supervisor })
        {
            var service = harness.Get<FeedbackService>(user);
            await Assert.ThrowsAsync<AccessDeniedException>(() => service.ListAsync(null, 0, 25));
            await Assert.ThrowsAsync<AccessDeniedException>(() => service.GetAsync(id));
            await Assert.ThrowsAsync<AccessDeniedException>(() => service.OpenScreenshotAsync(id));
            await Assert.ThrowsAsync<AccessDeniedException>(() => service.AnswerAsync(id, 0, FeedbackStatus.Declined, "不改"));
        }

        await using var db = harness.NewSystemContext();
        var stored = await db.FeedbackItems.SingleAsync();
        Assert.Equal(FeedbackStatus.New, stored.Status);
        Assert.Null(stored.Reply);
        Assert.Empty(await db.Notifications.ToListAsync());
    }

    [Fact]
    public async Task Answering_notifies_the_sender_live_is_audited_and_shows_in_their_feedback()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var admin = await harness.DemoUserAsync("demo-admin");
        var id = await harness.Get<FeedbackService>(rep).SubmitAsync(new FeedbackInput("希望客户列表可以按最近联系时间排序，这样每天早上能先看到最久没联系的客户，方便安排当天的拜访", "/customers"));
        var heard = new List<NotificationsChanged>();
        using var subscription = harness.LiveEvents.Subscribe<NotificationsChanged>(e => { heard.Add(e); return Task.CompletedTask; });
        var seen = await harness.Get<FeedbackService>(admin).GetAsync(id);

        var planned = await harness.Get<FeedbackService>(admin).AnswerAsync(id, seen.Version, FeedbackStatus.Planned, "  下个版本上线  ");

        Assert.Equal(FeedbackStatus.Planned, planned.Status);
        Assert.Equal("下个版本上线", planned.Reply);
        var told = Assert.Single(heard);
        Assert.Equal(rep.UserId, told.UserId);
        Assert.Equal([Audience.ForUser(rep.UserId!.Value)], told.Audience);
        var notification = Assert.Single(await harness.Get<NotificationService>(rep).MineAsync());
        Assert.Equal(FeedbackService.AnsweredKind, notification.Kind);
        Assert.Equal(NotificationSubject.MyFeedback, notification.Subject);
        Assert.Equal([nameof(FeedbackStatus.Planned), "希望客户列表可以按最近联系时间排序，这样每天早上能先看到最久没联系的客户，方便安…", "下个版本上线"], notification.Values);
        Assert.Empty(await harness.Get<NotificationService>(admin).MineAsync());
        var mine = Assert.Single(await harness.Get<FeedbackService>(rep).MineAsync());
        Assert.Equal((FeedbackStatus.Planned, "下个版本上线"), (mine.Status, mine.Reply));

        await using (var db = harness.NewSystemContext())
        {
            var audit = await db.AuditEntries.Where(a => a.EntityType == nameof(FeedbackItem) && a.Action == AuditAction.Update).SingleAsync();
            Assert.Equal(admin.UserId, audit.UserId);
            Assert.Contains("\"Status\"", audit.Changes, StringComparison.Ordinal);
            Assert.Contains("Planned", audit.Changes, StringComparison.Ordinal);
        }

        // A second Admin working from the version before the answer is told of the conflict, and the sender hears nothing more.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => harness.Get<FeedbackService>(admin).AnswerAsync(id, seen.Version, FeedbackStatus.Declined, null));
        // Saving what is already stored changes nothing and tells nobody.
        await harness.Get<FeedbackService>(admin).AnswerAsync(id, planned.Version, FeedbackStatus.Planned, "下个版本上线");
        Assert.Single(heard);

        await harness.Get<FeedbackService>(admin).AnswerAsync(id, planned.Version, FeedbackStatus.Done, "已上线");
        Assert.Equal(2, heard.Count);
        Assert.Equal(2, await harness.Get<NotificationService>(rep).UnreadCountAsync());
    }

    [Fact]
    public async Task Bad_feedback_is_refused_with_its_reasons_and_keeps_no_row_and_no_file()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var service = harness.Get<FeedbackService>(rep);

        var empty = await Assert.ThrowsAsync<ValidationFailedException>(() => service.SubmitAsync(new FeedbackInput("   ", "/customers"), new FileUpload("a.png", new MemoryStream(Png))));
        Assert.Equal(("Text", "Validation.FeedbackTextRequired"), Single(empty));
        var tooLong = await Assert.ThrowsAsync<ValidationFailedException>(() => service.SubmitAsync(new FeedbackInput(new string('长', FeedbackItem.TextMaxLength + 1), "/customers")));
        Assert.Equal(("Text", "Validation.FeedbackTextTooLong"), Single(tooLong));
        Assert.Equal(FeedbackItem.TextMaxLength, Assert.Single(tooLong.Errors).Arguments[0]);
        var disguised = await Assert.ThrowsAsync<ValidationFailedException>(() => service.SubmitAsync(new FeedbackInput("截图", "/"), new FileUpload("截图.png", new MemoryStream(Exe))));
        Assert.Equal(("Screenshot", "Validation.UploadContent"), Single(disguised));
        var notAnImage = await Assert.ThrowsAsync<ValidationFailedException>(() => service.SubmitAsync(new FeedbackInput("合同", "/"), new FileUpload("合同.pdf", new MemoryStream("%PDF-1.4"u8.ToArray()))));
        Assert.Equal(("Screenshot", "Validation.FeedbackScreenshotType"), Single(notAnImage));
        var huge = await Assert.ThrowsAsync<ValidationFailedException>(() => service.SubmitAsync(new FeedbackInput("大图", "/"), new FileUpload("大图.png", new MemoryStream([.. Png, .. new byte[10 * 1024 * 1024]]))));
        Assert.Equal(("Screenshot", "Validation.UploadTooLarge"), Single(huge));
        var elsewhere = await Assert.ThrowsAsync<ValidationFailedException>(() => service.SubmitAsync(new FeedbackInput("链接", "https://evil.example/phish")));
        Assert.Equal(("Page", "Validation.FeedbackPage"), Single(elsewhere));

        await using (var db = harness.NewSystemContext())
        {
            Assert.Empty(await db.FeedbackItems.ToListAsync());
        }
        Assert.True(!Directory.Exists(harness.EvidenceRoot) || Directory.GetFiles(harness.EvidenceRoot).Length == 0, "a refused screenshot is not kept");

        // The same user, corrected, is accepted: nothing of the refusals stands in the way.
        await service.SubmitAsync(new FeedbackInput("截图", "customers"), new FileUpload("截图.png", new MemoryStream(Png)));
        var mine = Assert.Single(await service.MineAsync());
        Assert.Equal("/customers", mine.Page);
    }

    private static (string Field, string Key) Single(ValidationFailedException exception)
    {
        var error = Assert.Single(exception.Errors);
        return (error.Field, error.MessageKey);
    }
}
