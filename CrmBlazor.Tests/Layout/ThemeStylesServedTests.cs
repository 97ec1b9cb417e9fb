using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;

namespace CrmBlazor.Tests.Layout;

/// <summary>
/// The theme's styles as the running app serves them (ThemeStyles renders MudThemeProvider once, in a scope of the app's
/// own services, not bUnit's): the sign-in page in the light theme, a signed-in page in the theme the user chose.
/// </summary>
public sealed class ThemeStylesServedTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Pages_carry_the_theme_styles_light_and_in_the_chosen_dark()
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });

        var signIn = await client.GetStringAsync("/account/signin");
        Assert.Contains("<style class='mud-theme-provider'>", signIn, StringComparison.Ordinal);
        Assert.Contains("--mud-palette-primary:", signIn, StringComparison.Ordinal);
        Assert.Contains("--mud-native-html-color-scheme: light;", signIn, StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", $"{await app.SignInCookieAsync("demo-supervisor")}; crm-theme=dark");
        var response = await client.SendAsync(request);
        var home = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, home);
        Assert.Contains("<style class='mud-theme-provider'>", home, StringComparison.Ordinal);
        Assert.Contains("--mud-native-html-color-scheme: dark;", home, StringComparison.Ordinal);
    }
}
