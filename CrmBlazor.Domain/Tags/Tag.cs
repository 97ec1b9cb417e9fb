using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Tags;

/// <summary>A group of tags ("兴趣", "决策特征"), so the tag picker stays readable (SPEC E2).</summary>
public sealed class TagGroup : AuditableEntity
{
    public required string Name { get; set; }
    public int Order { get; set; }
    public List<Tag> Tags { get; set; } = [];
}

/// <summary>A label on customers such as "对云服务感兴趣" or "决策周期长".</summary>
public sealed class Tag : AuditableEntity
{
    public Guid GroupId { get; set; }
    public required string Name { get; set; }

    /// <summary>A MudBlazor colour name for the chip (Primary, Success, Warning…).</summary>
    public string Color { get; set; } = "Default";
}

public sealed class CustomerTag : IAudited
{
    public Guid CustomerId { get; set; }
    public Guid TagId { get; set; }
    public Tag? Tag { get; set; }
}
