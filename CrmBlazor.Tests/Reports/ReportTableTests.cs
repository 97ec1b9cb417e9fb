using System.Globalization;
using Bunit;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Server.Features.Reports;
using CrmBlazor.Tests.Infrastructure;
using CrmBlazor.Tests.Layout;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CrmBlazor.Tests.Reports;

/// <summary>A report's table: the rows with the total last and set apart, or, for a range with nothing in it, a sentence saying so.</summary>
public sealed class ReportTableTests : MudTestContext
{
    private static readonly string[] Headers = ["Agent", "Surveys", "Average score"];

    public ReportTableTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");
        Services.AddSingleton(new Permissions(new DatabaseSettings(DatabaseProvider.Sqlite, "Data Source=unused.db"), TimeProvider.System));
        Services.AddSingleton<ICurrentUser>(new TestUser(Guid.NewGuid(), "李明", [], new HashSet<Role> { Role.Supervisor }));
    }

    [Fact]
    public void The_rows_come_with_the_total_last_and_marked()
    {
        var table = Render<ReportTable>(p => p
            .Add(t => t.Name, "satisfaction").Add(t => t.Range, new DateRange()).Add(t => t.Headers, Headers).Add(t => t.EmptyText, "Nothing recorded.")
            .Add(t => t.Rows, [["陈静", "1", "2.00"], ["黄丽", "1", "4.00"], ["Total", "2", "3.00"]]));

        var rows = table.FindAll("tbody tr");
        Assert.Equal(3, rows.Count);
        Assert.Equal("Total", Assert.Single(table.FindAll("tr.crm-report-total")).QuerySelector("td")!.TextContent);
        Assert.DoesNotContain("Nothing recorded.", table.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void With_only_the_total_a_report_that_has_an_empty_text_shows_it_across_the_table_instead_of_zeros()
    {
        var table = Render<ReportTable>(p => p
            .Add(t => t.Name, "satisfaction").Add(t => t.Range, new DateRange()).Add(t => t.Headers, Headers).Add(t => t.EmptyText, "Nothing recorded.")
            .Add(t => t.Rows, [["Total", "0", "—"]]));

        var empty = Assert.Single(table.FindAll("tbody td"));
        Assert.Equal("Nothing recorded.", empty.TextContent);
        Assert.Equal("3", empty.GetAttribute("colspan"));
        Assert.Single(table.FindAll("thead th"), th => th.TextContent == "Average score");
    }
}
