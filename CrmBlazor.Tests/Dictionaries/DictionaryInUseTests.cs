using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Dictionaries;

/// <summary>SPEC B4: an item any record uses is deactivated, never deleted — for every kind of dictionary.</summary>
public sealed class DictionaryInUseTests
{
    /// <summary>How a record comes to use a code of each kind; null where no record can store that kind yet.</summary>
    private static readonly Dictionary<DictionaryKind, Func<CrmDbContext, Guid, Guid, string, Task>?> UseIn = new()
    {
        [DictionaryKind.Industry] = (db, customerId, _, code) => db.Customers.Where(c => c.Id == customerId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Industry, code)),
        [DictionaryKind.CompanySize] = (db, customerId, _, code) => db.Customers.Where(c => c.Id == customerId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Size, code)),
        [DictionaryKind.Region] = (db, customerId, _, code) => db.Customers.Where(c => c.Id == customerId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Province, code)),
        // Only the history uses it: no customer has the status any more, the timeline still labels it.
        [DictionaryKind.CustomerStatus] = (db, customerId, _, code) =>
        {
            db.CustomerStatusChanges.Add(new CustomerStatusChange { CustomerId = customerId, FromStatus = code, ToStatus = CustomerStatuses.Active, Reason = "测试", ByName = "test" });
            return db.SaveChangesAsync();
        },
        [DictionaryKind.InteractionType] = (db, customerId, _, code) =>
        {
            db.Interactions.Add(new Interaction { CustomerId = customerId, Type = code, At = new DateTime(2030, 1, 2, 3, 4, 0, DateTimeKind.Utc), Topic = "测试", ByName = "test" });
            return db.SaveChangesAsync();
        },
        [DictionaryKind.DemandType] = (db, customerId, ownerId, code) =>
        {
            db.Demands.Add(new Demand
            {
                Number = "DE20309999", CustomerId = customerId, Description = "测试", Type = code, Priority = DemandPriority.Low,
                OwnerId = ownerId, ResponseDueAt = new DateTime(2030, 1, 3, 0, 0, 0, DateTimeKind.Utc),
            });
            return db.SaveChangesAsync();
        },
        [DictionaryKind.TicketCategory] = (db, customerId, _, code) =>
        {
            db.Tickets.Add(new Ticket
            {
                Number = "TK203099999", CustomerId = customerId, Category = code, Title = "测试", Description = "测试", Severity = TicketSeverity.Low,
                OpenedAt = new DateTime(2030, 1, 2, 3, 4, 0, DateTimeKind.Utc), ResponseDueAt = new DateTime(2030, 1, 3, 0, 0, 0, DateTimeKind.Utc),
                ResolutionDueAt = new DateTime(2030, 1, 9, 0, 0, 0, DateTimeKind.Utc),
            });
            return db.SaveChangesAsync();
        },
        [DictionaryKind.LeadSource] = null,
        [DictionaryKind.LostReason] = (db, customerId, ownerId, code) =>
        {
            db.Opportunities.Add(new Opportunity
            {
                Number = "OP20309999", CustomerId = customerId, Name = "测试", AmountFen = 100, ExpectedCloseOn = new DateOnly(2030, 1, 31),
                OwnerId = ownerId, Stage = OpportunityStage.Lost, LostReason = code, StageEnteredAt = new DateTime(2030, 1, 2, 3, 4, 0, DateTimeKind.Utc),
            });
            return db.SaveChangesAsync();
        },
    };

    public static TheoryData<DictionaryKind> Kinds() => [.. Enum.GetValues<DictionaryKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_dictionary_kind_has_an_in_use_check_and_a_case_here(DictionaryKind kind)
    {
        Assert.True(DictionaryUsage.Checks.ContainsKey(kind), $"{kind} has no in-use check in DictionaryUsage.");
        Assert.True(UseIn.ContainsKey(kind), $"{kind} has no case in {nameof(DictionaryInUseTests)}.");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task An_item_in_use_is_refused_deletion_and_can_be_deactivated_and_an_unused_one_is_deleted(DictionaryKind kind)
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 2);
        var admin = await harness.DemoUserAsync("demo-admin");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var dictionaries = harness.Get<DictionaryService>(admin);
        var used = await dictionaries.CreateAsync(kind, new DictionaryItemInput("t-used", "在用", "In use", 90));
        var unused = await dictionaries.CreateAsync(kind, new DictionaryItemInput("t-unused", "未用", "Unused", 91));
        if (UseIn[kind] is { } use)
        {
            await using var db = harness.NewSystemContext();
            var customerId = await db.Customers.Where(c => c.OwnerId == rep.UserId).Select(c => c.Id).FirstAsync();
            await use(db, customerId, rep.UserId!.Value, used.Code);

            var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => dictionaries.DeleteAsync(used.Id));
            Assert.Equal("Validation.DictionaryItemInUse", Assert.Single(refused.Errors).MessageKey);
            await dictionaries.UpdateAsync(used.Id, used.Version, new DictionaryItemInput(used.Code, used.LabelZh, used.LabelEn, used.Order), isActive: false);
            Assert.Contains(await dictionaries.ListAsync(kind, includeInactive: true), i => i.Id == used.Id && !i.IsActive);
        }

        await dictionaries.DeleteAsync(unused.Id);

        var left = await dictionaries.ListAsync(kind, includeInactive: true);
        Assert.DoesNotContain(left, i => i.Id == unused.Id);
        Assert.Contains(left, i => i.Id == used.Id);
    }
}
