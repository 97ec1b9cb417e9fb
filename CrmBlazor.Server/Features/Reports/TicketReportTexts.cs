using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Reports;
using CrmBlazor.Server.Features.Dictionaries;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Features.Reports;

/// <summary>The service-desk reports' texts in the reader's language: row keys, dimension names, headers; the page and the workbook share them.</summary>
public static class TicketReportTexts
{
    public static string Key(IStringLocalizer l, DictionaryLabels labels, TicketReportBy by, string key) => key switch
    {
        ReportQueries.Total => l["Reports.Total"],
        "" => by switch
        {
            TicketReportBy.Agent => l["Reports.Unassigned"],
            TicketReportBy.Group => l["Reports.NoGroup"],
            _ => "—",
        },
        _ => by switch
        {
            TicketReportBy.Severity => l[$"Ticket.Severity.{key}"],
            TicketReportBy.Category => labels.Label(DictionaryKind.TicketCategory, key),
            _ => key,
        },
    };

    public static string By(IStringLocalizer l, TicketReportBy by) => l[$"Reports.By.{by}"];

    public static IReadOnlyList<string> SlaHeaders(IStringLocalizer l, TicketReportBy by) =>
    [
        By(l, by), l["Reports.Tickets"], l["Reports.ResponseMet"], l["Reports.ResponseBreached"], l["Reports.ResponseRunning"], l["Reports.ResponseRate"],
        l["Reports.ResolutionMet"], l["Reports.ResolutionBreached"], l["Reports.ResolutionRunning"], l["Reports.ResolutionRate"],
    ];

    public static IReadOnlyList<string> SatisfactionHeaders(IStringLocalizer l, TicketReportBy by) =>
        [By(l, by), l["Reports.Surveys"], l["Reports.AverageScore"], l["Reports.Satisfied"], l["Reports.Dissatisfied"], l["Reports.SatisfiedRate"]];

    /// <summary>Parses the form's or the query's <c>by</c>, falling back to the report's first dimension.</summary>
    public static TicketReportBy ParseBy(string? by, IReadOnlyList<TicketReportBy> allowed) =>
        Enum.TryParse<TicketReportBy>(by, ignoreCase: true, out var value) && allowed.Contains(value) ? value : allowed[0];
}
