using System.Globalization;
using Bunit;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Server.Features.Tickets;
using CrmBlazor.Tests.Layout;

namespace CrmBlazor.Tests.Tickets;

/// <summary>The ticket page's action bar: which buttons it offers, and what a click hands back to the page.</summary>
public sealed class TicketActionsTests : MudTestContext
{
    public TicketActionsTests() => CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");

    [Theory]
    [InlineData(TicketStatus.New, new string[0])]
    [InlineData(TicketStatus.Assigned, new[] { "crm-ticket-start", "crm-ticket-wait", "crm-ticket-resolve" })]
    [InlineData(TicketStatus.WaitingForCustomer, new[] { "crm-ticket-resume", "crm-ticket-resolve" })]
    [InlineData(TicketStatus.Resolved, new[] { "crm-ticket-close", "crm-ticket-reopen" })]
    [InlineData(TicketStatus.Closed, new[] { "crm-ticket-reopen" })]
    public void It_offers_the_moves_allowed_from_the_status_but_assignment(TicketStatus status, string[] expected)
    {
        var bar = Render<TicketActions>(p => p.Add(a => a.Status, status));

        Assert.Equal(expected, bar.FindAll(".crm-ticket-action").Select(b => b.ClassList.Single(c => c.StartsWith("crm-ticket-", StringComparison.Ordinal) && c != "crm-ticket-action")));
        Assert.Empty(bar.FindAll(".crm-ticket-take"));
        Assert.Empty(bar.FindAll(".crm-ticket-followup"));
    }

    [Fact]
    public void Each_button_hands_its_action_to_the_page()
    {
        var moves = new List<TicketStatus>();
        var (taken, surveyed) = (0, 0);
        var bar = Render<TicketActions>(p => p
            .Add(a => a.Status, TicketStatus.InProgress)
            .Add(a => a.MayTake, true)
            .Add(a => a.AwaitsFollowUp, true)
            .Add(a => a.OnMove, (TicketStatus to) => moves.Add(to))
            .Add(a => a.OnTake, () => taken++)
            .Add(a => a.OnRecordFollowUp, () => surveyed++));

        Assert.Equal("Take it", bar.Find(".crm-ticket-take").TextContent.Trim());
        bar.Find(".crm-ticket-take").Click();
        bar.Find(".crm-ticket-wait").Click();
        bar.Find(".crm-ticket-resolve").Click();
        bar.Find(".crm-ticket-followup").Click();

        Assert.Equal([TicketStatus.WaitingForCustomer, TicketStatus.Resolved], moves);
        Assert.Equal((1, 1), (taken, surveyed));
    }
}
