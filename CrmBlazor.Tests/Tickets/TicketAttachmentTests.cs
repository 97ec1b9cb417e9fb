using System.Collections.Concurrent;
using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Domain.Uploads;
using CrmBlazor.Tests.Demands;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Tickets;

/// <summary>SPEC G1: ticket attachments, checked and stored like demand evidence, listed on the ticket, downloaded within its scope.</summary>
public sealed class TicketAttachmentTests
{
    // Monday 2026-09-28 10:00 in Beijing.
    private static readonly DateTimeOffset MondayMorning = new(2026, 9, 28, 2, 0, 0, TimeSpan.Zero);

    private static readonly HashSet<string> Uploaded = ["报错截图.png", "客户来信.eml"];

    private static readonly byte[] Mail = "From: 王经理 <wang@example.cn>\r\nSubject: 报表空白截图\r\n\r\n见附件。"u8.ToArray();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Attached_files_are_listed_on_the_ticket_with_a_history_row_each_told_live_and_audited(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(MondayMorning);
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 3, time: clock);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var agent = desk.Agents[0];
        var ticket = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input());
        var told = new ConcurrentBag<TicketChanged>();
        using var subscription = harness.LiveEvents.Subscribe<TicketChanged>(e =>
        {
            told.Add(e);
            return Task.CompletedTask;
        });
        clock.Advance(TimeSpan.FromMinutes(5));

        var added = await harness.Get<TicketAttachmentService>(agent).AddAsync(ticket.Id,
            [new FileUpload("报错截图.png", new MemoryStream(DemandTests.Png)), new FileUpload("客户来信.eml", new MemoryStream(Mail))]);

        var detail = await harness.Get<TicketQueries>(agent).DetailAsync(ticket.Id);
        Assert.Equal(Uploaded, detail.Attachments.Select(a => a.FileName).ToHashSet());
        var png = detail.Attachments.Single(a => a.FileName == "报错截图.png");
        Assert.Equal((DemandTests.Png.Length, "image/png", agent.DisplayName, MondayMorning.UtcDateTime.AddMinutes(5)),
            (png.Size, png.ContentType, png.UploadedByName, png.UploadedAt));
        Assert.Equal(Uploaded, detail.History.Where(h => h.Field == TicketFields.Attachment).Select(h => h.To!).ToHashSet());
        Assert.All(detail.History.Where(h => h.Field == TicketFields.Attachment), h => Assert.Equal(agent.DisplayName, h.ByName));
        Assert.True(detail.Summary.Version > ticket.Version, "the ticket row changed, so open pages reload");
        var change = Assert.Single(told);
        Assert.Equal((ticket.Id, agent.UserId), (change.TicketId, change.ChangedBy));
        Assert.Contains(Audience.ForUser(agent.UserId!.Value), change.Audience);
        Assert.Equal(2, Directory.GetFiles(harness.EvidenceRoot).Length);
        Assert.DoesNotContain(Directory.GetFiles(harness.EvidenceRoot), f => f.Contains("截图", StringComparison.Ordinal)); // stored under generated names

        var (opened, content) = await harness.Get<TicketAttachmentService>(desk.Desk).OpenAsync(png.Id);
        await using (content)
        {
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy);
            Assert.Equal(DemandTests.Png, copy.ToArray());
            Assert.Equal("报错截图.png", opened.FileName);
        }

        await using var db = harness.NewSystemContext();
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == nameof(TicketAttachment) && a.EntityId == png.Id.ToString()).ToListAsync();
        var upload = Assert.Single(audit, a => a.Action == AuditAction.Create);
        Assert.Equal(agent.UserId, upload.UserId);
        var changes = JsonSerializer.Deserialize<List<FieldChange>>(upload.Changes!)!;
        Assert.Contains(new FieldChange(nameof(TicketAttachment.FileName), null, "报错截图.png"), changes);
        Assert.Contains(new FieldChange(nameof(TicketAttachment.TicketId), null, ticket.Id.ToString()), changes);
        var download = Assert.Single(audit, a => a.Action == AuditAction.Download);
        Assert.Equal(desk.Desk.UserId, download.UserId);
        Assert.Equal(added.Select(a => a.Id).Order(), detail.Attachments.Select(a => a.Id).Order());
    }

    [Fact]
    public async Task A_bad_file_is_refused_by_name_and_nothing_of_its_upload_is_kept()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var ticket = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input());
        var attachments = harness.Get<TicketAttachmentService>(desk.Agents[0]);

        async Task<ValidationError> RefusedAsync(params FileUpload[] files) =>
            Assert.Single((await Assert.ThrowsAsync<ValidationFailedException>(() => attachments.AddAsync(ticket.Id, files))).Errors);

        Assert.Equal("Validation.UploadRequired", (await RefusedAsync()).MessageKey);
        var disguised = await RefusedAsync(new FileUpload("说明.pdf", new MemoryStream("%PDF-1.4\n%说明"u8.ToArray())), new FileUpload("截图.png", new MemoryStream(DemandTests.Exe)));
        Assert.Equal(("Validation.UploadContent", "截图.png"), (disguised.MessageKey, disguised.Arguments[0]));
        Assert.Equal("Validation.UploadType", (await RefusedAsync(new FileUpload("run.exe", new MemoryStream(DemandTests.Exe)))).MessageKey);
        var huge = await RefusedAsync(new FileUpload("巨大.png", new MemoryStream([.. DemandTests.Png, .. new byte[10 * 1024 * 1024]])));
        Assert.Equal(("Validation.UploadTooLarge", "巨大.png", 10L), (huge.MessageKey, huge.Arguments[0], huge.Arguments[1]));
        var tooMany = await RefusedAsync([.. Enumerable.Range(0, 11).Select(i => new FileUpload($"截图{i}.png", new MemoryStream(DemandTests.Png)))]);
        Assert.Equal(("Validation.UploadTooMany", 10), (tooMany.MessageKey, tooMany.Arguments[0]));

        Assert.True(!Directory.Exists(harness.EvidenceRoot) || Directory.GetFiles(harness.EvidenceRoot).Length == 0, "a refused upload keeps no file");
        var detail = await harness.Get<TicketQueries>(desk.Agents[0]).DetailAsync(ticket.Id);
        Assert.Empty(detail.Attachments);
        Assert.DoesNotContain(detail.History, h => h.Field == TicketFields.Attachment);
    }

    [Fact]
    public async Task A_rep_who_may_not_see_the_customer_can_neither_attach_nor_download_and_an_analyst_reads_but_does_not_attach()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 4);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var ticket = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input());
        var attachment = Assert.Single(await harness.Get<TicketAttachmentService>(desk.Desk).AddAsync(ticket.Id, [new FileUpload("截图.png", new MemoryStream(DemandTests.Png))]));
        var outsider = await OutsiderOfAsync(harness, desk.CustomerId);

        await Assert.ThrowsAsync<NotFoundException>(() => harness.Get<TicketAttachmentService>(outsider).OpenAsync(attachment.Id));
        await Assert.ThrowsAnyAsync<CrmException>(() => harness.Get<TicketAttachmentService>(outsider).AddAsync(ticket.Id, [new FileUpload("截图.png", new MemoryStream(DemandTests.Png))]));
        var analyst = await harness.DemoUserAsync("demo-analyst");
        var (_, content) = await harness.Get<TicketAttachmentService>(analyst).OpenAsync(attachment.Id);
        await content.DisposeAsync();
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<TicketAttachmentService>(analyst).AddAsync(ticket.Id, [new FileUpload("截图.png", new MemoryStream(DemandTests.Png))]));
        Assert.Single(Directory.GetFiles(harness.EvidenceRoot));
    }

    /// <summary>A seeded SalesRep who does not own the customer (nor, as a rep, lead its team).</summary>
    internal static async Task<TestUser> OutsiderOfAsync(DomainHarness harness, Guid customerId)
    {
        await using var db = harness.NewSystemContext();
        var ownerId = await db.Customers.Where(c => c.Id == customerId).Select(c => c.OwnerId).SingleAsync();
        var rep = await db.Users.Where(u => (u.ExternalId == "demo-salesrep" || u.ExternalId == "demo-salesrep2") && u.Id != ownerId)
            .OrderBy(u => u.ExternalId).Select(u => u.ExternalId!).FirstAsync();
        return await harness.DemoUserAsync(rep);
    }
}
