using System.Globalization;
using CrmBlazor.Domain.Common;

namespace CrmBlazor.Server.Components.Shared;

/// <summary>
/// SPEC J1: how a circuit (or one prerendering request) shows instants — in the user's own time zone if they
/// chose one, else the company's (<c>Company:TimeZone</c>), never the server's. Only display: day rules
/// (reports, reminders, "today", due days picked in a form) stay on <see cref="CompanyClock"/>.
/// Scoped; the zone is set once per circuit by <see cref="DisplayTimeCircuitHandler"/> (and per request for
/// prerendering), and again when the user changes it.
/// </summary>
public sealed class DisplayTime(CompanyClock clock)
{
    private TimeZoneInfo? _userZone;

    /// <summary>The zone times are shown in.</summary>
    public TimeZoneInfo Zone => _userZone ?? clock.Zone;

    /// <summary>True when the user chose a zone other than the company's.</summary>
    public bool IsUserZone => _userZone is not null;

    /// <summary>Shows times in <paramref name="zoneId"/> from now on; null, blank or unknown means the company's zone.</summary>
    public void Use(string? zoneId) =>
        _userZone = CompanyOptions.IsKnownZone(zoneId) && TimeZoneInfo.FindSystemTimeZoneById(zoneId!) is var zone && !IsSameZone(zone, clock.Zone)
            ? zone
            : null;

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(System.DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>Now on the wall clock the user sees, for a time picker's default.</summary>
    public DateTime Now => ToLocal(clock.UtcNow);

    /// <summary>A wall-clock time the user picked (in <see cref="Zone"/>) as UTC.</summary>
    public DateTime ToUtc(DateTime local) => local.Kind == DateTimeKind.Utc
        ? local
        : TimeZoneInfo.ConvertTimeToUtc(System.DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone);

    /// <summary>Date and short time in the culture's pattern ("g"): 2026/12/1 23:30.</summary>
    public string DateTime(DateTime utc, CultureInfo? culture = null) => ToLocal(utc).ToString("g", culture ?? CultureInfo.CurrentCulture);

    public string? DateTime(DateTime? utc, CultureInfo? culture = null) => utc is { } value ? DateTime(value, culture) : null;

    /// <summary>The date alone in the culture's pattern ("d"): 2026/12/1.</summary>
    public string Date(DateTime utc, CultureInfo? culture = null) => ToLocal(utc).ToString("d", culture ?? CultureInfo.CurrentCulture);

    public string? Date(DateTime? utc, CultureInfo? culture = null) => utc is { } value ? Date(value, culture) : null;

    /// <summary>Date and time with seconds, for the audit log: 2026-12-01 23:30:05.</summary>
    public string Precise(DateTime utc) => ToLocal(utc).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The zone's name and its offset now, to label a page that shows exact times: "Asia/Shanghai (UTC+08:00)".</summary>
    public string ZoneLabel => $"{Zone.Id} (UTC{(Zone.GetUtcOffset(clock.UtcNow) < TimeSpan.Zero ? "-" : "+")}{Zone.GetUtcOffset(clock.UtcNow):hh\\:mm})";

    private static bool IsSameZone(TimeZoneInfo a, TimeZoneInfo b) =>
        a.Id == b.Id || (TimeZoneInfo.TryConvertIanaIdToWindowsId(a.Id, out var wa) && TimeZoneInfo.TryConvertIanaIdToWindowsId(b.Id, out var wb) && wa == wb);
}
