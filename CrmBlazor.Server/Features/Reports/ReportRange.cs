using CrmBlazor.Domain.Common;
using MudBlazor;

namespace CrmBlazor.Server.Features.Reports;

/// <summary>
/// A picked range of company days as the UTC half-open interval the reports take: from the first day's
/// start to the start of the day after the last, both in the company's time zone. No date picked means today.
/// </summary>
public static class ReportRange
{
    /// <summary>This month so far: the page's default range.</summary>
    public static DateRange ThisMonth(CompanyClock clock)
    {
        var today = clock.Today.ToDateTime(TimeOnly.MinValue);
        return new DateRange(today.AddDays(1 - today.Day), today);
    }

    public static (DateOnly First, DateOnly Last) Days(DateOnly? from, DateOnly? to, CompanyClock clock) => (from ?? clock.Today, to ?? clock.Today);

    public static (DateTime Since, DateTime Until) Utc(DateRange range, CompanyClock clock) =>
        Utc(range.Start is { } start ? DateOnly.FromDateTime(start) : null, range.End is { } end ? DateOnly.FromDateTime(end) : null, clock);

    public static (DateTime Since, DateTime Until) Utc(DateOnly? from, DateOnly? to, CompanyClock clock)
    {
        var (first, last) = Days(from, to, clock);
        return clock.DaysUtc(first, last);
    }

    /// <summary>The export form's <c>from</c> and <c>to</c> fields (yyyy-MM-dd); an open end is left out (today).</summary>
    public static Dictionary<string, string> Fields(DateRange range)
    {
        var fields = new Dictionary<string, string>();
        if (range.Start is { } start)
        {
            fields["from"] = start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }
        if (range.End is { } end)
        {
            fields["to"] = end.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }
        return fields;
    }
}
