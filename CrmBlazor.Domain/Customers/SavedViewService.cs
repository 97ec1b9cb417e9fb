using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Customers;

/// <summary>A user's saved list views; each user sees and changes only their own.</summary>
public sealed class SavedViewService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, TimeProvider time)
{
    public async Task<IReadOnlyList<(Guid Id, string Name, CustomerFilter Filter)>> ListAsync(CancellationToken cancellationToken = default)
    {
        var userId = RequireUser();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var views = await db.SavedViews.AsNoTracking().Where(v => v.UserId == userId).OrderBy(v => v.Name).ToListAsync(cancellationToken);
        return views.Select(v => (v.Id, v.Name, JsonSerializer.Deserialize<CustomerFilter>(v.FilterJson) ?? new CustomerFilter())).ToList();
    }

    /// <summary>Saves the filter under a name; the same name replaces that view.</summary>
    public async Task SaveAsync(string name, CustomerFilter filter, CancellationToken cancellationToken = default)
    {
        var userId = RequireUser();
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ValidationFailedException([new ValidationError("Name", "Validation.Required", "A name is required.")]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var clean = name.Trim();
        var view = await db.SavedViews.SingleOrDefaultAsync(v => v.UserId == userId && v.Name == clean, cancellationToken);
        if (view is null)
        {
            view = new SavedView { UserId = userId, Name = clean, FilterJson = "", CreatedAt = time.GetUtcNow().UtcDateTime };
            db.SavedViews.Add(view);
        }
        view.FilterJson = JsonSerializer.Serialize(filter);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var userId = RequireUser();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.SavedViews.Where(v => v.Id == id && v.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    private Guid RequireUser() => currentUser.UserId
        ?? throw new AccessDeniedException("Error.SignInRequired", "Sign in to keep views.");
}
