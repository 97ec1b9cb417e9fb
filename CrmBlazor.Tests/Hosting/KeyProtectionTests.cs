using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmBlazor.Tests.Hosting;

/// <summary>Issue #12 §3: data-protection keys in the database are encrypted at rest when a certificate is configured.</summary>
public sealed class KeyProtectionTests : IAsyncLifetime
{
    private const string Password = "pfx-test-password";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"crm-keys-{Guid.NewGuid():N}");
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        Directory.CreateDirectory(_folder);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task With_a_certificate_file_the_stored_key_holds_an_encrypted_secret_and_no_plain_master_key()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = WritePfx(),
            ["DataProtection:CertificatePassword"] = Password,
        });
        var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("KeyProtectionTests");

        var secret = protector.Protect("客户名单");

        await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        var xml = Assert.Single(await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
        Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        Assert.Equal("客户名单", protector.Unprotect(secret)); // and the app reads its own keys back
    }

    [Fact]
    public void A_configured_certificate_that_cannot_be_read_stops_start_up_with_a_clear_message()
    {
        using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = WritePfx(),
            ["DataProtection:CertificatePassword"] = "not-the-password",
        });

        var failure = Assert.ThrowsAny<Exception>(() => app.Server);

        Assert.Contains("The data-protection certificate at ", failure.ToString(), StringComparison.Ordinal);
        Assert.Contains("cannot be read", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Production_without_a_certificate_warns_at_start_that_the_keys_are_stored_unencrypted()
    {
        var logs = new CapturedLogs();
        using var production = new CrmAppFactory(_database.Settings, environment: "Production", settings: SecurityHeadersTests.AzureAd);
        using var app = production.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<ILoggerProvider>(logs)));

        _ = app.Server;

        var warning = Assert.Single(logs.Entries, e => e.Category == "CrmBlazor.DataProtection");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("stored unencrypted", warning.Message, StringComparison.Ordinal);
        Assert.Contains("DataProtection:CertificatePath", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Development_without_a_certificate_does_not_warn()
    {
        var logs = new CapturedLogs();
        using var development = new CrmAppFactory(_database.Settings);
        using var app = development.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<ILoggerProvider>(logs)));

        _ = app.Server;

        Assert.DoesNotContain(logs.Entries, e => e.Category == "CrmBlazor.DataProtection");
        Assert.Contains(logs.Entries, e => e.Category == "CrmBlazor.Database"); // the capture does see start-up
    }

    private string WritePfx()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=CrmBlazor data-protection test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: false));
        // Fixed dates: the test never reads the clock; the span covers any date the suite runs on.
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var path = Path.Combine(_folder, "keys.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }

    private sealed record LogEntry(string Category, LogLevel Level, string Message);

    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<LogEntry> _entries = new();

        public IReadOnlyCollection<LogEntry> Entries => _entries;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception)));
        }
    }
}
