using System.Security.Claims;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Server.Hosting;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Tests.Access;

/// <summary>People and teams (SPEC A1, A3): memberships as Admin and Entra groups make them, counted at the next call.</summary>
public sealed class TeamTests
{
    private const string SalesSouthGroup = "0f4a3d52-1c7e-4a3b-9d55-2b8e6f1a7c90";

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_supervisor_added_to_a_second_team_sees_its_customers_and_decides_its_requests_at_once(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 30);
        var admin = await harness.DemoUserAsync("demo-admin");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var south = await SecondTeam.AddAsync(harness);
        List<Guid> southCustomers;
        await using (var db = harness.NewSystemContext())
        {
            southCustomers = await db.Customers.OrderBy(c => c.Number).Take(4).Select(c => c.Id).ToListAsync();
        }
        await south.TakeOverAsync(harness, [.. southCustomers]);
        var queries = harness.Get<CustomerQueries>(supervisor);
        var before = await queries.CountAsync(new CustomerFilter());
        await harness.Get<ApprovalService>(south.Rep).RequestAsync(ApprovalSummary.BulkDelete(2), "[]");
        Assert.Empty(await harness.Get<ApprovalService>(supervisor).PendingAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => queries.GetProfileAsync(southCustomers[0]));

        await harness.Get<TeamAdmin>(admin).AddMemberAsync(south.TeamId, supervisor.UserId!.Value, isSupervisor: true);

        // The same signed-in user, no new sign-in: the memberships are read at the call.
        Assert.Equal(before + southCustomers.Count, await queries.CountAsync(new CustomerFilter()));
        Assert.Equal(southCustomers[0], (await queries.GetProfileAsync(southCustomers[0])).Customer.Id);
        Assert.Single(await harness.Get<ApprovalService>(supervisor).PendingAsync());
        var teams = await harness.Get<TeamAdmin>(admin).ListAsync();
        Assert.Contains(teams.Single(t => t.Id == south.TeamId).Members, m => m.UserId == supervisor.UserId && m.IsSupervisor && m.Source == MembershipSource.Manual);

