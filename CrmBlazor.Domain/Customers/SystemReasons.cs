namespace CrmBlazor.Domain.Customers;

/// <summary>
/// A reason the system writes (a rule, not a person) is stored as a resource key and its arguments, so every
/// reader sees it in their own language; reasons people type are stored as typed.
/// </summary>
public static class SystemReasons
{
    private const char Marker = '@';
    private const char Separator = '|';

    /// <summary>Rule "not contacted for {0} days" turned the customer silent (SPEC B3).</summary>
    public const string SilentAfterDays = "Reason.SilentAfterDays";

    /// <summary>An Excel import set it (a status, or a tier pinned by hand).</summary>
    public const string Imported = "Reason.Imported";

    /// <summary>A merge took it from customer {0} (its number).</summary>
    public const string MergedFrom = "Reason.MergedFrom";

    /// <summary>A tier set by hand went back to the rules.</summary>
    public const string OverrideCleared = "Reason.OverrideCleared";

    /// <summary>Tier {0}'s rule without conditions (the catch-all) gave it.</summary>
    public const string RuleOtherwise = "Reason.RuleOtherwise";

    /// <summary>Each key and how many arguments its text takes.</summary>
    private static readonly Dictionary<string, int> Arguments = new(StringComparer.Ordinal)
    {
        [SilentAfterDays] = 1, [Imported] = 0, [MergedFrom] = 1, [OverrideCleared] = 0, [RuleOtherwise] = 1,
    };

    public static string Of(string key, params string[] arguments) =>
        Arguments.TryGetValue(key, out var count) && count == arguments.Length
            ? Marker + string.Join(Separator, [key, .. arguments])
            : throw new ArgumentException($"{key} is not a system reason taking {arguments.Length} argument(s).", nameof(key));

    /// <summary>
    /// The key and arguments of a reason <see cref="Of"/> wrote: a known key with as many arguments as its text takes.
    /// Anything else — whatever a person typed, even starting with the marker — is a reason to show as stored.
    /// </summary>
    public static bool TryRead(string? reason, out string key, out string[] arguments)
    {
        if (reason is [Marker, .. var rest])
        {
            var parts = rest.Split(Separator);
            if (Arguments.TryGetValue(parts[0], out var count) && count == parts.Length - 1)
            {
                (key, arguments) = (parts[0], parts[1..]);
                return true;
            }
        }
        (key, arguments) = ("", []);
        return false;
    }
}
