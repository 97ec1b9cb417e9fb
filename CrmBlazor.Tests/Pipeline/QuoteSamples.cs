using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Pipeline;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Pipeline;

/// <summary>A quote written straight to the database for page tests (as the board's tests seed opportunities), on a numbering series of its own (2099) so it meets neither today's date nor the app's numbers.</summary>
internal static class QuoteSamples
{
    /// <summary>An opportunity on <paramref name="owner"/>'s first customer with a quote of three lines in <paramref name="status"/>; the quote's id.</summary>
    public static async Task<Guid> SeedAsync(CrmDbContext db, string owner, QuoteStatus status = QuoteStatus.Sent)
    {
        var user = await db.Users.SingleAsync(u => u.ExternalId == owner);
        var customerId = await db.Customers.Where(c => c.OwnerId == user.Id).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
        var erp = await ProductAsync(db, "SAMPLE-ERP", "ERP 标准版", "套", 12_000_000);
        var days = await ProductAsync(db, "SAMPLE-SVC", "实施服务", "人天", 150_000);
        var care = await ProductAsync(db, "SAMPLE-CARE", "年度运维服务", "年", 3_600_000);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var opportunity = new Opportunity
        {
            Number = $"OP2099{await NumberSequences.NextAsync(db, "opportunity:2099", CancellationToken.None):0000}",
            CustomerId = customerId, Name = "集团 ERP 升级项目", AmountFen = 30_000_000, ExpectedCloseOn = new DateOnly(2099, 6, 30),
            OwnerId = user.Id, Stage = OpportunityStage.Proposal, StageEnteredAt = new DateTime(2099, 1, 2, 2, 0, 0, DateTimeKind.Utc),
        };
        var quote = new Quote
        {
            Number = $"QT2099{await NumberSequences.NextAsync(db, "quote:2099", CancellationToken.None):0000}",
            Revision = 1, OpportunityId = opportunity.Id, Status = status, ValidUntil = new DateOnly(2099, 3, 31),
            Lines = [Line(1, erp, 2m, 5m), Line(2, days, 12.5m, 0m), Line(3, care, 1m, 10m)],
        };
        quote.TotalFen = quote.Lines.Sum(l => l.LineTotalFen);
        db.AddRange(opportunity, quote);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return quote.Id;
    }

    /// <summary>An opportunity without quotes on <paramref name="owner"/>'s first customer, with the sample products in the catalogue; its number.</summary>
    public static async Task<string> SeedOpportunityAsync(CrmDbContext db, string owner, string name)
    {
        var user = await db.Users.SingleAsync(u => u.ExternalId == owner);
        var customerId = await db.Customers.Where(c => c.OwnerId == user.Id).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
        await ProductAsync(db, "SAMPLE-ERP", "ERP 标准版", "套", 12_000_000);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var opportunity = new Opportunity
        {
            Number = $"OP2099{await NumberSequences.NextAsync(db, "opportunity:2099", CancellationToken.None):0000}",
            CustomerId = customerId, Name = name, AmountFen = 12_000_000, ExpectedCloseOn = new DateOnly(2099, 6, 30),
            OwnerId = user.Id, Stage = OpportunityStage.Proposal, StageEnteredAt = new DateTime(2099, 1, 2, 2, 0, 0, DateTimeKind.Utc),
        };
        db.Opportunities.Add(opportunity);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return opportunity.Number;
    }

    private static QuoteLine Line(int position, Product product, decimal quantity, decimal discount) => new()
    {
        Position = position, ProductId = product.Id, ProductCode = product.Code, ProductName = product.Name, Unit = product.Unit,
        Quantity = quantity, UnitPriceFen = product.ListPriceFen, DiscountPercent = discount,
        LineTotalFen = QuotePricing.LineTotalFen(quantity, product.ListPriceFen, discount),
    };

    private static async Task<Product> ProductAsync(CrmDbContext db, string code, string name, string unit, long priceFen)
    {
        if (await db.Products.SingleOrDefaultAsync(p => p.Code == code) is { } existing)
        {
            return existing;
        }
        var product = new Product { Code = code, Name = name, Unit = unit, ListPriceFen = priceFen };
        db.Products.Add(product);
        await db.SaveChangesAsync();
        return product;
    }
}
