using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Domain.Tags;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Data;

/// <summary>
/// The one EF Core model for all three providers. Each provider has its own migrations project;
/// after a model change, add a migration to each (from the repository root):
/// <code>
/// dotnet ef migrations add NAME -p Migrations/CrmBlazor.Migrations.Sqlite -s Migrations/CrmBlazor.Migrations.Sqlite
/// dotnet ef migrations add NAME -p Migrations/CrmBlazor.Migrations.Postgres -s Migrations/CrmBlazor.Migrations.Postgres
/// dotnet ef migrations add NAME -p Migrations/CrmBlazor.Migrations.SqlServer -s Migrations/CrmBlazor.Migrations.SqlServer
/// </code>
/// (or <c>./migrations-add.sh NAME</c>, which runs the three). The drift tests fail until all three exist.
/// </summary>
public sealed class CrmDbContext(DbContextOptions<CrmDbContext> options) : DbContext(options)
{
    /// <summary>
    /// Whom the saves are made for (stamps and audit entries): set by the scope's <see cref="ActingContextFactory"/> on
    /// every rent from the pool, or the system for <see cref="DomainServices.CreateSystemContext"/>.
    /// </summary>
    public ICurrentUser? Actor { get; internal set; }

    public DbSet<AppUser> Users => Set<AppUser>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMembership> TeamMemberships => Set<TeamMembership>();
    public DbSet<Api.ApiKey> ApiKeys => Set<Api.ApiKey>();
    public DbSet<PermissionOverride> PermissionOverrides => Set<PermissionOverride>();
    public DbSet<PermissionMatrixStamp> PermissionMatrixStamps => Set<PermissionMatrixStamp>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<CustomerStatusChange> CustomerStatusChanges => Set<CustomerStatusChange>();
    public DbSet<DictionaryItem> DictionaryItems => Set<DictionaryItem>();
    public DbSet<TagGroup> TagGroups => Set<TagGroup>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<CustomerTag> CustomerTags => Set<CustomerTag>();
    public DbSet<CustomFieldDefinition> CustomFields => Set<CustomFieldDefinition>();
    public DbSet<CustomFieldValue> CustomFieldValues => Set<CustomFieldValue>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();
    public DbSet<CustomerSearchToken> CustomerSearchTokens => Set<CustomerSearchToken>();
    public DbSet<Interaction> Interactions => Set<Interaction>();
    public DbSet<TodoItem> Todos => Set<TodoItem>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<Feedback.FeedbackItem> FeedbackItems => Set<Feedback.FeedbackItem>();
    public DbSet<ReminderRules> ReminderRules => Set<ReminderRules>();
    public DbSet<Demands.Demand> Demands => Set<Demands.Demand>();
    public DbSet<Demands.DemandTask> DemandTasks => Set<Demands.DemandTask>();
    public DbSet<Demands.DemandTaskDelay> DemandTaskDelays => Set<Demands.DemandTaskDelay>();
    public DbSet<Demands.DemandEvidence> DemandEvidence => Set<Demands.DemandEvidence>();
    public DbSet<WorkingTime.CalendarDay> CalendarDays => Set<WorkingTime.CalendarDay>();
    public DbSet<WorkingTime.WorkingHours> WorkingHours => Set<WorkingTime.WorkingHours>();
    public DbSet<Tickets.Ticket> Tickets => Set<Tickets.Ticket>();
    public DbSet<Tickets.TicketHistory> TicketHistory => Set<Tickets.TicketHistory>();
    public DbSet<Tickets.TicketComment> TicketComments => Set<Tickets.TicketComment>();
    public DbSet<Tickets.TicketAttachment> TicketAttachments => Set<Tickets.TicketAttachment>();
    public DbSet<Tickets.TicketFollowUp> TicketFollowUps => Set<Tickets.TicketFollowUp>();
    public DbSet<Tickets.SlaPolicy> SlaPolicies => Set<Tickets.SlaPolicy>();
    public DbSet<Tickets.SupportGroup> SupportGroups => Set<Tickets.SupportGroup>();
    public DbSet<Tickets.SupportGroupMember> SupportGroupMembers => Set<Tickets.SupportGroupMember>();
    public DbSet<Tickets.SupportGroupCategory> SupportGroupCategories => Set<Tickets.SupportGroupCategory>();
    public DbSet<Tiering.Order> Orders => Set<Tiering.Order>();
    public DbSet<Tiering.TierRule> TierRules => Set<Tiering.TierRule>();
    public DbSet<Tiering.TierSettings> TierSettings => Set<Tiering.TierSettings>();
    public DbSet<Tiering.TierChange> TierChanges => Set<Tiering.TierChange>();
    public DbSet<Tiering.TierEvaluationRun> TierEvaluationRuns => Set<Tiering.TierEvaluationRun>();
    public DbSet<Pipeline.Opportunity> Opportunities => Set<Pipeline.Opportunity>();
    public DbSet<Pipeline.OpportunityStageChange> OpportunityStageChanges => Set<Pipeline.OpportunityStageChange>();
    public DbSet<Pipeline.StageProbability> StageProbabilities => Set<Pipeline.StageProbability>();
    public DbSet<Pipeline.Lead> Leads => Set<Pipeline.Lead>();
    public DbSet<Pipeline.Product> Products => Set<Pipeline.Product>();
    public DbSet<Pipeline.Quote> Quotes => Set<Pipeline.Quote>();
    public DbSet<Pipeline.QuoteLine> QuoteLines => Set<Pipeline.QuoteLine>();
    public DbSet<Tiering.OrderLine> OrderLines => Set<Tiering.OrderLine>();
    public DbSet<Approvals.ApprovalRequest> ApprovalRequests => Set<Approvals.ApprovalRequest>();
    public DbSet<DataQuality.VerificationSample> VerificationSamples => Set<DataQuality.VerificationSample>();
    public DbSet<Importing.ImportJob> ImportJobs => Set<Importing.ImportJob>();
    public DbSet<Importing.ImportColumnMapping> ImportColumnMappings => Set<Importing.ImportColumnMapping>();
    public DbSet<Importing.ExportRecord> ExportRecords => Set<Importing.ExportRecord>();
    public DbSet<CustomerAlias> CustomerAliases => Set<CustomerAlias>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<NumberSequence> NumberSequences => Set<NumberSequence>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Backups.BackupRun> BackupRuns => Set<Backups.BackupRun>();
    public DbSet<Live.LiveEventRecord> LiveEventOutbox => Set<Live.LiveEventRecord>();
    public DbSet<Webhooks.WebhookEndpoint> WebhookEndpoints => Set<Webhooks.WebhookEndpoint>();
    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();

