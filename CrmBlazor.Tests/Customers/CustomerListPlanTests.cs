using System.Data.Common;
using System.Text.RegularExpressions;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Customers;

/// <summary>
/// The list reads only its own page's tags (issue 18, the list at 1,000,000 customers). Its statement once joined each
/// customer's tags with their names, and SQLite answered that by building the whole CustomerTags × Tags join first, for
/// every call: ~750 ms with a third of 1,000,000 customers tagged, while the benchmark's file had no tags. The
/// plan is structural, so this asks SQLite for the plan of each statement a list call sends, instead of timing it.
/// </summary>
public sealed partial class CustomerListPlanTests
{
    [Fact]
    public async Task A_list_call_reads_the_tags_of_its_own_customers_never_the_whole_table()
    {
        var plans = new PlanRecorder();
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 60,
            configure: services => services.ConfigureDbContext<CrmDbContext>(o => o.AddInterceptors(plans)));
        var queries = harness.Get<CustomerQueries>(await harness.DemoUserAsync("demo-admin"));
        await using var db = harness.NewSystemContext();
        var tagged = await db.Customers.AsNoTracking().Where(c => c.Tags.Count >= 2).Select(c => c.Number).FirstAsync();

        var page = await queries.ListAsync(new CustomerFilter(), 0, 50);
        var found = await queries.ListAsync(new CustomerFilter { Search = tagged }, 0, 50);

        Assert.Contains(page.Items, i => i.Tags.Count > 0); // the page has tags to read
        Assert.True(found.Items.Single(i => i.Number == tagged).Tags.Count >= 2);
        var reading = plans.Statements.Where(s => CustomerTagsTable().IsMatch(s.Sql)).ToList();
        Assert.True(reading.Count >= 2, $"expected the list's statements to read tags, saw {plans.Statements.Count} statements");
        foreach (var (sql, plan) in reading)
        {
            // CustomerTags is read by the page's customers (its key starts with CustomerId), never as a whole: not scanned,
            // not sought by tag (every customer wearing a tag), not built into a temporary table first. The Tags table
            // itself is the admins' short list: how it is read does not matter at scale.
            var aliases = CustomerTagsTable().Matches(sql).Select(m => m.Groups["alias"].Value).ToHashSet();
            Assert.DoesNotContain(plan, line => line.StartsWith("MATERIALIZE", StringComparison.Ordinal));
            var reads = plan.Where(line => line.Split(' ') is [_, var alias, ..] && aliases.Contains(alias)).ToList();
            Assert.NotEmpty(reads);
            Assert.All(reads, line => Assert.Matches(@"^SEARCH \w+ USING (COVERING )?INDEX \w+ \(CustomerId=\?", line));
        }
    }

    [GeneratedRegex(@"(?:FROM|JOIN) ""CustomerTags"" AS ""(?<alias>\w+)""")]
    private static partial Regex CustomerTagsTable();

    /// <summary>Each statement EF sends, with SQLite's plan for it (EXPLAIN QUERY PLAN on the same connection, same values).</summary>
    private sealed class PlanRecorder : DbCommandInterceptor
    {
        private readonly List<(string Sql, List<string> Plan)> _statements = [];

        public IReadOnlyList<(string Sql, List<string> Plan)> Statements
        {
            get
            {
                lock (_statements)
                {
                    return [.. _statements];
                }
            }
        }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            await using var explain = command.Connection!.CreateCommand();
            explain.Transaction = command.Transaction;
            explain.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
            foreach (DbParameter parameter in command.Parameters)
            {
                var copy = explain.CreateParameter();
                (copy.ParameterName, copy.Value) = (parameter.ParameterName, parameter.Value);
                explain.Parameters.Add(copy);
            }
            var plan = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    plan.Add(reader.GetString(3)); // id, parent, notused, detail
                }
            }
            lock (_statements)
            {
                _statements.Add((command.CommandText, plan));
            }
            return result;
        }
    }
}
