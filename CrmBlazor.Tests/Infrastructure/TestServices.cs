namespace CrmBlazor.Tests.Infrastructure;

/// <summary>
/// The services the suite runs against, started by ./test.sh. A missing one fails the test with a
/// message saying how to get it, never a skip.
/// </summary>
public static class TestServices
{
    public static string PostgresAdminConnection => Required("CRM_TEST_POSTGRES", "a PostgreSQL connection string");
    public static string Redis => Required("CRM_TEST_REDIS", "a Redis host:port");
    public static string Chromium => Environment.GetEnvironmentVariable("CRM_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CrmBlazor.sln")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("CrmBlazor.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string BuildConfiguration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    private static string Required(string variable, string what) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: it must name {what}. Run the suite with ./test.sh, which starts the services.");

    public static int FreeTcpPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
