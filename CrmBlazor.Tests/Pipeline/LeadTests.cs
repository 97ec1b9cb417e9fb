using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Tests.Demands;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Pipeline;

/// <summary>SPEC F1 (leads), the lead half of A4 and D5, and lead conversion, through the Domain services on real databases.</summary>
public sealed class LeadTests
{
    private static readonly DateTimeOffset Start = new(2030, 3, 4, 2, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Two_reps_claiming_one_pool_lead_at_once_get_one_owner_and_the_other_is_told_who_has_it(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0, time: new FakeTimeProvider(Start));
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var other = await harness.DemoUserAsync("demo-salesrep2");
        var team = await TeamAsync(harness);

        for (var round = 0; round < 5; round++)
        {
            var lead = await harness.Get<LeadService>(supervisor).CreateAsync(Input($"杭州云帆{round}号科技有限公司") with { ToPool = true, TeamId = team });
            Assert.Contains(await PoolOfAsync(harness, rep), l => l.Id == lead.Id);

            // Each claim in its own scope and context, started together: both may read the lead unowned.
            var claims = new[] { rep, other }.Select(user => Task.Run(async () =>
            {
                try
                {
                    await harness.Get<LeadService>(user).ClaimAsync(lead.Id);
                    return (User: user, Refusal: (ValidationFailedException?)null);
                }
                catch (ValidationFailedException refusal)
                {
                    return (User: user, Refusal: refusal);
                }
            })).ToList();
            var results = await Task.WhenAll(claims);

            var winner = Assert.Single(results, r => r.Refusal is null).User;
            var loser = Assert.Single(results, r => r.Refusal is not null);
            var error = Assert.Single(loser.Refusal!.Errors);
            Assert.Equal("Validation.LeadAlreadyClaimed", error.MessageKey);
            Assert.Equal(winner.DisplayName, error.Arguments.Single());
            await using var db = harness.NewSystemContext();
            Assert.Equal(winner.UserId, (await db.Leads.SingleAsync(l => l.Id == lead.Id)).OwnerId);
            Assert.DoesNotContain(await PoolOfAsync(harness, loser.User), l => l.Id == lead.Id);
            Assert.Contains((await harness.Get<LeadQueries>(winner).ListAsync(new LeadFilter { View = LeadView.Mine }, 0, 50)).Rows, l => l.Id == lead.Id);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_lead_matching_a_customer_by_name_key_mobile_or_email_is_offered_it_and_attaching_creates_no_customer(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 6, time: new FakeTimeProvider(Start));
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var other = await harness.DemoUserAsync("demo-salesrep2");
        var mine = await CustomerAsync(harness, await DemandTests.CustomerOfAsync(harness, rep));
        var theirs = await CustomerAsync(harness, await DemandTests.CustomerOfAsync(harness, other));
        var leads = harness.Get<LeadService>(rep);

        // The same name once the legal form is set aside; a key contact's mobile; a key contact's e-mail (in other case).
        var byName = await leads.CreateAsync(Input(CrmBlazor.Domain.Customers.CustomerSearch.WithoutLegalForm(mine.Name) + " 有限责任公司"));
        var byMobile = await leads.CreateAsync(Input("完全不同的名字贸易公司", mobile: mine.Mobile));
        var byEmail = await leads.CreateAsync(Input("另一家咨询公司", email: mine.Email!.ToUpperInvariant()));
        var colleagues = await leads.CreateAsync(Input("还有一家制造厂", mobile: theirs.Mobile));
        var none = await leads.CreateAsync(Input("毫无关系的新客户有限公司"));
        var queries = harness.Get<LeadQueries>(rep);

        Assert.Equal([DuplicateReason.SameName], Assert.Single(await queries.MatchesAsync(byName.Id), m => m.CustomerId == mine.Id).Reasons);
        Assert.Equal([DuplicateReason.SamePhone], Assert.Single(await queries.MatchesAsync(byMobile.Id)).Reasons);
        Assert.Equal([DuplicateReason.SameEmail], Assert.Single(await queries.MatchesAsync(byEmail.Id)).Reasons);
        Assert.Empty(await queries.MatchesAsync(none.Id));
        // A colleague's customer is named (to ask them), not attachable.
        var foreign = Assert.Single(await queries.MatchesAsync(colleagues.Id));
        Assert.Equal((theirs.Id, false, "刘芳"), (foreign.CustomerId, foreign.MayAttach, foreign.OwnerName));
        var foreignLead = await QualifyAsync(harness, rep, colleagues.Id);
        await Assert.ThrowsAsync<AccessDeniedException>(() => leads.ConvertAsync(colleagues.Id, foreignLead.Version,
            new LeadConversion(theirs.Id, null, "试点项目", 1_000_000, new DateOnly(2030, 5, 31))));

        var qualified = await QualifyAsync(harness, rep, byMobile.Id);
        var customersBefore = await CountCustomersAsync(harness);
        var contactsBefore = await CountContactsAsync(harness, mine.Id);

        var result = await leads.ConvertAsync(byMobile.Id, qualified.Version, new LeadConversion(mine.Id, null, "二期扩容", 12_345_600, new DateOnly(2030, 6, 30)));

        Assert.False(result.CustomerCreated);
        Assert.Equal((mine.Id, mine.Number), (result.CustomerId, result.CustomerNumber));
        Assert.Matches(@"^OP2030\d{4}$", result.OpportunityNumber);
        Assert.Equal(customersBefore, await CountCustomersAsync(harness));
        // The lead's person shares the key contact's mobile: no second contact for the same person.
        Assert.Equal(contactsBefore, await CountContactsAsync(harness, mine.Id));
        await using var db = harness.NewSystemContext();
        var converted = await db.Leads.SingleAsync(l => l.Id == byMobile.Id);
        Assert.Equal((LeadStatus.Converted, mine.Id, result.OpportunityId), (converted.Status, converted.ConvertedCustomerId, converted.ConvertedOpportunityId));
        Assert.Equal(Start.UtcDateTime, converted.ConvertedAt);
        var opportunity = await db.Opportunities.SingleAsync(o => o.Id == result.OpportunityId);
        Assert.Equal((mine.Id, "二期扩容", 12_345_600L, rep.UserId!.Value, OpportunityStage.InitialContact, result.OpportunityNumber),
            (opportunity.CustomerId, opportunity.Name, opportunity.AmountFen, opportunity.OwnerId, opportunity.Stage, opportunity.Number));
        // The funnel's days from lead to won start at the lead's creation.
        Assert.Equal(converted.CreatedAt, opportunity.LeadCreatedAt);
        var detail = await queries.GetAsync(byMobile.Id);
        Assert.Equal((mine.Number, result.OpportunityNumber), (detail.CustomerNumber, detail.OpportunityNumber));
        // Converted is final.
        await Assert.ThrowsAsync<ValidationFailedException>(() => leads.ConvertAsync(byMobile.Id, converted.Version, new LeadConversion(mine.Id, null, "再来一次", 1, new DateOnly(2030, 6, 30))));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Converting_into_a_new_customer_makes_the_customer_its_key_contact_and_the_opportunity_together_or_nothing(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 2, time: new FakeTimeProvider(Start));
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var leads = harness.Get<LeadService>(rep);
        var lead = await leads.CreateAsync(Input("宁波海曙精工机械有限公司", mobile: "+86 138-0057-1234", email: "wang@hsjg.cn") with { Source = "exhibition", Notes = "展会上认识" });
        Assert.Matches(@"^LD2030\d{5}$", lead.Number);
        Assert.Equal("13800571234", lead.Mobile);
        // Not yet qualified: refused.
        await Assert.ThrowsAsync<ValidationFailedException>(() => leads.ConvertAsync(lead.Id, lead.Version, new LeadConversion(null, null, "产线改造", 800_000_00, new DateOnly(2030, 9, 30))));
        var qualified = await QualifyAsync(harness, rep, lead.Id);
        var customersBefore = await CountCustomersAsync(harness);

        // A part refused (no close date) writes nothing: no customer, the lead still qualified.
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => leads.ConvertAsync(lead.Id, qualified.Version, new LeadConversion(null, null, "产线改造", 800_000_00, null)));
        Assert.Contains(refused.Errors, e => e.MessageKey == "Validation.OpportunityCloseRequired");
        Assert.Equal(customersBefore, await CountCustomersAsync(harness));

        var result = await leads.ConvertAsync(lead.Id, qualified.Version, new LeadConversion(null, null, "产线改造", 800_000_00, new DateOnly(2030, 9, 30)));

        Assert.True(result.CustomerCreated);
        Assert.Equal(customersBefore + 1, await CountCustomersAsync(harness));
        await using var db = harness.NewSystemContext();
        var customer = await db.Customers.Include(c => c.Contacts).SingleAsync(c => c.Id == result.CustomerId);
        Assert.Equal(("宁波海曙精工机械有限公司", rep.UserId, "展会上认识", result.CustomerNumber), (customer.Name, customer.OwnerId, customer.Notes, customer.Number));
        var key = Assert.Single(customer.Contacts);
        Assert.Equal(("王先生", "13800571234", "wang@hsjg.cn", true), (key.Name, key.Mobile, key.Email, key.IsKey));
        var opportunity = await db.Opportunities.SingleAsync(o => o.Id == result.OpportunityId);
        Assert.Equal((customer.Id, 800_000_00L), (opportunity.CustomerId, opportunity.AmountFen));
        var converted = await db.Leads.SingleAsync(l => l.Id == lead.Id);
        Assert.Equal((LeadStatus.Converted, customer.Id, opportunity.Id), (converted.Status, converted.ConvertedCustomerId, converted.ConvertedOpportunityId));
        // The new customer is findable like any other: a later lead with its name is offered it.
        var again = await leads.CreateAsync(Input("宁波海曙精工机械"));
        Assert.Equal(customer.Id, Assert.Single(await harness.Get<LeadQueries>(rep).MatchesAsync(again.Id)).CustomerId);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task With_approval_on_an_assignment_waits_and_the_approval_gives_the_lead_once_and_tells_the_rep(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0, time: new FakeTimeProvider(Start),
            configure: services => services.Configure<PipelineOptions>(o => o.LeadAssignmentNeedsApproval = true));
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var admin = await harness.DemoUserAsync("demo-admin");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var team = await TeamAsync(harness);
        var lead = await harness.Get<LeadService>(supervisor).CreateAsync(Input("苏州工业园区某科技公司") with { ToPool = true, TeamId = team });

        Assert.True(await harness.Get<LeadService>(supervisor).AssignAsync(lead.Id, lead.Version, rep.UserId!.Value));

        var waiting = await LoadAsync(harness, lead.Id);
        Assert.Equal((null, rep.UserId), (waiting.OwnerId, waiting.PendingOwnerId));
        var row = Assert.Single((await harness.Get<LeadQueries>(supervisor).ListAsync(new LeadFilter { View = LeadView.Pool }, 0, 50)).Rows);
        Assert.Equal((true, "张伟"), (row.AwaitingApproval, row.PendingOwnerName));
        // While it waits, nobody claims it.
        var claim = await Assert.ThrowsAsync<ValidationFailedException>(() => harness.Get<LeadService>(rep).ClaimAsync(lead.Id));
        Assert.Equal("Validation.LeadAlreadyClaimed", claim.Errors.Single().MessageKey);
        var request = Assert.Single(await harness.Get<ApprovalService>(admin).PendingAsync());
        Assert.Equal(ApprovalKinds.LeadAssignment, request.Kind);
        Assert.Equal([lead.Number, "张伟"], request.Summary.Facts);

        await harness.Get<ApprovalService>(admin).DecideAsync(request.Id, request.Version, approve: true, comment: null);

        var assigned = await LoadAsync(harness, lead.Id);
        Assert.Equal((rep.UserId, (Guid?)null, (Guid?)null), (assigned.OwnerId, assigned.PendingApprovalId, assigned.PendingOwnerId));
        await using (var db = harness.NewSystemContext())
        {
            var told = Assert.Single(await db.Notifications.Where(n => n.UserId == rep.UserId && n.Kind == NotificationKinds.LeadAssigned).ToListAsync());
            Assert.Contains(lead.Number, told.Values, StringComparison.Ordinal);
            Assert.Equal(ApprovalStatus.Completed, (await db.ApprovalRequests.SingleAsync(a => a.Id == request.Id)).Status);
        }
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => harness.Get<ApprovalService>(admin).DecideAsync(request.Id, request.Version + 1, true, null));

