using CrmBlazor.Domain.Access;
using CrmBlazor.Server.Hosting;

namespace CrmBlazor.Tests.Hosting;

/// <summary>#12 sign-in: local return URLs only, the pinned tenant, role names matched exactly.</summary>
public sealed class SignInRulesTests
{
    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://evil.example/customers")]
    [InlineData("//evil")]
    [InlineData("/\\evil")]
    [InlineData("\\\\evil")]
    [InlineData("/ok\\..\\evil")]
    [InlineData("/%09/evil")]
    [InlineData("/\t/evil")]
    [InlineData("/ok\r\nSet-Cookie: a=b")]
    [InlineData("/%2F/evil")]
    [InlineData("/%5Cevil")]
    [InlineData("javascript:alert(1)")]
    [InlineData("customers")]
    [InlineData(" /customers")]
    [InlineData("")]
    [InlineData(null)]
    public void A_return_url_that_is_not_a_local_path_becomes_the_home_page(string? returnUrl) =>
        Assert.Equal("/", SignInHosting.SafeReturnUrl(returnUrl));

    [Theory]
    [InlineData("/")]
    [InlineData("/customers")]
    [InlineData("/customers?tier=A&page=2")]
    [InlineData("/customers/0195f2a1-0000-7000-8000-000000000001")]
    [InlineData("/customers?q=%E5%8D%8E%E4%B8%BA")]
    [InlineData("/reports?from=2026-01-01&to=2026-01-31")]
    public void A_local_path_is_kept(string returnUrl) =>
        Assert.Equal(returnUrl, SignInHosting.SafeReturnUrl(returnUrl));

    [Theory]
    [InlineData("11111111-2222-3333-4444-555555555555", true)]
    [InlineData("{11111111-2222-3333-4444-555555555555}", true)]
    [InlineData("99999999-2222-3333-4444-555555555555", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("common", false)]
    public void Only_a_token_of_the_configured_tenant_is_accepted(string? tokenTenant, bool accepted) =>
        Assert.Equal(accepted, SignInHosting.IsConfiguredTenant(tokenTenant, "11111111-2222-3333-4444-555555555555"));

    [Fact]
    public void Without_a_configured_tenant_id_no_token_is_accepted() =>
        Assert.False(SignInHosting.IsConfiguredTenant("common", "common"));

    [Theory]
    [InlineData("Admin", Role.Admin)]
    [InlineData("Supervisor", Role.Supervisor)]
    [InlineData("SalesRep", Role.SalesRep)]
    [InlineData("CustomerService", Role.CustomerService)]
    [InlineData("Analyst", Role.Analyst)]
    public void A_role_spelled_exactly_is_recognised(string claim, Role role) =>
        Assert.Equal(role, CrmClaims.RoleNamed(claim));

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("Admin,Analyst")]
    [InlineData(" Admin")]
    [InlineData("Admin ")]
    [InlineData("admin")]
    [InlineData("ADMIN")]
    [InlineData("")]
    public void A_numeric_joined_padded_or_differently_cased_role_is_refused(string claim) =>
        Assert.Null(CrmClaims.RoleNamed(claim));

    [Fact]
    public void The_current_user_gets_no_role_from_a_numeric_or_joined_claim()
    {
        var identity = new System.Security.Claims.ClaimsIdentity("test", System.Security.Claims.ClaimTypes.Name, CrmClaims.Role);
        identity.AddClaims(new[] { "1", "Admin,Analyst", "admin", "Analyst" }.Select(v => new System.Security.Claims.Claim(CrmClaims.Role, v)));

        var user = ClaimsCurrentUser.From(new System.Security.Claims.ClaimsPrincipal(identity));

        Assert.Equal(Role.Analyst, Assert.Single(user.Roles));
    }
}
