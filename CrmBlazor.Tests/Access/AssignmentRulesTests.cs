using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Tests.Infrastructure;

namespace CrmBlazor.Tests.Access;

/// <summary>
/// Who hands work to others, by role: one rule each in the Domain, which both the services enforce and the pages ask
/// (to show or hide the owner pickers and buttons), so a page never offers what the service refuses.
/// </summary>
public sealed class AssignmentRulesTests
{
    [Theory]
    [InlineData(Role.Admin, true, true, true, true, true)]
    [InlineData(Role.Supervisor, true, true, true, true, true)]
    [InlineData(Role.CustomerService, true, false, false, false, false)]
    [InlineData(Role.SalesRep, false, false, false, false, false)]
    [InlineData(Role.Analyst, false, false, false, false, false)]
    public void Each_role_hands_out_what_its_rules_allow(Role role, bool demands, bool opportunities, bool leads, bool tickets, bool sample)
    {
        var user = new TestUser(Guid.NewGuid(), "测试", [], new HashSet<Role> { role });

        Assert.Equal(
            (demands, opportunities, leads, tickets, sample),
            (DemandService.MayAssignOthers(user), OpportunityService.MayAssignOthers(user), LeadService.MayAssignOthers(user),
                TicketService.MayReassignAny(user), DataQualityService.MayDrawSample(user)));
    }
}
