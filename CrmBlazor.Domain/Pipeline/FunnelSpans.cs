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
        var days = DaysBetween(db, """s."At" """, """s."NextAt" """);
        // Only the table name (from the model) and the fixed expression above go into the text: nothing a user typed.
        var sql = $"""
            SELECT s."OpportunityId", s."ToStage" AS "Stage", {days} AS "Days"
            FROM (SELECT "OpportunityId", "ToStage", "At", LEAD("At") OVER (PARTITION BY "OpportunityId" ORDER BY "At", "Id") AS "NextAt"
                  FROM "{table}") AS s
            WHERE s."NextAt" IS NOT NULL
            """;
        return db.Database.SqlQueryRaw<FunnelSpan>(sql);
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
            SELECT o."Id" AS "OpportunityId", 'Lead' AS "Stage", {{days}} AS "Days"
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
