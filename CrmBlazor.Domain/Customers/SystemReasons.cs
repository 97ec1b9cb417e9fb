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
