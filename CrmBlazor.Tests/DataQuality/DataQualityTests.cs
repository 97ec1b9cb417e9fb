using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.DataQuality;

/// <summary>SPEC H5: problems counted per kind, accuracy, and the monthly sample owners verify.</summary>
public sealed class DataQualityTests
{
    // 2027-03-01 09:00 in the company's time zone: the first day of a month.
    private static readonly DateTimeOffset MonthStart = new(2027, 3, 1, 1, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Seven customers written as legacy data is (through EF, no validation), six of them the rep's: A clean; B without
    /// industry; C without province and with no key contact to reach; D with a bad mobile; E whose bad mobile belongs to
    /// someone who left (not counted); F untouched for eight months; G, a colleague's, without industry.
    /// </summary>
    private static async Task<Dictionary<string, Guid>> SeedFixtureAsync(DomainHarness harness, FakeTimeProvider time, Guid repId, Guid colleagueId)
    {
        var ids = new Dictionary<string, Guid>();
        async Task AddAsync(string key, Guid owner, string? industry, string? province, params Contact[] contacts)
        {
            await using var db = DomainServices.CreateSystemContext(harness.Database.Settings, time);
            var customer = new Customer { Number = $"CRM2027{900 + ids.Count}", Name = $"质量{key}公司", Industry = industry, Province = province, OwnerId = owner };
            customer.Contacts.AddRange(contacts);
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            ids[key] = customer.Id;
        }
        static Contact Key(string mobile) => new() { Name = "王经理", Mobile = mobile, IsKey = true };
        time.SetUtcNow(MonthStart.AddMonths(-8));
        await AddAsync("F", repId, "manufacturing", "zhejiang", Key("13800000006"));
        time.SetUtcNow(MonthStart);
        await AddAsync("A", repId, "manufacturing", "zhejiang", Key("13800000001"));
        await AddAsync("B", repId, null, "zhejiang", Key("13800000002"));
        await AddAsync("C", repId, "manufacturing", null, new Contact { Name = "李工", Landline = "0571-88888888", IsKey = true });
        await AddAsync("D", repId, "manufacturing", "zhejiang", Key("13800000004"), new Contact { Name = "赵工", Mobile = "12345" });
        await AddAsync("E", repId, "manufacturing", "zhejiang", Key("13800000005"), new Contact { Name = "钱工", Mobile = "12345", HasLeft = true });
        await AddAsync("G", colleagueId, null, "zhejiang", Key("13800000007"));
        return ids;
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_figures_equal_a_hand_counted_fixture_for_each_scope(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(MonthStart.AddMonths(-9));
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0, time: time);
        var (analyst, rep, colleague) = (await harness.DemoUserAsync("demo-analyst"), await harness.DemoUserAsync("demo-salesrep"), await harness.DemoUserAsync("demo-salesrep2"));
        var ids = await SeedFixtureAsync(harness, time, rep.UserId!.Value, colleague.UserId!.Value);

        var all = await harness.Get<DataQualityService>(analyst).SummaryAsync();
        var own = await harness.Get<DataQualityService>(rep).SummaryAsync();

        Assert.Equal(7, all.Customers);
        Assert.Equal(new Dictionary<QualityIssue, int>
        {
            [QualityIssue.MissingIndustry] = 2, [QualityIssue.MissingRegion] = 1, [QualityIssue.NoKeyContactReach] = 1,
            [QualityIssue.InvalidPhone] = 1, [QualityIssue.Stale] = 1,
        }, all.Issues);
        Assert.Equal(2, all.Clean); // A and E
        Assert.Equal(2m / 7, all.Accuracy);
        Assert.Equal(6, own.Customers);
        Assert.Equal(1, own.Issues[QualityIssue.MissingIndustry]);
        Assert.Equal(2, own.Clean);

        async Task<IEnumerable<Guid>> With(ICurrentUser user, QualityIssue issue) => (await harness.Get<DataQualityService>(user).CustomersWithAsync(issue)).Select(c => c.Id);
        Assert.Equal([ids["B"], ids["G"]], await With(analyst, QualityIssue.MissingIndustry));
        Assert.Equal([ids["B"]], await With(rep, QualityIssue.MissingIndustry));
        Assert.Equal([ids["C"]], await With(analyst, QualityIssue.MissingRegion));
        Assert.Equal([ids["C"]], await With(analyst, QualityIssue.NoKeyContactReach));
        Assert.Equal([ids["D"]], await With(analyst, QualityIssue.InvalidPhone));
        Assert.Equal([ids["F"]], await With(analyst, QualityIssue.Stale));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_flags_worked_out_in_memory_for_an_import_equal_the_stored_rule_for_every_combination(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0);
        Func<Contact[]>[] contactSets =
        [
            () => [],
            () => [new() { Name = "甲", Mobile = "13800000001", IsKey = true }],
            () => [new() { Name = "乙", Email = "b@example.cn", IsKey = true }],
            () => [new() { Name = "丙", Landline = "0571-88888888", IsKey = true }],
            () => [new() { Name = "丁", Mobile = "13800000002", IsKey = true, HasLeft = true }],
            () => [new() { Name = "戊", Mobile = "12345", IsKey = true }],
            () => [new() { Name = "己", Mobile = "13800000003" }],
            () => [new() { Name = "庚", Mobile = "13800000004", IsKey = true }, new() { Name = "辛", Mobile = "12345", HasLeft = true }],
            () => [new() { Name = "壬", Landline = "0571-88888888", IsKey = true }, new() { Name = "癸", Mobile = "12345" }],
        ];
        var expected = new Dictionary<Guid, QualityProblems>();
        await using (var db = harness.NewSystemContext())
        {
            foreach (var industry in new[] { null, "manufacturing" })
            {
                foreach (var province in new[] { null, "zhejiang" })
                {
                    foreach (var contacts in contactSets)
                    {
                        var customer = new Customer { Number = $"CRM2027{800 + expected.Count}", Name = $"规则{expected.Count}公司", Industry = industry, Province = province };
                        customer.Contacts.AddRange(contacts());
                        expected[customer.Id] = CustomerQuality.Of(customer, customer.Contacts);
                        db.Customers.Add(customer);
                    }
                }
            }
            await db.SaveChangesAsync(); // the save runs the stored rule (one statement) over the new customers
        }

        await using var read = harness.NewSystemContext();
        var stored = await read.Customers.AsNoTracking().Where(c => expected.Keys.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.QualityProblems);
        Assert.Equal(expected.ToDictionary(e => e.Key, e => (QualityProblems?)e.Value), stored);
        // The fixture reaches every flag, and a customer with none.
        Assert.All(Enum.GetValues<QualityProblems>(), flag => Assert.Contains(expected.Values, v => flag == QualityProblems.None ? v == flag : v.HasFlag(flag)));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_phone_fixed_by_its_owner_leaves_the_problem_list_at_once(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(MonthStart.AddMonths(-9));
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0, time: time);
        var (rep, colleague) = (await harness.DemoUserAsync("demo-salesrep"), await harness.DemoUserAsync("demo-salesrep2"));
        var ids = await SeedFixtureAsync(harness, time, rep.UserId!.Value, colleague.UserId!.Value);
        var quality = harness.Get<DataQualityService>(rep);
        Contact bad;
        await using (var db = harness.NewSystemContext())
        {
            bad = await db.Contacts.SingleAsync(k => k.CustomerId == ids["D"] && k.Name == "赵工");
        }
        Assert.True(bad.MobileInvalid);

        await harness.Get<CustomerService>(rep).UpdateContactAsync(bad.Id, bad.Version, new ContactInput("赵工", Mobile: "139 1234 5678"));

        Assert.DoesNotContain(await quality.CustomersWithAsync(QualityIssue.InvalidPhone), c => c.Id == ids["D"]);
        Assert.Equal(0, (await quality.SummaryAsync()).Issues[QualityIssue.InvalidPhone]);
        Assert.Equal(3, (await quality.SummaryAsync()).Clean); // A, D, E

        // and the customer's only key contact marked as left puts it on the "no key contact" list
        await using (var db = harness.NewSystemContext())
        {
            var key = await db.Contacts.SingleAsync(k => k.CustomerId == ids["A"]);
            key.HasLeft = true;
            await db.SaveChangesAsync();
        }
        Assert.Contains(await quality.CustomersWithAsync(QualityIssue.NoKeyContactReach), c => c.Id == ids["A"]);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Customers_saved_before_the_flags_existed_get_them_once_at_start_up(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(MonthStart.AddMonths(-9));
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0, time: time);
        var (analyst, rep, colleague) = (await harness.DemoUserAsync("demo-analyst"), await harness.DemoUserAsync("demo-salesrep"), await harness.DemoUserAsync("demo-salesrep2"));
        await SeedFixtureAsync(harness, time, rep.UserId!.Value, colleague.UserId!.Value);
        var expected = await harness.Get<DataQualityService>(analyst).SummaryAsync();
        await using (var db = harness.NewSystemContext())
        {
            // As an earlier version left them: no stored problems, no phone checked.
            await db.Customers.ExecuteUpdateAsync(s => s.SetProperty(c => c.QualityProblems, (QualityProblems?)null));
            await db.Contacts.ExecuteUpdateAsync(s => s.SetProperty(k => k.MobileInvalid, false));
        }

        await DatabaseInitializer.InitializeAsync(harness.Database.Settings, time, seedDemoData: false, 0, NullLogger.Instance);

        var after = await harness.Get<DataQualityService>(analyst).SummaryAsync();
        Assert.Equal(expected.Issues, after.Issues);
        Assert.Equal(expected.Clean, after.Clean);
        await using (var db = harness.NewSystemContext())
        {
            Assert.Equal(0, await db.Customers.CountAsync(c => c.QualityProblems == null));
            Assert.Equal(0, await CustomerQuality.BackfillAsync(db, default));
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_monthly_checklist_gives_owners_their_problems_and_carries_over_what_they_did_not_tick_off(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(MonthStart.AddMonths(-9));
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0, time: time);
        var (analyst, rep, colleague) = (await harness.DemoUserAsync("demo-analyst"), await harness.DemoUserAsync("demo-salesrep"), await harness.DemoUserAsync("demo-salesrep2"));
        var ids = await SeedFixtureAsync(harness, time, rep.UserId!.Value, colleague.UserId!.Value);
        var job = harness.Get<DataQualityJob>(SystemUser.Instance);

        Assert.True(await job.RunAsync());
        Assert.False(await harness.Get<DataQualityJob>(SystemUser.Instance).RunAsync()); // once a day, across instances

        var march = await harness.Get<CleaningChecklist>(rep).ReadAsync();
        Assert.Equal([ids["F"], ids["B"], ids["C"], ids["D"]], march.Lines.Select(l => l.CustomerId)); // by number
        Assert.Equal((4, 0, 0), (march.Open, march.DoneThisMonth, march.CarriedOver));
        Assert.Equal([QualityIssue.MissingRegion, QualityIssue.NoKeyContactReach], march.Lines.Single(l => l.CustomerId == ids["C"]).Issues);
        Assert.Equal([QualityIssue.Stale], march.Lines.Single(l => l.CustomerId == ids["F"]).Issues);
        var colleagues = await harness.Get<CleaningChecklist>(colleague).ReadAsync();
        Assert.Equal([ids["G"]], colleagues.Lines.Select(l => l.CustomerId));
        await Assert.ThrowsAnyAsync<CrmException>(() => harness.Get<CleaningChecklist>(rep).TickOffAsync(colleagues.Lines[0].Id));

        await harness.Get<CleaningChecklist>(rep).TickOffAsync(march.Lines.Single(l => l.CustomerId == ids["B"]).Id);
        var ticked = await harness.Get<CleaningChecklist>(rep).ReadAsync();
        Assert.Equal((3, 1), (ticked.Open, ticked.DoneThisMonth));
        Assert.Equal(rep.DisplayName, ticked.Lines.Single(l => l.CustomerId == ids["B"]).DoneByName);

        time.SetUtcNow(MonthStart.AddMonths(1));
        Assert.True(await job.RunAsync());

        var april = await harness.Get<CleaningChecklist>(rep).ReadAsync();
        // C, D and F carried over from March; B, ticked off but still without an industry, opened again for April.
        Assert.Equal((4, 0, 3), (april.Open, april.DoneThisMonth, april.CarriedOver));
        Assert.Equal(["2027-03", "2027-03", "2027-03", "2027-04"], april.Lines.Select(l => l.OpenedMonth));
        Assert.Equal(ids["B"], april.Lines[^1].CustomerId);

        var trend = await harness.Get<DataQualityService>(analyst).TrendAsync();
        Assert.Equal(["2027-03", "2027-04"], trend.Select(t => t.Month));
        Assert.Equal((7, 2), (trend[0].Customers, trend[0].Clean));
    }

    [Fact]
    public async Task A_supervisor_draws_a_tenth_once_a_month_and_owners_tick_off_their_own()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 40);
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var colleague = await harness.DemoUserAsync("demo-salesrep2");
        Guid mineId, theirsId;
        await using (var db = harness.NewSystemContext())
        {
            // Two already drawn this month: one of the rep's customers, one of a colleague's.
            var month = harness.Get<CrmBlazor.Domain.Common.CompanyClock>(supervisor).Month;
            var mine = new VerificationSample { Month = month, CustomerId = await db.Customers.Where(c => c.OwnerId == rep.UserId).Select(c => c.Id).FirstAsync(), OwnerId = rep.UserId };
            var theirs = new VerificationSample { Month = month, CustomerId = await db.Customers.Where(c => c.OwnerId == colleague.UserId).Select(c => c.Id).FirstAsync(), OwnerId = colleague.UserId };
            db.VerificationSamples.AddRange(mine, theirs);
            await db.SaveChangesAsync();
            (mineId, theirsId) = (mine.Id, theirs.Id);
        }
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<DataQualityService>(rep).DrawSampleAsync());

        var drawn = await harness.Get<DataQualityService>(supervisor).DrawSampleAsync();
        var again = await harness.Get<DataQualityService>(supervisor).DrawSampleAsync();

        Assert.Equal(2, drawn); // 10% of the team's 40 is 4, two were there
        Assert.Equal(0, again);
        var all = await harness.Get<DataQualityService>(supervisor).SampleAsync();
        Assert.Equal(4, all.Count);
        var repSees = await harness.Get<DataQualityService>(rep).SampleAsync();
        Assert.Contains(repSees, s => s.Id == mineId);
        Assert.DoesNotContain(repSees, s => s.Id == theirsId);

        await Assert.ThrowsAnyAsync<CrmException>(() => harness.Get<DataQualityService>(rep).VerifyAsync(theirsId));
        await harness.Get<DataQualityService>(rep).VerifyAsync(mineId);

        var verified = (await harness.Get<DataQualityService>(supervisor).SampleAsync()).Single(s => s.Id == mineId);
        Assert.Equal(rep.DisplayName, verified.VerifiedByName);
        Assert.NotNull(verified.VerifiedAt);
        Assert.Null((await harness.Get<DataQualityService>(supervisor).SampleAsync()).Single(s => s.Id == theirsId).VerifiedAt);
    }
}
