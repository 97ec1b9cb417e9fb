using System.Globalization;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Domain.Uploads;
using CrmBlazor.Server;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Tests.Demands;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Time.Testing;
using static CrmBlazor.Tests.Importing.ImportWorkbooks;

namespace CrmBlazor.Tests.Uploads;

/// <summary>
/// Issue #12 §3: uploads come through the circuit (InputFile), which the HTTP rate limiter never sees, so the Domain
/// counts them per user (<c>RateLimits:UploadsPerMinute</c>).
/// </summary>
public sealed class UploadLimitTests
{
    [Fact]
    public async Task The_upload_past_the_minute_s_limit_is_refused_with_its_message_and_stores_nothing_until_the_minute_has_passed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 6, 12, 2, 0, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 4, time: clock,
            configure: s => s.Configure<UploadLimitOptions>(o => o.UploadsPerMinute = 2));
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var demands = harness.Get<DemandService>(rep);
        var demand = await demands.CreateAsync(new DemandInput(await DemandTests.CustomerOfAsync(harness, rep), "培训", "existing", DemandPriority.Low, null));
        var admin = await harness.DemoUserAsync("demo-admin");

        // Two uploads each in the minute: the admin's import workbooks, the rep's evidence (a refused file counts too).
        await harness.Get<CustomerImport>(admin).PrepareAsync("a.xlsx", Xlsx(ValidRows(2, "限")), ImportMode.CreateOnly);
        clock.Advance(TimeSpan.FromSeconds(10));
        await harness.Get<CustomerImport>(admin).PrepareAsync("b.xlsx", Xlsx(ValidRows(2, "限")), ImportMode.CreateOnly);
        await Assert.ThrowsAsync<CrmBlazor.Domain.Common.ValidationFailedException>(() =>
            demands.CloseAsync(demand.Id, demand.Version, [new FileUpload("run.exe", new MemoryStream(DemandTests.Exe))]));
        clock.Advance(TimeSpan.FromSeconds(10));
        await demands.CloseAsync(demand.Id, demand.Version, [new FileUpload("确认截图.png", new MemoryStream(DemandTests.Png))]);
        var stillOpen = await demands.CreateAsync(new DemandInput(await DemandTests.CustomerOfAsync(harness, rep), "第二个", "existing", DemandPriority.Low, null));
        var importFiles = Directory.GetFiles(harness.ImportRoot).Length;
        var evidenceFiles = Directory.GetFiles(harness.EvidenceRoot).Length;

        var import = await Assert.ThrowsAsync<TooManyUploadsException>(() =>
            harness.Get<CustomerImport>(admin).PrepareAsync("c.xlsx", Xlsx(ValidRows(2, "超")), ImportMode.CreateOnly));
        var evidence = await Assert.ThrowsAsync<TooManyUploadsException>(() =>
            demands.CloseAsync(stillOpen.Id, stillOpen.Version, [new FileUpload("确认截图.png", new MemoryStream(DemandTests.Png))]));

        Assert.Equal("Error.TooManyUploads", import.MessageKey);
        Assert.Equal(40, import.RetryAfterSeconds); // the admin's first upload leaves the window 40 s from now
        Assert.Equal(50, evidence.RetryAfterSeconds);
        Assert.Equal(importFiles, Directory.GetFiles(harness.ImportRoot).Length);
        Assert.Equal(evidenceFiles, Directory.GetFiles(harness.EvidenceRoot).Length);
        await using (var db = harness.NewSystemContext())
        {
            Assert.Equal(2, await db.ImportJobs.CountAsync());
            Assert.Single(await db.DemandEvidence.ToListAsync()); // the first demand's, accepted in the minute
            Assert.Equal(DemandStatus.Open, (await db.Demands.SingleAsync(d => d.Id == stillOpen.Id)).Status);
            Assert.Empty(await db.DemandEvidence.Where(e => e.DemandId == stillOpen.Id).ToListAsync());
        }
        // Another user's budget is their own.
        await harness.Get<CustomerImport>(supervisor).PrepareAsync("d.xlsx", Xlsx(ValidRows(2, "他")), ImportMode.CreateOnly);

        clock.Advance(TimeSpan.FromSeconds(50)); // the rep's first upload has left the window
        await demands.CloseAsync(stillOpen.Id, stillOpen.Version, [new FileUpload("确认截图.png", new MemoryStream(DemandTests.Png))]);
        await using var check = harness.NewSystemContext();
        Assert.Equal(DemandStatus.Done, (await check.Demands.SingleAsync(d => d.Id == stillOpen.Id)).Status);
    }

    [Theory]
    [InlineData("zh-CN", "上传过于频繁，本次未保存任何内容：请在 42 秒后重试。")]
    [InlineData("en", "Too many uploads in the last minute. Nothing was saved: please wait 42 seconds and try again.")]
    public async Task The_refusal_reads_as_a_sentence_in_the_user_s_language(string culture, string expected)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new CrmAppFactory(database.Settings);
        var texts = app.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            Assert.Equal(expected, ErrorMessages.For(texts, new TooManyUploadsException(42)));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
