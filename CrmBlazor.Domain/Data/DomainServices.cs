using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Domain.Tags;
using CrmBlazor.Domain.WorkingTime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CrmBlazor.Domain.Data;

public static class DomainServices
{
    /// <summary>
    /// The data layer and the Domain services. The host registers <see cref="ICurrentUser"/> (scoped)
    /// and <see cref="Live.ILiveEvents"/> (singleton).
    /// </summary>
    public static IServiceCollection AddCrmDomain(this IServiceCollection services, DatabaseSettings database)
    {
        services.AddSingleton(database);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<Common.CompanyOptions>();
        services.AddSingleton<Common.CompanyClock>();

        // One pool of contexts for the process (a context's internal services are made once, not per operation); each
        // circuit or request rents through a scoped factory that tells the context whom it acts for, which the audit reads.
        // A context itself lives for one operation only (ENGINEERING.md, "Blazor Server with EF Core").
        services.AddSingleton(sp => new ActingContextFactory.Pool(new PooledDbContextFactory<CrmDbContext>(PoolOptions(database, sp))));
        services.AddScoped<IDbContextFactory<CrmDbContext>, ActingContextFactory>();

        services.AddSingleton<Permissions>();
        services.AddOptions<Uploads.UploadLimitOptions>();
        services.AddSingleton<Uploads.UploadLimiter>();
        services.AddScoped<AuditLog>();
        services.AddScoped<PermissionAdmin>();
        services.AddScoped<UserDirectory>();
        services.AddScoped<UserAccess>();
        services.AddSingleton<SessionStamps>();
        services.AddScoped<UserPreferences>();
        services.TryAddSingleton(TeamGroupMap.None);
        services.AddScoped<TeamAdmin>();
        services.AddScoped<UserAdmin>();
        services.AddScoped<Api.ApiKeyService>();
        services.AddSingleton<Api.ApiKeyAuthenticator>();
        services.AddSingleton<Api.EntraApplications>();
        services.AddScoped<Webhooks.WebhookService>();
        services.AddOptions<Webhooks.WebhookOptions>();
        services.AddSingleton<Webhooks.WebhookSender>();
        services.AddScoped<CustomerService>();
        services.AddScoped<CustomerQueries>();
        services.AddScoped<CustomerBulkDelete>();
        services.AddScoped<SavedViewService>();
        services.AddSingleton<ITimelineSource, LifecycleTimelineSource>();
        services.AddSingleton<ITimelineSource, InteractionTimelineSource>();
        services.AddScoped<InteractionService>();
        services.AddScoped<InteractionQueries>();
        services.AddScoped<TodoService>();
        services.AddScoped<NotificationService>();
        services.AddScoped<Feedback.FeedbackService>();
        services.AddScoped<ReminderJob>();
        services.AddScoped<ReminderRulesService>();
        services.AddSingleton<ITimelineSource, DemandTimelineSource>();
        services.AddScoped<DemandService>();
        services.AddScoped<DemandQueries>();
        services.AddSingleton<Live.SharedReads>();
        services.AddScoped<WorkingCalendarService>();
        services.AddScoped<SlaBreachJob>();
        services.TryAddSingleton(new Uploads.UploadStorage(Path.Combine(AppContext.BaseDirectory, "App_Data", "evidence")));
        services.AddSingleton<Uploads.UploadedFiles>();
        services.AddOptions<Tickets.TicketOptions>();
        services.AddScoped<Tickets.TicketService>();
        services.AddScoped<Tickets.TicketQueries>();
        services.AddScoped<Tickets.TicketAttachmentService>();
        services.AddScoped<Tickets.SupportGroupService>();
        services.AddScoped<Tickets.SlaPolicyService>();
        services.AddScoped<Tickets.TicketFollowUpService>();
        services.AddScoped<Reports.TicketReports>();
        services.AddSingleton<ITimelineSource, Tickets.TicketTimelineSource>();
        services.AddScoped<Tickets.TicketSlaJob>();
        services.AddScoped<Tiering.OrderService>();
        services.AddScoped<Tiering.TierService>();
        services.AddScoped<Tiering.TierJob>();
        services.AddScoped<Tiering.TierDashboard>();
        services.AddSingleton<ITimelineSource, Tiering.OrderTimelineSource>();
        services.AddScoped<Reports.ReportQueries>();
        services.AddScoped<Importing.CustomerTemplate>();
        services.AddScoped<Pipeline.LeadTemplate>();
        services.AddOptions<Importing.ExportOptions>();
        services.AddScoped<Importing.ExportQuota>();
        services.AddScoped<Importing.CustomerExport>();
        services.AddScoped<Importing.CustomerExportPlanner>();
        services.AddScoped<Importing.CustomerImport>();
        services.AddScoped<Importing.ImportCleanup>();
        services.TryAddSingleton(new Importing.ImportSettings(Path.Combine(AppContext.BaseDirectory, "App_Data", "imports")));
        services.AddOptions<Backups.BackupOptions>();
        services.AddScoped<Backups.BackupService>();
        services.AddScoped<Backups.BackupJob>();
        services.AddScoped<Approvals.ApprovalService>();
        services.AddOptions<Pipeline.PipelineOptions>();
        services.AddScoped<Pipeline.OpportunityService>();
        services.AddScoped<Pipeline.OpportunityQueries>();
        services.AddSingleton<ITimelineSource, Pipeline.OpportunityTimelineSource>();
        services.AddSingleton<ITimelineSource, Pipeline.QuoteTimelineSource>();
        services.AddScoped<Pipeline.FunnelQueries>();
        services.AddScoped<Tiering.KeyCustomerConversion>();
        services.AddScoped<Approvals.IApprovalOutcome, Pipeline.OpportunityApprovalOutcome>();
        services.AddScoped<Pipeline.LeadService>();
        services.AddScoped<Pipeline.LeadQueries>();
        services.AddScoped<Approvals.IApprovalOutcome, Pipeline.LeadAssignmentOutcome>();
        services.AddScoped<Pipeline.ProductService>();
        services.AddScoped<Pipeline.QuoteService>();
        services.AddScoped<Pipeline.QuoteQueries>();
        services.AddScoped<DataQuality.DataQualityService>();
        services.AddScoped<DataQuality.DuplicateFinder>();
        services.AddScoped<DataQuality.CleaningChecklist>();
        services.AddScoped<DataQuality.DataQualityJob>();
        services.AddScoped<DataQuality.CustomerMerge>();
        services.AddScoped<DictionaryService>();
        services.AddScoped<CustomFieldService>();
        services.AddScoped<TagService>();
        return services;
    }

