using System.Globalization;
using Bunit;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Server.Features.Pipeline;
using CrmBlazor.Tests.Layout;

namespace CrmBlazor.Tests.Pipeline;

/// <summary>The funnel page's tables: each stage and each rep opens the board filtered the same way (the drill-down); the figures read as the row computes them.</summary>
public sealed class FunnelTableTests : MudTestContext
{
    private static readonly Guid RepId = Guid.NewGuid();

    public FunnelTableTests() => CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");

    [Fact]
    public void A_stage_links_to_its_board_column_and_shows_its_conversion_to_the_next()
    {
        var table = Render<FunnelStageTable>(p => p.Add(t => t.Row, Row(RepId, "张伟")));

        var proposal = table.Find("tr[data-stage='Proposal']");
        Assert.Equal("/pipeline?stage=Proposal", proposal.QuerySelector("a.crm-funnel-drill")!.GetAttribute("href"));
        Assert.Equal("Proposal", proposal.QuerySelector("a")!.TextContent);
        Assert.Equal("3", proposal.QuerySelector(".crm-funnel-reached")!.TextContent);
        Assert.Equal("67%", proposal.QuerySelector(".crm-funnel-conversion")!.TextContent); // 2 of 3 reached negotiation
        Assert.Equal("—", table.Find("tr[data-stage='Won'] .crm-funnel-conversion").TextContent); // an end, not a step
    }

    [Fact]
    public void A_rep_links_to_the_board_on_their_deals_and_the_total_comes_last_without_a_link()
    {
        var total = Row(null, "");
        var table = Render<FunnelPeopleTable>(p => p.Add(t => t.Rows, [Row(RepId, "张伟")]).Add(t => t.Total, total).Add(t => t.NameHeader, "Rep").Add(t => t.LinkToBoard, true));

        var rows = table.FindAll("tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Equal($"/pipeline?owner={RepId}", rows[0].QuerySelector("a.crm-funnel-drill")!.GetAttribute("href"));
        Assert.Equal("Total", rows[1].QuerySelector("td")!.TextContent.Trim());
        Assert.Null(rows[1].QuerySelector("a"));
        Assert.Equal("50%", rows[1].QuerySelector(".crm-funnel-win-rate")!.TextContent);
    }

    /// <summary>Reached 6, 4, 3, 2, 2, 2, won 2; one won and one lost in the range.</summary>
    private static FunnelRow Row(Guid? id, string name) => new(id, name,
    [
        new(OpportunityStage.InitialContact, 6, 2, 800_000, 10, 8, 4), new(OpportunityStage.NeedsAnalysis, 4, 0, 0, 20, 8, 3),
        new(OpportunityStage.Proposal, 3, 1, 100_000, 40, 3, 1), new(OpportunityStage.Negotiation, 2, 0, 0, 60, 0, 0),
        new(OpportunityStage.Contract, 2, 0, 0, 80, 1, 1), new(OpportunityStage.Delivery, 2, 0, 0, 90, 0, 0),
        new(OpportunityStage.Won, 2, 2, 1_400_000, 100, 0, 0), new(OpportunityStage.Lost, 1, 1, 200_000, 0, 0, 0),
    ], ClosedWon: 1, ClosedLost: 1, DaysToWinSum: 11);
}
