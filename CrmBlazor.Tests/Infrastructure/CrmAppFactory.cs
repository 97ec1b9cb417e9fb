using System.Net;
using System.Text.RegularExpressions;
using CrmBlazor.Domain.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Infrastructure;

/// <summary>
/// The real app in-process (WebApplicationFactory) over a database of the test's choosing, optionally
/// with Redis. Settings go in as host settings, the way environment variables would; <c>testServices</c> stands in for
/// what a test cannot reach (an identity provider's keys).
/// </summary>
public sealed partial class CrmAppFactory(DatabaseSettings database, string? redis = null, string environment = "Development",
    IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null, Action<IServiceCollection>? testServices = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("Database:Provider", database.Provider.ToString());
        builder.UseSetting($"ConnectionStrings:{database.Provider}", database.ConnectionString);
        builder.UseSetting("Database:SeedDemoData", "true");
        builder.UseSetting("Database:DemoCustomers", "20");
        // The minute jobs take the daily SQLite backup: into this factory's own folder, not the project's App_Data.
        builder.UseSetting("Backup:Path", _backups);
        if (redis is not null)
        {
            builder.UseSetting("Redis:Configuration", redis);
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        if (time is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(time));
        }
        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }
    }

    private readonly string _backups = Path.Combine(Path.GetTempPath(), $"crm-backups-{Guid.NewGuid():N}");

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_backups))
        {
            Directory.Delete(_backups, recursive: true);
        }
    }

    /// <summary>Makes the services of <paramref name="scope"/> act as a demo user, as sign-in would.</summary>
    public static CrmBlazor.Domain.Access.AppUser ActAs(AsyncServiceScope scope, CrmDbContext db, string demoUser)
    {
        var user = db.Users.Include(u => u.Memberships).Single(u => u.ExternalId == demoUser);
        scope.ServiceProvider.GetRequiredService<CrmBlazor.Server.Hosting.ClaimsCurrentUser>().Set(new System.Security.Claims.ClaimsPrincipal(
            CrmBlazor.Server.Hosting.CrmClaims.Identity(new CrmBlazor.Domain.Access.SignedInUser(user.Id, user.DisplayName, user.Email, user.Memberships.Where(m => m.IsSupervisor).Select(m => m.TeamId).ToList(), user.RoleSet), "test")));
        return user;
    }

    /// <summary>An HTTP client signed in through the development sign-in page as a demo user.</summary>
    public async Task<HttpClient> SignedInClientAsync(string demoUser)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await client.GetStringAsync("/account/signin");
        var form = UserForm().Matches(page).Single(m => m.Groups["user"].Value == demoUser);
        var response = await client.PostAsync("/account/local-signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = form.Groups["token"].Value,
            ["userId"] = form.Groups["id"].Value,
            ["returnUrl"] = "/",
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {demoUser} answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return client;
    }

    /// <summary>The Cookie header of a signed-in demo user, for clients that carry it themselves (SignalR, browsers).</summary>
    public async Task<string> SignInCookieAsync(string demoUser)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var pageResponse = await client.GetAsync("/account/signin");
        var antiforgeryCookie = string.Join("; ", pageResponse.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var form = UserForm().Matches(await pageResponse.Content.ReadAsStringAsync()).Single(m => m.Groups["user"].Value == demoUser);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/local-signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = form.Groups["token"].Value,
                ["userId"] = form.Groups["id"].Value,
            }),
        };
        request.Headers.Add("Cookie", antiforgeryCookie);
        var response = await client.SendAsync(request);
        return string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
    }

    [GeneratedRegex("""<form method="post" action="/account/local-signin">.*?name="__RequestVerificationToken"[^>]*?value="(?<token>[^"]+)".*?name="userId" value="(?<id>[^"]+)".*?data-user="(?<user>[^"]+)".*?</form>""", RegexOptions.Singleline)]
    internal static partial Regex UserForm();
}
