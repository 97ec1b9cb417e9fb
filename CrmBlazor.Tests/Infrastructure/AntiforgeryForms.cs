using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace CrmBlazor.Tests.Infrastructure;

/// <summary>
/// Posts a form as the app's own pages do: with an antiforgery token this client was served. The token belongs to
/// the user, not to one form, so the sign-in page's (rendered without a circuit, for anyone) serves: the forms in
/// interactive components (user menu, export buttons) get theirs from the circuit, out of an HTTP client's reach.
/// </summary>
public static partial class AntiforgeryForms
{
    private static readonly ConditionalWeakTable<HttpClient, string> Tokens = [];

    /// <summary>A POST of <paramref name="fields"/> plus this client's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, IReadOnlyDictionary<string, string>? fields = null)
    {
        var token = await TokenAsync(client);
        var form = new Dictionary<string, string>(fields ?? new Dictionary<string, string>()) { ["__RequestVerificationToken"] = token };
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    /// <summary>A POST of <paramref name="fields"/> without any token, as another site's form would send it.</summary>
    public static Task<HttpResponseMessage> PostFormWithoutTokenAsync(this HttpClient client, string url, IReadOnlyDictionary<string, string>? fields = null) =>
        client.PostAsync(url, new FormUrlEncodedContent(fields ?? new Dictionary<string, string>()));

    public static async Task<string> TokenAsync(HttpClient client)
    {
        if (Tokens.TryGetValue(client, out var cached))
        {
            return cached;
        }
        var page = await client.GetStringAsync("/account/signin");
        var token = Token().Match(page) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("The page carries no antiforgery token.");
        Tokens.AddOrUpdate(client, token);
        return token;
    }

    [GeneratedRegex("""name="__RequestVerificationToken"[^>]*?value="([^"]+)""")]
    private static partial Regex Token();
}