    public DbSet<DataQuality.QualityMonth> QualityMonths => Set<DataQuality.QualityMonth>();
    public DbSet<DataQuality.CleaningItem> CleaningItems => Set<DataQuality.CleaningItem>();
    public DbSet<DataQuality.DuplicateCandidate> DuplicateCandidates => Set<DataQuality.DuplicateCandidate>();
    public DbSet<DataQuality.DuplicateRecheck> DuplicateRechecks => Set<DataQuality.DuplicateRecheck>();

    /// <summary>
    /// Saves, and in the same transaction queues the customers whose duplicate pairs may have changed
    /// (<see cref="DataQuality.DuplicateScan"/>) and recomputes the stored data-quality problems of the customers the save
    /// touched (<see cref="DataQuality.CustomerQuality"/>).
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (ChangeTracker.AutoDetectChangesEnabled)
        {
            ChangeTracker.DetectChanges();
        }
        DuplicateRechecks.AddRange(DataQuality.DuplicateScan.TouchedBy(ChangeTracker).Select(id => new DataQuality.DuplicateRecheck { CustomerId = id }));
        var touched = DataQuality.CustomerQuality.TouchedBy(ChangeTracker);
        if (touched.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        // The caller's transaction when there is one, else our own around the save and the refresh.
        await using var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        var count = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await DataQuality.CustomerQuality.RefreshAsync(this, touched, cancellationToken);
        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }
        return count;
    }

    /// <summary>
    /// The synchronous save (a few hosting stores use it): as it was when it touches no customer, otherwise the same as
    /// <see cref="SaveChangesAsync(bool, CancellationToken)"/>.
    /// </summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (ChangeTracker.AutoDetectChangesEnabled)
        {
            ChangeTracker.DetectChanges();
        }
        return DataQuality.CustomerQuality.TouchedBy(ChangeTracker).Count == 0 && DataQuality.DuplicateScan.TouchedBy(ChangeTracker).Count == 0
            ? base.SaveChanges(acceptAllChangesOnSuccess)
            : SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CrmDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in SQL, stable when members are reordered.
        configurationBuilder.Properties<Role>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<Module>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<Operation>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<AuditAction>().HaveConversion<string>().HaveMaxLength(32);
    }
}