        // A rejection leaves the lead where it was.
        var second = await harness.Get<LeadService>(supervisor).CreateAsync(Input("无锡某精密制造公司") with { ToPool = true, TeamId = team });
        await harness.Get<LeadService>(supervisor).AssignAsync(second.Id, second.Version, rep.UserId!.Value);
        var secondRequest = Assert.Single(await harness.Get<ApprovalService>(admin).PendingAsync());
        await harness.Get<ApprovalService>(admin).DecideAsync(secondRequest.Id, secondRequest.Version, approve: false, comment: "先由组内认领");
        var rejected = await LoadAsync(harness, second.Id);
        Assert.Equal(((Guid?)null, (Guid?)null, (Guid?)null), (rejected.OwnerId, rejected.PendingApprovalId, rejected.PendingOwnerId));
        await harness.Get<LeadService>(rep).ClaimAsync(second.Id);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Without_approval_an_assignment_is_immediate_told_live_and_only_supervisors_assign(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0, time: new FakeTimeProvider(Start));
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var other = await harness.DemoUserAsync("demo-salesrep2");
        var heard = new List<LeadChanged>();
        using var subscription = harness.LiveEvents.Subscribe<LeadChanged>(e => { lock (heard) { heard.Add(e); } return Task.CompletedTask; });
        var lead = await harness.Get<LeadService>(supervisor).CreateAsync(Input("常州某新材料公司") with { ToPool = true });

