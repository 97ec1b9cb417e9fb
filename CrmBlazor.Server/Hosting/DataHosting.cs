using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Server.Hosting;

public static class DataHosting
{
    /// <summary>
    /// <c>Database:Provider</c> (Sqlite, SqlServer, Postgres) with its <c>ConnectionStrings</c> entry. A
    /// relative SQLite path is taken from the content root, and its folder is created.
    /// </summary>
    public static WebApplicationBuilder AddCrmData(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var settings = DatabaseSettingsFrom(config, builder.Environment.ContentRootPath);

        // Uploaded files — demand evidence (SPEC D3) and ticket attachments (G1) — outside wwwroot: App_Data/evidence unless
        // Evidence:Path says otherwise (the key predates ticket attachments; deployments keep it).
        builder.Services.AddSingleton(new CrmBlazor.Domain.Uploads.UploadStorage(
            Path.GetFullPath(config["Evidence:Path"] ?? Path.Combine("App_Data", "evidence"), builder.Environment.ContentRootPath),
            config.GetValue("Evidence:MaxBytes", 10L * 1024 * 1024)));
        // Customer imports (SPEC H2) keep the upload between preview and run: App_Data/imports unless Import:Path says otherwise.
        // The limits' defaults live on ImportSettings; configuration only overrides them.
        var imports = new CrmBlazor.Domain.Importing.ImportSettings(
            Path.GetFullPath(config["Import:Path"] ?? Path.Combine("App_Data", "imports"), builder.Environment.ContentRootPath));
        builder.Services.AddSingleton(imports with
        {
            MaxBytes = config.GetValue("Import:MaxBytes", imports.MaxBytes),
            MaxRows = config.GetValue("Import:MaxRows", imports.MaxRows),
            BatchSize = config.GetValue("Import:BatchSize", imports.BatchSize),
            KeepDays = config.GetValue("Import:KeepDays", imports.KeepDays),
            MaxUnpackedBytes = config.GetValue("Import:MaxUnpackedBytes", imports.MaxUnpackedBytes),
            MaxZipEntries = config.GetValue("Import:MaxZipEntries", imports.MaxZipEntries),
            MaxCompressionRatio = config.GetValue("Import:MaxCompressionRatio", imports.MaxCompressionRatio),
            MaxColumns = config.GetValue("Import:MaxColumns", imports.MaxColumns),
        });
        builder.Services.AddSingleton<Features.Importing.ImportRunner>();
        // The company's calendar (day and month rules): Company:TimeZone, Asia/Shanghai unless set.
        builder.Services.AddOptions<CrmBlazor.Domain.Common.CompanyOptions>().BindConfiguration(CrmBlazor.Domain.Common.CompanyOptions.Section)
            .Validate(o => CrmBlazor.Domain.Common.CompanyOptions.IsKnownZone(o.TimeZone), "Company:TimeZone is not a time zone this machine knows (e.g. Asia/Shanghai).")
            .ValidateOnStart();
        // Tickets:ReopenDays, 7 unless set: after that, reopening opens a new ticket linked to the old one.
        builder.Services.AddOptions<CrmBlazor.Domain.Tickets.TicketOptions>().BindConfiguration(CrmBlazor.Domain.Tickets.TicketOptions.Section)
            .Validate(o => o.ReopenDays >= 0, "Tickets:ReopenDays cannot be negative.")
            .ValidateOnStart();
        // Pipeline:ApprovalAmount (yuan, 500,000 unless set): moving a larger opportunity past negotiation waits for an approval.
        builder.Services.AddOptions<CrmBlazor.Domain.Pipeline.PipelineOptions>().BindConfiguration(CrmBlazor.Domain.Pipeline.PipelineOptions.Section)
            .Validate(o => o.ApprovalAmount >= 0, "Pipeline:ApprovalAmount cannot be negative.")
            .ValidateOnStart();
        // When a customer export waits for an approval: Export:ApprovalRows per export, Export:RowsPer24Hours per user.
        builder.Services.AddOptions<CrmBlazor.Domain.Importing.ExportOptions>().BindConfiguration(CrmBlazor.Domain.Importing.ExportOptions.Section)
            .Validate(o => o.ApprovalRows > 0 && o.RollingQuota > 0, "Export:ApprovalRows and Export:RowsPer24Hours must be positive.")
            .ValidateOnStart();
        // Backups (SPEC I2): Backup:Path (App_Data/backups under the content root unless set), Backup:KeepDays, Backup:TimeOfDay.
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddOptions<CrmBlazor.Domain.Backups.BackupOptions>().BindConfiguration(CrmBlazor.Domain.Backups.BackupOptions.Section)
            .PostConfigure(o => o.Path = Path.GetFullPath(o.Path, contentRoot))
            .Validate(o => o.IsValid, "Backup:KeepDays must be at least 1 and Backup:Path must be set.")
            .ValidateOnStart();
        builder.Services.AddCrmDomain(settings);
        builder.Services.AddScoped<ClaimsCurrentUser>();
        builder.Services.AddScoped<ICurrentUser>(sp => sp.GetRequiredService<ClaimsCurrentUser>());

        builder.Services.AddOptions<PermissionRecheckOptions>().BindConfiguration(PermissionRecheckOptions.Section)
            .Validate(o => o.IsValid, "Permissions:RecheckSeconds must be between 1 and 60.")
            .ValidateOnStart();
        builder.Services.AddHostedService<Jobs.PermissionRecheckHost>();

        // The last run of each job on this instance, for the status page; registered whether jobs run here or not.
        builder.Services.AddSingleton<Jobs.JobRuns>();
        if (config.GetValue("Jobs:Enabled", true))
        {
            builder.Services.AddHostedService<Jobs.MinuteJobsHost>();
        }

        // Keys in the shared database: every instance reads every other's cookies (SPEC J3).
        // Encrypted at rest when DataProtection:Certificate* is set (KeyProtection).
        var keyProtection = config.GetSection(KeyProtectionSettings.Section).Get<KeyProtectionSettings>() ?? new KeyProtectionSettings();
        builder.Services.AddSingleton(keyProtection);
        builder.Services.AddDataProtection().SetApplicationName("CrmBlazor").ProtectKeysWithConfiguredCertificate(keyProtection);
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DatabaseXmlRepository(settings, sp.GetRequiredService<TimeProvider>())));
        return builder;
    }

    /// <summary>
    /// Warns when the key ring is stored unencrypted outside Development, migrates, seeds demo data when configured
    /// (Development default), and loads the permission matrix.
    /// </summary>
    public static async Task InitializeCrmDatabaseAsync(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<DatabaseSettings>();
        var seed = app.Configuration.GetValue("Database:SeedDemoData", app.Environment.IsDevelopment());
        var demoCustomers = app.Configuration.GetValue("Database:DemoCustomers", DemoData.DefaultCustomers);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CrmBlazor.Database");
        KeyProtection.WarnIfUnprotected(app.Services.GetRequiredService<KeyProtectionSettings>(), app.Environment,
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CrmBlazor.DataProtection"));
        await DatabaseInitializer.InitializeAsync(settings, app.Services.GetRequiredService<TimeProvider>(), seed, demoCustomers, logger);
        await app.Services.GetRequiredService<Permissions>().ReloadAsync();
    }

    /// <summary>The database the configuration names, as the app and the restore command both read it.</summary>
    public static DatabaseSettings DatabaseSettingsFrom(IConfiguration config, string contentRoot)
    {
        var provider = Enum.Parse<DatabaseProvider>(config["Database:Provider"] ?? nameof(DatabaseProvider.Sqlite), ignoreCase: true);
        var connectionString = config.GetConnectionString(provider.ToString())
            ?? throw new InvalidOperationException($"Database:Provider is {provider} but ConnectionStrings:{provider} is not set.");
        if (provider == DatabaseProvider.Sqlite)
        {
            connectionString = SqlitePathUnder(contentRoot, connectionString);
        }
        return new DatabaseSettings(provider, connectionString, config.GetValue("Database:MigrateOnStart", true));
    }

    private static string SqlitePathUnder(string contentRoot, string connectionString)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        if (!Path.IsPathRooted(builder.DataSource) && builder.DataSource != ":memory:")
        {
            builder.DataSource = Path.Combine(contentRoot, builder.DataSource);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(builder.DataSource))!);
        return builder.ToString();
    }
}
