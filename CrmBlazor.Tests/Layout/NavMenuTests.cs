using Bunit;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Server.Components.Layout;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Layout;

public sealed class NavMenuTests : MudTestContext
{
    [Theory]
    [InlineData(Role.Admin, true, true)]
    [InlineData(Role.Supervisor, true, false)]
    [InlineData(Role.SalesRep, true, false)]
    [InlineData(Role.CustomerService, true, false)]
    [InlineData(Role.Analyst, true, false)]
    public void The_navigation_shows_what_the_role_may_view(Role role, bool customers, bool auditLog)
    {
        Services.AddSingleton(new Permissions(new DatabaseSettings(DatabaseProvider.Sqlite, "Data Source=unused.db"), TimeProvider.System));
        Services.AddSingleton<ICurrentUser>(new TestUser(Guid.NewGuid(), "张伟", [], new HashSet<Role> { role }));

        var nav = RenderWithPopovers<NavMenu>();

        var links = nav.FindAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("/", links);
        Assert.Equal(customers, links.Contains("/customers"));
        Assert.Equal(auditLog, links.Contains("/admin/audit"));
        Assert.Equal(role == Role.Admin, links.Contains("/admin/integrations"));
    }
}