        await harness.Get<TeamAdmin>(admin).SetSupervisorAsync(south.TeamId, supervisor.UserId.Value, false);
        Assert.Equal(before, await queries.CountAsync(new CustomerFilter()));
    }

    [Fact]
    public async Task Only_an_Admin_changes_teams_and_team_names_are_unique()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 5);
        var admin = await harness.DemoUserAsync("demo-admin");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");

        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<TeamAdmin>(supervisor).CreateAsync("华北团队"));
        var id = await harness.Get<TeamAdmin>(admin).CreateAsync(" 华北团队 ");
        var taken = await Assert.ThrowsAsync<ValidationFailedException>(() => harness.Get<TeamAdmin>(admin).CreateAsync("华东销售一组"));
        Assert.Equal("Validation.NameTaken", taken.Errors.Single().MessageKey);
        var team = (await harness.Get<TeamAdmin>(admin).ListAsync()).Single(t => t.Id == id);
        await harness.Get<TeamAdmin>(admin).RenameAsync(id, team.Version, "华北大客户组");
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => harness.Get<TeamAdmin>(admin).RenameAsync(id, team.Version, "旧版本"));

        Assert.Equal("华北大客户组", (await harness.Get<TeamAdmin>(admin).ListAsync()).Single(t => t.Id == id).Name);
        await using var db = harness.NewSystemContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(Team) && a.EntityId == id.ToString() && a.Action == AuditAction.Update));
    }

    [Fact]
    public async Task An_Entra_sign_in_with_a_mapped_group_lands_in_its_team_through_OnTokenValidated_and_leaves_it_when_the_group_goes()
    {
        await using var database = await TestDatabase.CreateSeededAsync(DatabaseProvider.Sqlite, customers: 5);
        await using var app = new CrmAppFactory(database.Settings, environment: "Production", settings: new Dictionary<string, string?>
        {
            ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
            ["AzureAd:TenantId"] = Tenant,
            ["AzureAd:ClientId"] = "66666666-7777-8888-9999-000000000000",
            ["AzureAd:ClientSecret"] = "not-a-real-secret",
            [$"AzureAd:TeamGroups:{SalesSouthGroup}"] = "华南销售组",
        });
        Guid manualTeam;
        await using (var db = DomainServices.CreateSystemContext(database.Settings, TimeProvider.System))
        {
            var team = new Team { Name = "重点客户组" };
            db.Teams.Add(team);
            await db.SaveChangesAsync();
            manualTeam = team.Id;
        }

        var first = await ValidateTokenAsync(app, Token(SalesSouthGroup));

        await using (var db = DomainServices.CreateSystemContext(database.Settings, TimeProvider.System))
        {
            var user = await db.Users.Include(u => u.Memberships).ThenInclude(m => m.Team).SingleAsync(u => u.ExternalId == ObjectId);
            var membership = Assert.Single(user.Memberships);
            Assert.Equal("华南销售组", membership.Team!.Name);
            Assert.Equal(MembershipSource.EntraGroup, membership.Source);
            Assert.True(membership.IsSupervisor); // a Supervisor by role
            Assert.Equal(membership.TeamId.ToString(), first.FindFirstValue(CrmClaims.SupervisedTeam));
            db.TeamMemberships.Add(new TeamMembership { TeamId = manualTeam, UserId = user.Id, Source = MembershipSource.Manual });
            await db.SaveChangesAsync();
        }

        await ValidateTokenAsync(app, Token());

        await using (var db = DomainServices.CreateSystemContext(database.Settings, TimeProvider.System))
        {
            var memberships = await db.TeamMemberships.Where(m => m.User!.ExternalId == ObjectId).ToListAsync();
            Assert.Equal(manualTeam, Assert.Single(memberships).TeamId); // the group's went, the manual one stayed
        }
    }

    [Fact]
    public void A_token_with_too_many_groups_to_carry_says_nothing_about_groups_so_none_are_removed()
    {
        var overage = new ClaimsPrincipal(new ClaimsIdentity([new Claim("_claim_names", """{"groups":"src1"}""")], "test"));
        var none = new ClaimsPrincipal(new ClaimsIdentity([], "test"));
        var two = new ClaimsPrincipal(new ClaimsIdentity([new Claim("groups", "a"), new Claim("groups", "b")], "test"));

        Assert.Null(SignInHosting.GroupsOf(overage));
        Assert.Empty(SignInHosting.GroupsOf(none)!);
        Assert.Equal(["a", "b"], SignInHosting.GroupsOf(two)!);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_pre_registered_user_is_matched_by_UPN_at_first_sign_in_and_keyed_on_the_object_id_from_then_on(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 5);
        var admin = await harness.DemoUserAsync("demo-admin");
        var team = await harness.Get<TeamAdmin>(admin).CreateAsync("华北团队");
        var id = await harness.Get<UserAdmin>(admin).PreRegisterAsync(" Liu.Yang@Contoso.cn ", "刘洋", [team]);
        var listed = (await harness.Get<UserAdmin>(admin).ListAsync(new UserFilter("liu.yang"), 0, 10)).Items.Single();
        Assert.True(listed.IsPreRegistered);
        Assert.Equal(["华北团队"], listed.Teams);
        var duplicate = await Assert.ThrowsAsync<ValidationFailedException>(() => harness.Get<UserAdmin>(admin).PreRegisterAsync("liu.yang@contoso.cn", "刘洋", []));
        Assert.Equal("Validation.NameTaken", duplicate.Errors.Single().MessageKey);
        var directory = harness.Get<UserDirectory>(SystemUser.Instance);

        var signedIn = await directory.SignInAsync(new SignInToken("oid-liu", Tenant, "刘洋 (Entra)", "LIU.YANG@contoso.cn", [Role.SalesRep], ["LIU.YANG@contoso.cn"], null));
        var again = await directory.SignInAsync(new SignInToken("oid-liu", Tenant, "刘洋", "yang.liu@contoso.cn", [Role.SalesRep], ["yang.liu@contoso.cn"], null));

        Assert.Equal(id, signedIn.UserId);
        Assert.Equal(id, again.UserId);
        await using var db = harness.NewSystemContext();
        var user = await db.Users.Include(u => u.Memberships).SingleAsync(u => u.Id == id);
        Assert.Equal("oid-liu", user.ExternalId);
        Assert.Equal(team, Assert.Single(user.Memberships).TeamId);
        Assert.Equal(1, await db.Users.CountAsync(u => u.DisplayName.StartsWith("刘洋")));
        Assert.NotNull(user.LastSignInAt);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Reassigning_a_leavers_customers_writes_each_owner_change_and_one_audit_row(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 20);
        var admin = await harness.DemoUserAsync("demo-admin");
        var leaver = await harness.DemoUserAsync("demo-salesrep2");
        var heir = await harness.DemoUserAsync("demo-salesrep");
        var analyst = await harness.DemoUserAsync("demo-analyst");
        var users = harness.Get<UserAdmin>(admin);
        var leaverRow = (await users.ListAsync(new UserFilter(leaver.DisplayName), 0, 10)).Items.Single(u => u.Id == leaver.UserId);
        await users.SetActiveAsync(leaverRow.Id, leaverRow.Version, active: false);
        List<Guid> owned;
        await using (var db = harness.NewSystemContext())
        {
            owned = await db.Customers.Where(c => c.OwnerId == leaver.UserId).Select(c => c.Id).ToListAsync();
        }
        Assert.NotEmpty(owned);

        var toAnalyst = await Assert.ThrowsAsync<ValidationFailedException>(() => users.ReassignCustomersAsync(leaver.UserId!.Value, analyst.UserId!.Value));
        Assert.Equal("Validation.OwnerNotAssignable", toAnalyst.Errors.Single().MessageKey);
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<UserAdmin>(heir).ReassignCustomersAsync(leaver.UserId!.Value, heir.UserId!.Value));
        var moved = await users.ReassignCustomersAsync(leaver.UserId!.Value, heir.UserId!.Value);

        Assert.Equal(owned.Count, moved);
        await using var check = harness.NewSystemContext();
        Assert.False(await check.Customers.AnyAsync(c => c.OwnerId == leaver.UserId));
        Assert.Equal(owned.Count, await check.Customers.CountAsync(c => owned.Contains(c.Id) && c.OwnerId == heir.UserId));
        var ids = owned.Select(o => o.ToString()).ToList();
        var history = await check.AuditEntries.Where(a => a.EntityType == nameof(Customer) && a.Action == AuditAction.Update && ids.Contains(a.EntityId!)).ToListAsync();
        Assert.Equal(owned.Count, history.Count(a => a.Changes!.Contains($"\"Before\":\"{leaver.UserId}\"", StringComparison.Ordinal) && a.Changes.Contains(heir.UserId.ToString()!, StringComparison.Ordinal)));
        var reassignment = Assert.Single(await check.AuditEntries.Where(a => a.EntityType == "CustomerOwnership").ToListAsync());
        Assert.Equal(leaver.UserId.ToString(), reassignment.EntityId);
        Assert.Contains(owned.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), reassignment.Changes!, StringComparison.Ordinal);
        Assert.Equal(admin.UserId, reassignment.UserId);
    }

    [Fact]
    public async Task Inactive_targets_are_refused_and_an_Admin_does_not_deactivate_themselves()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 5);
        var admin = await harness.DemoUserAsync("demo-admin");
        var leaver = await harness.DemoUserAsync("demo-salesrep2");
        var heir = await harness.DemoUserAsync("demo-salesrep");
        var users = harness.Get<UserAdmin>(admin);
        var heirRow = (await users.ListAsync(new UserFilter(), 0, 50)).Items.Single(u => u.Id == heir.UserId);
        var adminRow = (await users.ListAsync(new UserFilter(), 0, 50)).Items.Single(u => u.Id == admin.UserId);
        await users.SetActiveAsync(heirRow.Id, heirRow.Version, active: false);

        await Assert.ThrowsAsync<ValidationFailedException>(() => users.ReassignCustomersAsync(leaver.UserId!.Value, heir.UserId!.Value));
        Assert.DoesNotContain(await users.ReassignTargetsAsync(leaver.UserId!.Value), t => t.Id == heir.UserId);
        await Assert.ThrowsAsync<AccessDeniedException>(() => users.SetActiveAsync(adminRow.Id, adminRow.Version, active: false));
    }

    private const string Tenant = "11111111-2222-3333-4444-555555555555";
    private const string ObjectId = "9d0c6a1e-52b4-4b8e-a3f1-7e2d5c4b3a21";

    private static ClaimsPrincipal Token(params string[] groups) => new(new ClaimsIdentity(
        [
            new Claim("oid", ObjectId),
            new Claim("tid", Tenant),
            new Claim("name", "黄磊"),
            new Claim("preferred_username", "huang.lei@contoso.cn"),
            new Claim("roles", nameof(Role.Supervisor)),
            .. groups.Select(g => new Claim("groups", g)),
        ], "AuthenticationTypes.Federation", "name", "roles"));

    /// <summary>Runs the app's own OpenID Connect <c>OnTokenValidated</c> over a token principal, as the handler would after validating it.</summary>
    private static async Task<ClaimsPrincipal> ValidateTokenAsync(CrmAppFactory app, ClaimsPrincipal principal)
    {
        var options = app.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);
        await using var scope = app.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var scheme = new AuthenticationScheme(OpenIdConnectDefaults.AuthenticationScheme, null, typeof(OpenIdConnectHandler));
        var context = new TokenValidatedContext(http, scheme, options, principal, new AuthenticationProperties());

        await options.Events.OnTokenValidated(context);

        Assert.Null(context.Result);
        return context.Principal!;
    }
}
