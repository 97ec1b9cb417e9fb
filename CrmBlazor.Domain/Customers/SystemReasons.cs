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

    public static string Of(string key, params string[] arguments) => Marker + string.Join(Separator, [key, .. arguments]);

    public static bool TryRead(string? reason, out string key, out string[] arguments)
    {
        if (reason is [Marker, .. var rest] && rest.StartsWith("Reason.", StringComparison.Ordinal))
        {
            var parts = rest.Split(Separator);
            (key, arguments) = (parts[0], parts[1..]);
            return true;
        }
        (key, arguments) = ("", []);
        return false;
    }
}