        Assert.False(await harness.Get<LeadService>(supervisor).AssignAsync(lead.Id, lead.Version, rep.UserId!.Value));

        var assigned = await LoadAsync(harness, lead.Id);
        Assert.Equal(rep.UserId, assigned.OwnerId);
        await using (var db = harness.NewSystemContext())
        {
            Assert.True(await db.Notifications.AnyAsync(n => n.UserId == rep.UserId && n.Kind == NotificationKinds.LeadAssigned));
        }
        lock (heard)
        {
            Assert.Contains(heard, e => e.LeadId == lead.Id && e.OwnerId == rep.UserId && e.Version == assigned.Version
                && e.Audience.Contains(Audience.ForUser(rep.UserId!.Value)));
        }
        // A rep neither assigns nor sees a colleague's lead, nor works it.
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<LeadService>(other).AssignAsync(lead.Id, assigned.Version, other.UserId!.Value));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<LeadQueries>(other).GetAsync(lead.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<LeadService>(other).SetStatusAsync(lead.Id, assigned.Version, LeadStatus.Contacted));
        Assert.Empty((await harness.Get<LeadQueries>(other).ListAsync(new LeadFilter { View = LeadView.All }, 0, 50)).Rows);
        Assert.Single((await harness.Get<LeadQueries>(await harness.DemoUserAsync("demo-analyst")).ListAsync(new LeadFilter { View = LeadView.All }, 0, 50)).Rows);

        // The owner works it; a disqualification needs a reason and is final.
        var leads = harness.Get<LeadService>(rep);
        var contacted = await leads.SetStatusAsync(lead.Id, assigned.Version, LeadStatus.Contacted);
        await Assert.ThrowsAsync<ValidationFailedException>(() => leads.DisqualifyAsync(lead.Id, contacted.Version, " "));
        var disqualified = await leads.DisqualifyAsync(lead.Id, contacted.Version, "预算不足，明年再议");
        Assert.Equal((LeadStatus.Disqualified, "预算不足，明年再议"), (disqualified.Status, disqualified.DisqualifyReason));
        await Assert.ThrowsAsync<ValidationFailedException>(() => leads.SetStatusAsync(lead.Id, disqualified.Version, LeadStatus.Qualified));
        Assert.Empty((await harness.Get<LeadQueries>(rep).ListAsync(new LeadFilter { View = LeadView.Mine }, 0, 50)).Rows);
        Assert.Single((await harness.Get<LeadQueries>(rep).ListAsync(new LeadFilter { View = LeadView.Mine, Status = LeadStatus.Disqualified }, 0, 50)).Rows);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task A_lead_needs_a_company_a_name_and_a_way_to_reach_them_and_a_stale_edit_is_a_conflict(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0, time: new FakeTimeProvider(Start));
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var leads = harness.Get<LeadService>(rep);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => leads.CreateAsync(new LeadInput { Company = " ", Mobile = "12345", Source = "no-such-source" }));

        Assert.Equal(
            new[] { "Validation.DictionaryValueUnknown", "Validation.LeadCompanyRequired", "Validation.ContactNameRequired", "Validation.MobileInvalid" }.Order(),
            refused.Errors.Select(e => e.MessageKey).Order());
        await using (var db = harness.NewSystemContext())
        {
            Assert.False(await db.Leads.AnyAsync());
        }
        var noReach = await Assert.ThrowsAsync<ValidationFailedException>(() => leads.CreateAsync(new LeadInput { Company = "某公司", ContactName = "李四" }));
        Assert.Equal("Validation.LeadReachRequired", noReach.Errors.Single().MessageKey);

        var lead = await leads.CreateAsync(Input("某某软件有限公司"));
        await leads.UpdateAsync(lead.Id, lead.Version, Input("某某软件股份有限公司"));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => leads.UpdateAsync(lead.Id, lead.Version, Input("旧版本的名字")));
        Assert.Equal("某某软件股份有限公司", (await LoadAsync(harness, lead.Id)).Company);
    }

    private static LeadInput Input(string company, string? mobile = "13900001111", string? email = null) =>
        new() { Company = company, ContactName = "王先生", Mobile = mobile, Email = email, Source = "website" };

    private static async Task<Lead> QualifyAsync(DomainHarness harness, TestUser owner, Guid id) =>
        await harness.Get<LeadService>(owner).SetStatusAsync(id, (await LoadAsync(harness, id)).Version, LeadStatus.Qualified);

    private static async Task<IReadOnlyList<LeadRow>> PoolOfAsync(DomainHarness harness, TestUser user) =>
        (await harness.Get<LeadQueries>(user).ListAsync(new LeadFilter { View = LeadView.Pool }, 0, 200)).Rows;

    private static async Task<Guid> TeamAsync(DomainHarness harness)
    {
        await using var db = harness.NewSystemContext();
        return await db.Teams.Select(t => t.Id).SingleAsync();
    }

    private static async Task<Lead> LoadAsync(DomainHarness harness, Guid id)
    {
        await using var db = harness.NewSystemContext();
        return await db.Leads.AsNoTracking().SingleAsync(l => l.Id == id);
    }

    private sealed record KnownCustomer(Guid Id, string Number, string Name, string? Mobile, string? Email);

    private static async Task<KnownCustomer> CustomerAsync(DomainHarness harness, Guid id)
    {
        await using var db = harness.NewSystemContext();
        var customer = await db.Customers.Include(c => c.Contacts).SingleAsync(c => c.Id == id);
        var key = customer.Contacts.First(c => c.IsKey && c.Mobile != null && c.Email != null);
        return new KnownCustomer(customer.Id, customer.Number, customer.Name, key.Mobile, key.Email);
    }

    private static async Task<int> CountCustomersAsync(DomainHarness harness)
    {
        await using var db = harness.NewSystemContext();
        return await db.Customers.CountAsync();
    }

    private static async Task<int> CountContactsAsync(DomainHarness harness, Guid customerId)
    {
        await using var db = harness.NewSystemContext();
        return await db.Contacts.CountAsync(c => c.CustomerId == customerId);
    }
}