    /// <summary>The provider and the save interceptors, which hold no state of their own: the pool's contexts share them.</summary>
    public static void Configure(DbContextOptionsBuilder options, DatabaseSettings database, TimeProvider time)
    {
        database.Apply(options);
        options.AddInterceptors(new AuditInterceptor(time), new Pipeline.CustomerOwnerFollower(), new SecurityStampInterceptor(), new Live.LiveEventRecordInterceptor(),
            new Webhooks.WebhookFanOutInterceptor(time));
    }

    private static DbContextOptions<CrmDbContext> PoolOptions(DatabaseSettings database, IServiceProvider services)
    {
        var options = new DbContextOptionsBuilder<CrmDbContext>().UseApplicationServiceProvider(services);
        Configure(options, database, services.GetRequiredService<TimeProvider>());
        // What a host or a bench adds with services.ConfigureDbContext<CrmDbContext>(…) (a command log, a plan printer).
        foreach (var extra in services.GetServices<IDbContextOptionsConfiguration<CrmDbContext>>())
        {
            extra.Configure(services, options);
        }
        return options.Options;
    }

    /// <summary>A context outside any request, acting as the system (start-up, jobs, tests).</summary>
    public static CrmDbContext CreateSystemContext(DatabaseSettings database, TimeProvider time)
    {
        var options = new DbContextOptionsBuilder<CrmDbContext>();
        Configure(options, database, time);
        return new CrmDbContext(options.Options) { Actor = SystemUser.Instance };
    }
}
