namespace CrmBlazor.Domain.Common;

/// <summary>An entity with a client-generated, time-ordered key, so that audit rows can name it before it is saved.</summary>
public abstract class Entity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
}

/// <summary>A row whose changes the audit log records even though it is not an <see cref="AuditableEntity"/> (link and value rows, settings rows, evidence files).</summary>
#pragma warning disable CA1040 // A marker the audit interceptor looks for.
public interface IAudited;
#pragma warning restore CA1040

/// <summary>
/// An entity users edit: stamped on create and update, audited field by field, and protected by an
/// app-managed <see cref="Version"/> token that works the same on SQLite, SQL Server and PostgreSQL.
/// </summary>
public abstract class AuditableEntity : Entity
{
    public DateTime CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
    public Guid? UpdatedBy { get; set; }

    /// <summary>Incremented on every save; a stale value makes the save fail with a conflict.</summary>
    public int Version { get; set; }
}
