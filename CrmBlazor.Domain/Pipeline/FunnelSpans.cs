using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>One finished stay in a stage: from a stage change to the opportunity's next one, in days, with the opportunity's owner and stage now.</summary>
internal sealed class FunnelSpan
{
    public Guid OpportunityId { get; init; }
    public Guid OwnerId { get; init; }
    public string Stage { get; init; } = "";
    public string OpportunityStage { get; init; } = "";
    public double Days { get; init; }
}

/// <summary>
/// The time-in-stage spans of <see cref="OpportunityQueries.Spans"/> of the opportunities created in a range (the funnel's
/// cohort), computed by the database so that averages over a year of changes need not load them: <c>LEAD</c> pairs each
/// change with the next, and the difference of two instants is written once per provider (EF translates no instant
/// subtraction on SQLite). The current stage of an open opportunity has no next change and is left out. The range is
/// applied inside, before the window: a window over every change ever made would read the whole table for any range
/// (a filter on whole partitions gives the same spans). The partition is the opportunity, named as (CreatedAt, Id) —
/// the same partitions, as Id is unique — because that is the order the funnel's index reads the cohort in, so the
/// changes arrive already sorted for the window and a year's million rows need no sort. Record scope is the caller's,
/// composed on top.
/// </summary>
internal static class FunnelSpans
{
    public static IQueryable<FunnelSpan> Query(CrmDbContext db, DateTime since, DateTime until)
    {
        var changes = db.Model.FindEntityType(typeof(OpportunityStageChange))!.GetTableName();
        var opportunities = db.Model.FindEntityType(typeof(Opportunity))!.GetTableName();
        var days = DaysBetween(db, """s."At" """, """s."NextAt" """);
        // Only the table names (from the model) and the fixed expression above go into the text; the range is parameters.
        var sql = $$"""
            SELECT s."OpportunityId", s."OwnerId", s."ToStage" AS "Stage", s."OpportunityStage", {{days}} AS "Days"
            FROM (SELECT c."OpportunityId", o."OwnerId", o."Stage" AS "OpportunityStage", c."ToStage", c."At",
                         LEAD(c."At") OVER (PARTITION BY o."CreatedAt", o."Id" ORDER BY c."At", c."Id") AS "NextAt"
                  FROM "{{changes}}" AS c
                  INNER JOIN "{{opportunities}}" AS o ON o."Id" = c."OpportunityId"
                  WHERE o."CreatedAt" >= {0} AND o."CreatedAt" < {1}) AS s
            WHERE s."NextAt" IS NOT NULL
            """;
        return db.Database.SqlQueryRaw<FunnelSpan>(sql, since, until);
    }

    /// <summary>
    /// From the lead to the win: for each won opportunity created in [<paramref name="since"/>, <paramref name="until"/>)
    /// that a lead was converted into, the days from the lead's creation to the opportunity's close (as a span of stage
    /// "Lead"). Composable like <see cref="Query"/>.
    /// </summary>
    public static IQueryable<FunnelSpan> LeadToWon(CrmDbContext db, DateTime since, DateTime until)
    {
        var leads = db.Model.FindEntityType(typeof(Lead))!.GetTableName();
        var opportunities = db.Model.FindEntityType(typeof(Opportunity))!.GetTableName();
        var days = DaysBetween(db, """l."CreatedAt" """, """o."ClosedAt" """);
        // {0} and {1} are parameters; the interpolations are the model's table names and the fixed expression.
        var sql = $$"""
            SELECT o."Id" AS "OpportunityId", o."OwnerId", 'Lead' AS "Stage", o."Stage" AS "OpportunityStage", {{days}} AS "Days"
            FROM "{{opportunities}}" AS o
            JOIN "{{leads}}" AS l ON l."ConvertedOpportunityId" = o."Id"
            WHERE o."Stage" = 'Won' AND o."ClosedAt" IS NOT NULL AND o."CreatedAt" >= {0} AND o."CreatedAt" < {1}
            """;
        return db.Database.SqlQueryRaw<FunnelSpan>(sql, since, until);
    }

    /// <summary>Days from one instant column to another, written once per provider (EF translates no instant subtraction on SQLite).</summary>
    private static string DaysBetween(CrmDbContext db, string from, string to) => db.Database.ProviderName switch
    {
        "Microsoft.EntityFrameworkCore.Sqlite" => $"CAST(julianday({to}) - julianday({from}) AS REAL)",
        "Npgsql.EntityFrameworkCore.PostgreSQL" => $"CAST(EXTRACT(EPOCH FROM ({to} - {from})) / 86400.0 AS double precision)",
        "Microsoft.EntityFrameworkCore.SqlServer" => $"CAST(DATEDIFF_BIG(millisecond, {from}, {to}) / 86400000.0 AS float)",
        var other => throw new InvalidOperationException($"No span arithmetic for provider {other}."),
    };
}
