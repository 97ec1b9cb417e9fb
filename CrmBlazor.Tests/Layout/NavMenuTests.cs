using Bunit;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Server.Components.Layout;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using System.Text.RegularExpressions;
using MudBlazor;
using MudBlazor.Interfaces;

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
        AddPermissions();
        Services.AddSingleton<ICurrentUser>(new TestUser(Guid.NewGuid(), "张伟", [], new HashSet<Role> { role }));

        var nav = RenderWithPopovers<NavMenu>();

        var links = nav.FindAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("/", links);
        Assert.Equal(customers, links.Contains("/customers"));
        Assert.Equal(auditLog, links.Contains("/admin/audit"));
        Assert.Equal(role == Role.Admin, links.Contains("/admin/integrations"));
    }

    /// <summary>
    /// The entries are MudNavLink's markup, not MudNavLinks (three components each, in every open tab): so the active entry,
    /// the drawer closing on a phone and the folded group's tab order are the menu's own work, checked here.
    /// </summary>
    [Fact]
    public void The_entry_of_the_page_shown_is_active_by_its_whole_path_or_its_prefix_following_one_tells_the_drawer_and_a_folded_group_leaves_the_tab_order()
    {
        AddPermissions();
        Services.AddSingleton<ICurrentUser>(new TestUser(Guid.NewGuid(), "李明", [], new HashSet<Role> { Role.Admin }));
        var navigation = Services.GetRequiredService<NavigationManager>();
        var drawer = new DrawerStandIn();
        var nav = Render<NavMenu>(p => p.AddCascadingValue<INavigationEventReceiver>(drawer));
        string[] Active() => nav.FindAll("a.active").Select(a => a.GetAttribute("href")!).ToArray();

        Assert.Equal(["/"], Active());
        Assert.Equal("page", nav.Find("a.active").GetAttribute("aria-current"));

        navigation.NavigateTo("/customers/8d0f5b36-4b1a-4a51-9d4e-0a4f4f1f0c11?tab=contacts");
        nav.WaitForAssertion(() => Assert.Equal(["/customers"], Active())); // by prefix, the query aside
        Assert.Null(nav.Find("a[href='/']").GetAttribute("aria-current"));

        navigation.NavigateTo("/pipeline/funnel");
        nav.WaitForAssertion(() => Assert.Equal(["/pipeline/funnel"], Active())); // "/pipeline" matches its whole path only
        navigation.NavigateTo("/customerservice");
        nav.WaitForAssertion(() => Assert.Empty(Active())); // a prefix ends at a slash

        nav.Find("a[href='/leads']").Click();
        Assert.Equal(1, drawer.Navigations);

        Assert.Equal("0", nav.Find("a[href='/admin/users']").GetAttribute("tabindex"));
        nav.Find(".mud-nav-group > button").Click();
        nav.WaitForAssertion(() => Assert.Equal("-1", nav.Find("a[href='/admin/users']").GetAttribute("tabindex")));
        Assert.Equal("0", nav.Find("a[href='/leads']").GetAttribute("tabindex"));
    }

    /// <summary>
    /// The administration group is MudNavGroup's markup, not a MudNavGroup (six components in every open tab): open and
    /// folded it writes what MudNavGroup writes around the same entries, but for MudNavGroup's random menu id, its
    /// English "Toggle …" label (the light button's name is its text) and MudCollapse's empty <c>style</c>.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_administration_group_is_MudNavGroups_markup_open_and_folded(bool open)
    {
        AddPermissions();
        Services.AddSingleton<ICurrentUser>(new TestUser(Guid.NewGuid(), "李明", [], new HashSet<Role> { Role.Admin }));
        var nav = Render<NavMenu>();
        if (!open)
        {
            nav.Find(".mud-nav-group > button").Click();
        }
        var light = nav.Find(".mud-nav-group");
        var entries = new MarkupString(light.QuerySelector("#crm-nav-administration")!.InnerHtml);
        var title = light.QuerySelector(".mud-nav-link-text")!.TextContent;

        var mud = Render(b =>
        {
            b.OpenComponent<MudNavGroup>(0);
            b.AddAttribute(1, "Title", title);
            b.AddAttribute(2, "Icon", Icons.Material.Outlined.AdminPanelSettings);
            b.AddAttribute(3, "Expanded", open);
            b.AddAttribute(4, "ChildContent", (RenderFragment)(c => c.AddContent(0, entries)));
            b.CloseComponent();
        });
        var menuId = mud.Find(".mud-nav-group > button").GetAttribute("aria-controls")!;
        var expected = Regex.Replace(mud.Markup.Replace(menuId, "crm-nav-administration", StringComparison.Ordinal), @" aria-label=""Toggle [^""]*""| style=""""", "");

        light.OuterHtml.MarkupMatches(expected);
        Assert.Equal(open ? "true" : "false", light.QuerySelector("button")!.GetAttribute("aria-expanded"));
        Assert.Equal(open ? "false" : "true", light.QuerySelector(".mud-collapse-container")!.GetAttribute("aria-hidden"));
    }

    /// <summary>The default permission matrix (no database is read), on a fixed clock: the menu decides nothing by date.</summary>
    private void AddPermissions() => Services.AddSingleton(new Permissions(
        new DatabaseSettings(DatabaseProvider.Sqlite, "Data Source=unused.db"),
        new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2030, 6, 12, 2, 0, 0, TimeSpan.Zero))));

    private sealed class DrawerStandIn : INavigationEventReceiver
    {
        public int Navigations { get; private set; }

        public Task OnNavigation()
        {
            Navigations++;
            return Task.CompletedTask;
        }
    }
}
