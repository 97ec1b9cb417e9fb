using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.DataQuality;

/// <summary>SPEC H5: problems counted per kind, accuracy, and the monthly sample owners verify.</summary>
public sealed class DataQualityTests
{
    [Fact]
    public async Task Each_problem_is_counted_and_listed_and_the_accuracy_is_the_share_without_any()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 12);
        var analyst = await harness.DemoUserAsync("demo-analyst");
        var quality = harness.Get<DataQualityService>(analyst);
        var before = await quality.SummaryAsync();
        List<Guid> picked;
        await using (var db = harness.NewSystemContext())
        {
            picked = await db.Customers.Where(c => c.Industry != null && c.Province != null).OrderBy(c => c.Number).Select(c => c.Id).Take(3).ToListAsync();
            await db.Customers.Where(c => c.Id == picked[0]).ExecuteUpdateAsync(s => s.SetProperty(c => c.Industry, (string?)null));
            await db.Contacts.Where(k => k.CustomerId == picked[1]).ExecuteUpdateAsync(s => s.SetProperty(k => k.Mobile, "12345"));
            await db.Customers.Where(c => c.Id == picked[2]).ExecuteUpdateAsync(s => s.SetProperty(c => c.UpdatedAt, DateTime.UtcNow.AddYears(-1)));
        }

        var after = await quality.SummaryAsync();

        Assert.Equal(before.Issues[QualityIssue.MissingIndustry] + 1, after.Issues[QualityIssue.MissingIndustry]);
        Assert.True(after.Issues[QualityIssue.InvalidPhone] > before.Issues[QualityIssue.InvalidPhone]);
        Assert.Equal(before.Issues[QualityIssue.Stale] + 1, after.Issues[QualityIssue.Stale]);
        Assert.Equal((decimal)after.Clean / after.Customers, after.Accuracy);
        Assert.True(after.Clean <= before.Clean);
        Assert.Contains(await quality.CustomersWithAsync(QualityIssue.MissingIndustry), c => c.Id == picked[0]);
        Assert.Contains(await quality.CustomersWithAsync(QualityIssue.InvalidPhone), c => c.Id == picked[1]);
        Assert.Contains(await quality.CustomersWithAsync(QualityIssue.Stale), c => c.Id == picked[2]);
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
