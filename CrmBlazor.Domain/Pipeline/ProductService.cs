using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>What the catalogue's form sends; the list price in fen.</summary>
public sealed record ProductInput(string? Code, string? Name, string? Unit, long? ListPriceFen, bool IsActive);

/// <summary>A catalogue row as the catalogue page and the quote editor show it.</summary>
public sealed record ProductItem(Guid Id, int Version, string Code, string Name, string Unit, long ListPriceFen, bool IsActive);

/// <summary>
/// The product and service catalogue (SPEC F3). Everyone who may view the pipeline reads it; maintaining it is the
/// Pipeline module's Delete right — a manager's right, Admin and Supervisor by default (docs/decisions/0018).
/// </summary>
public sealed class ProductService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions)
{
    public const int CodeMaxLength = 32;
    public const int NameMaxLength = 200;
    public const int UnitMaxLength = 16;

    /// <summary>Ten million yuan, in fen: a bound that keeps line totals far from overflow.</summary>
    public const long MaxPriceFen = 1_000_000_000;

    /// <summary>Whether the caller may add and edit products (the page hides what is refused; the service checks anyway).</summary>
    public bool MayMaintain => permissions.IsAllowed(currentUser, Module.Pipeline, Operation.Delete);

    public async Task<IReadOnlyList<ProductItem>> ListAsync(bool activeOnly = false, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var products = db.Products.AsNoTracking();
        if (activeOnly)
        {
            products = products.Where(p => p.IsActive);
        }
        return await products.OrderBy(p => p.Code)
            .Select(p => new ProductItem(p.Id, p.Version, p.Code, p.Name, p.Unit, p.ListPriceFen, p.IsActive))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Adds a product; its code must be new.</summary>
    public async Task<ProductItem> AddAsync(ProductInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Delete);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var product = new Product { Code = "", Name = "", Unit = "" };
        await ApplyAsync(db, product, input, cancellationToken);
        db.Products.Add(product);
        await SaveAsync(db, product, cancellationToken);
        return ItemOf(product);
    }

    /// <summary>Edits a product at the version the user saw. Quotes already written keep the name and price they were given.</summary>
    public async Task<ProductItem> UpdateAsync(Guid id, int version, ProductInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Delete);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var product = await db.Products.SingleOrDefaultAsync(p => p.Id == id, cancellationToken) ?? throw new NotFoundException(nameof(Product), id);
        db.ExpectVersion(product, version);
        if (product.Version != version)
        {
            throw new ConcurrencyConflictException(nameof(Product), id);
        }
        await ApplyAsync(db, product, input, cancellationToken);
        await SaveAsync(db, product, cancellationToken);
        return ItemOf(product);
    }

    private static async Task ApplyAsync(CrmDbContext db, Product product, ProductInput input, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        var code = input.Code?.Trim() ?? "";
        var name = input.Name?.Trim() ?? "";
        var unit = input.Unit?.Trim() ?? "";
        if (code.Length is 0 or > CodeMaxLength)
        {
            errors.Add(new ValidationError(nameof(Product.Code), "Validation.ProductCodeRequired", $"Give a code of at most {CodeMaxLength} characters.", CodeMaxLength));
        }
        else if (await db.Products.AnyAsync(p => p.Code == code && p.Id != product.Id, cancellationToken))
        {
            errors.Add(new ValidationError(nameof(Product.Code), "Validation.ProductCodeTaken", $"Product code {code} exists already.", code));
        }
        if (name.Length is 0 or > NameMaxLength)
        {
            errors.Add(new ValidationError(nameof(Product.Name), "Validation.ProductNameRequired", $"Give a name of at most {NameMaxLength} characters.", NameMaxLength));
        }
        if (unit.Length is 0 or > UnitMaxLength)
        {
            errors.Add(new ValidationError(nameof(Product.Unit), "Validation.ProductUnitRequired", $"Give the unit (at most {UnitMaxLength} characters).", UnitMaxLength));
        }
        if (input.ListPriceFen is not (>= 0 and <= MaxPriceFen))
        {
            errors.Add(new ValidationError(nameof(Product.ListPriceFen), "Validation.ProductPrice", "The list price is zero or more, up to 10,000,000 yuan."));
        }
        ValidationFailedException.ThrowIfAny(errors);
        product.Code = code;
        product.Name = name;
        product.Unit = unit;
        product.ListPriceFen = input.ListPriceFen!.Value;
        product.IsActive = input.IsActive;
    }

    /// <summary>Saves; two users adding the same code at once meet the unique index, and the second is told as the check would have.</summary>
    private static async Task SaveAsync(CrmDbContext db, Product product, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveOrConflictAsync(product, cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await db.Products.AnyAsync(p => p.Code == product.Code && p.Id != product.Id, cancellationToken))
            {
                throw new ValidationFailedException([new ValidationError(nameof(Product.Code), "Validation.ProductCodeTaken", $"Product code {product.Code} exists already.", product.Code)]);
            }
            throw;
        }
    }

    private static ProductItem ItemOf(Product p) => new(p.Id, p.Version, p.Code, p.Name, p.Unit, p.ListPriceFen, p.IsActive);
}
