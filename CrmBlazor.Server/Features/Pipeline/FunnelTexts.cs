using System.Globalization;
using CrmBlazor.Domain.Pipeline;

namespace CrmBlazor.Server.Features.Pipeline;

/// <summary>Rates, days and the board's drill-down links as the funnel pages show them.</summary>
public static class FunnelTexts
{
    public static string Rate(decimal? rate) => rate?.ToString("P0", CultureInfo.CurrentCulture) ?? "—";

    public static string Days(double? days) => days?.ToString("0.0", CultureInfo.CurrentCulture) ?? "—";

    /// <summary>The pipeline board at a stage's column and/or on one owner's or one team's deals (its query-string filter).</summary>
    public static string BoardLink(OpportunityStage? stage, Guid? ownerId, Guid? teamId = null)
    {
        var query = new List<string>();
        if (stage is { } s)
        {
            query.Add($"stage={s}");
        }
        if (ownerId is { } owner)
        {
            query.Add($"owner={owner}");
        }
        if (teamId is { } team)
        {
            query.Add($"team={team}");
        }
        return query.Count == 0 ? "/pipeline" : "/pipeline?" + string.Join("&", query);
    }
}
