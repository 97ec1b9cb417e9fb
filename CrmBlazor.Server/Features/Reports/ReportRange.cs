using MudBlazor;

namespace CrmBlazor.Server.Features.Reports;

/// <summary>A picked range of local days as the UTC half-open interval the reports take: from the first day's start to the day after the last.</summary>
public static class ReportRange
{
    public static (DateTime Since, DateTime Until) Utc(DateRange range) =>
        ((range.Start ?? DateTime.Today).Date.ToUniversalTime(), (range.End ?? DateTime.Today).Date.AddDays(1).ToUniversalTime());

    public static (DateTime Since, DateTime Until) Utc(DateOnly? from, DateOnly? to) =>
        Utc(new DateRange(from?.ToDateTime(TimeOnly.MinValue), to?.ToDateTime(TimeOnly.MinValue)));

    public static string Query(DateRange range) =>
        $"from={(range.Start ?? DateTime.Today):yyyy-MM-dd}&to={(range.End ?? DateTime.Today):yyyy-MM-dd}";
}
