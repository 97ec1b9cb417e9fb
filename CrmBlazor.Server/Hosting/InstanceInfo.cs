using System.Reflection;

namespace CrmBlazor.Server.Hosting;

/// <summary>
/// Who this instance is: machine, process, the build it runs (version and commit from
/// <see cref="AssemblyInformationalVersionAttribute"/>: the SDK appends <c>+commit</c> when the build knew it) and
/// when it started (from <see cref="TimeProvider"/>, taken when the host builds the app).
/// </summary>
public sealed class InstanceInfo(TimeProvider time)
{
    public const string UnknownCommit = "unknown";

    public string MachineName { get; } = Environment.MachineName;

    public int ProcessId { get; } = Environment.ProcessId;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public TimeSpan Uptime => time.GetUtcNow() - StartedAt;

    public static string InformationalVersion { get; } =
        typeof(InstanceInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static string Version => InformationalVersion.Split('+')[0];

    /// <summary>The commit the build was made from, or <see cref="UnknownCommit"/> when the build had no git to ask.</summary>
    public static string Commit => InformationalVersion.Split('+') is [_, var commit, ..] && commit.Length > 0 ? commit : UnknownCommit;
}
