using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tags;

/// <summary>Tag groups and tags (SPEC E2): everyone reads them; Admin and Supervisors maintain them.</summary>
public sealed class TagService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions)
{
    public async Task<IReadOnlyList<TagGroup>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var groups = await db.TagGroups.AsNoTracking().Include(g => g.Tags).OrderBy(g => g.Order).ThenBy(g => g.Name).ToListAsync(cancellationToken);
        foreach (var group in groups)
        {
            group.Tags = group.Tags.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        }
        return groups;
    }

    public async Task<TagGroup> CreateGroupAsync(string name, CancellationToken cancellationToken = default)
    {
        DemandMaintain();
        var clean = Required(name);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.TagGroups.AnyAsync(g => g.Name == clean, cancellationToken))
        {
            throw Taken(clean);
        }
        var group = new TagGroup { Name = clean, Order = await db.TagGroups.CountAsync(cancellationToken) };
        db.TagGroups.Add(group);
        await db.SaveChangesAsync(cancellationToken);
        return group;
    }

    public async Task<Tag> CreateTagAsync(Guid groupId, string name, string color, CancellationToken cancellationToken = default)
    {
        DemandMaintain();
        var clean = Required(name);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.TagGroups.AnyAsync(g => g.Id == groupId, cancellationToken))
        {
            throw new NotFoundException(nameof(TagGroup), groupId);
        }
        if (await db.Tags.AnyAsync(t => t.GroupId == groupId && t.Name == clean, cancellationToken))
        {
            throw Taken(clean);
        }
        var tag = new Tag { GroupId = groupId, Name = clean, Color = color };
        db.Tags.Add(tag);
        await db.SaveChangesAsync(cancellationToken);
        return tag;
    }

    /// <summary>Deletes a tag and takes it off every customer.</summary>
    public async Task DeleteTagAsync(Guid tagId, CancellationToken cancellationToken = default)
    {
        DemandMaintain();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tag = await db.Tags.SingleOrDefaultAsync(t => t.Id == tagId, cancellationToken) ?? throw new NotFoundException(nameof(Tag), tagId);
        db.CustomerTags.RemoveRange(await db.CustomerTags.Where(t => t.TagId == tagId).ToListAsync(cancellationToken));
        db.Tags.Remove(tag);
        await db.SaveChangesAsync(cancellationToken);
    }

    private void DemandMaintain()
    {
        if (!currentUser.IsIn(Role.Supervisor))
        {
            permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        }
    }

    private static string Required(string name) => string.IsNullOrWhiteSpace(name)
        ? throw new ValidationFailedException([new ValidationError("Name", "Validation.Required", "A name is required.")])
        : name.Trim();

    private static ValidationFailedException Taken(string name) =>
        new([new ValidationError("Name", "Validation.NameTaken", $"{name} exists already.", name)]);
}
