using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Importing;

/// <summary>
/// The import's bulk path (issue 17): rows written by <see cref="BulkInsert"/> (multi-row INSERTs on SQLite, binary COPY
/// on PostgreSQL) read back, and are found by queries, exactly as rows EF saved; and they go with the transaction.
/// </summary>
public sealed class BulkInsertTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Bulk_rows_read_back_and_query_like_rows_ef_saved_and_roll_back_with_their_transaction(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateSeededAsync(provider, customers: 0);
        var at = new DateTime(2026, 3, 15, 2, 30, 15, DateTimeKind.Utc);
        await using var db = DomainServices.CreateSystemContext(database.Settings, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(at));
        var owner = await db.Users.Select(u => u.Id).FirstAsync();
        var field = new CustomFieldDefinition { LabelZh = "年采购额", LabelEn = "Annual purchases", Type = CustomFieldType.Number };
        db.CustomFields.Add(field);
        await db.SaveChangesAsync();
        Customer Customer(string tag) => new()
        {
            Number = $"CRM2026{tag}", Name = $"批量{tag}有限公司", ExternalCode = $"C-{tag}", Industry = "software", Size = "50-200", Status = CustomerStatuses.Active,
            Province = "浙江", City = "杭州", Tier = "S", TierOverride = "S", TierOverrideReason = "导入 / imported", OwnerId = owner, LastContactAt = at,
            CreatedAt = at, UpdatedAt = at, CreatedBy = owner, UpdatedBy = owner, Version = 1,
        };
        CustomFieldValue Value(Guid customer) => new() { CustomerId = customer, FieldId = field.Id, Number = 1234.5678m, Date = at, YesNo = true, Text = "甲|乙" };

        var saved = Customer("001");
        db.Customers.Add(saved);
        db.CustomFieldValues.Add(Value(saved.Id));
        await db.SaveChangesAsync();
        var bulk = Customer("002");
        var audit = new AuditEntry { At = at, UserId = owner, UserName = "导入", Action = AuditAction.Create, EntityType = nameof(Customer), EntityId = bulk.Id.ToString(), Changes = "[]" };
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await BulkInsert.AddAsync(db, [bulk], CancellationToken.None);
            await BulkInsert.AddAsync(db, [Value(bulk.Id)], CancellationToken.None);
            await BulkInsert.AddAsync(db, [audit], CancellationToken.None);
            await transaction.CommitAsync();
        }

        db.ChangeTracker.Clear();
        var read = await db.Customers.AsNoTracking().Where(c => c.Id == saved.Id || c.Id == bulk.Id).OrderBy(c => c.Number).ToListAsync();
        object?[] Comparable(Customer c) => [c.ExternalCode![2..], c.Industry, c.Size, c.Status, c.Province, c.City, c.Tier, c.TierOverride, c.TierOverrideReason,
            c.OwnerId, c.LastContactAt, c.LastContactAt?.Kind, c.NumberOrder - long.Parse(c.Number[7..], System.Globalization.CultureInfo.InvariantCulture), c.Version];
        Assert.Equal(Comparable(read[0])[1..], Comparable(read[1])[1..]);
        Assert.Equal((at, at), (read[0].UpdatedAt, read[1].UpdatedAt)); // the interceptor's stamp and the caller's agree
        // Found by the queries the app runs: a Guid, a timestamp, a decimal and a flag compared in SQL; the enum stored by name.
        Assert.Equal(2, await db.Customers.CountAsync(c => c.OwnerId == owner && c.LastContactAt == at && c.ExternalCode!.StartsWith("C-")));
        Assert.Equal(2, await db.CustomFieldValues.CountAsync(v => v.FieldId == field.Id && v.Number == 1234.5678m && v.Date == at && v.YesNo == true));
        Assert.Equal(bulk.Id.ToString(), (await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == AuditAction.Create && a.UserName == "导入")).EntityId);

        // A key the database numbers (the duplicate queue's) is left to it: each row gets the next number, in the list's order.
        db.DuplicateRechecks.Add(new DuplicateRecheck { CustomerId = saved.Id });
        await db.SaveChangesAsync();
        var before = await db.DuplicateRechecks.AsNoTracking().OrderBy(r => r.Id).Select(r => r.CustomerId).ToListAsync();
        await BulkInsert.AddAsync(db, [new DuplicateRecheck { CustomerId = bulk.Id }, new DuplicateRecheck { CustomerId = saved.Id }], CancellationToken.None);
        var queue = await db.DuplicateRechecks.AsNoTracking().OrderBy(r => r.Id).Select(r => new { r.Id, r.CustomerId }).ToListAsync();
        Assert.Equal([.. before, bulk.Id, saved.Id], queue.Select(r => r.CustomerId));
        Assert.Equal(queue.Count, queue.Select(r => r.Id).Distinct().Count());

        // A batch that does not commit leaves nothing behind.
        var lost = Customer("003");
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await BulkInsert.AddAsync(db, [lost], CancellationToken.None);
            await transaction.RollbackAsync();
        }
        Assert.False(await db.Customers.AnyAsync(c => c.Id == lost.Id));
    }
}
