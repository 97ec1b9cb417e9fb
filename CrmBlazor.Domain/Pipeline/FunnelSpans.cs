using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>One finished stay in a stage: from a stage change to the opportunity's next one, in days.</summary>
internal sealed class FunnelSpan
{
    public Guid OpportunityId { get; init; }
    public string Stage { get; init; } = "";
    public double Days { get; init; }
}

/// <summary>
/// The time-in-stage spans of <see cref="OpportunityQueries.Spans"/>, computed by the database so that averages over a
/// year of changes need not load them: <c>LEAD</c> pairs each change with the next, and the difference of two instants is
/// written once per provider (EF translates no instant subtraction on SQLite). The current stage of an open opportunity
/// has no next change and is left out. Composable: callers join and group it like a table.
/// </summary>
internal static class FunnelSpans
{
    public static IQueryable<FunnelSpan> Query(CrmDbContext db)
    {
        var table = db.Model.FindEntityType(typeof(OpportunityStageChange))!.GetTableName();
        var days = db.Database.ProviderName switch
        {
            "Microsoft.EntityFrameworkCore.Sqlite" => """CAST(julianday(s."NextAt") - julianday(s."At") AS REAL)""",
            "Npgsql.EntityFrameworkCore.PostgreSQL" => """CAST(EXTRACT(EPOCH FROM (s."NextAt" - s."At")) / 86400.0 AS double precision)""",
            "Microsoft.EntityFrameworkCore.SqlServer" => """CAST(DATEDIFF_BIG(millisecond, s."At", s."NextAt") / 86400000.0 AS float)""",
            var other => throw new InvalidOperationException($"No span arithmetic for provider {other}."),
        };
        // Only the table name (from the model) and the fixed expression above go into the text: nothing a user typed.
        var sql = $"""
            SELECT s."OpportunityId", s."ToStage" AS "Stage", {days} AS "Days"
            FROM (SELECT "OpportunityId", "ToStage", "At", LEAD("At") OVER (PARTITION BY "OpportunityId" ORDER BY "At", "Id") AS "NextAt"
                  FROM "{table}") AS s
            WHERE s."NextAt" IS NOT NULL
            """;
        return db.Database.SqlQueryRaw<FunnelSpan>(sql);
    }
}
