using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;

namespace CrmBlazor.Tests.Hosting;

/// <summary>Issue 20: a rep can add CrmBlazor to a phone's home screen: every page links a manifest whose icons are served.</summary>
public sealed class WebAppManifestTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task The_sign_in_page_links_a_manifest_that_names_the_app_and_whose_icons_are_the_sizes_it_says()
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var page = await client.GetStringAsync("/account/signin");
        Assert.Contains("<link rel=\"manifest\" href=\"manifest.webmanifest\"", page, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"theme-color\"", page, StringComparison.Ordinal);

        var response = await client.GetAsync("/manifest.webmanifest"); // anonymous: the browser fetches it without cookies
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/manifest+json", response.Content.Headers.ContentType?.MediaType);
        using var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = manifest.RootElement;
        Assert.Equal("CrmBlazor", root.GetProperty("short_name").GetString());
        Assert.Equal("/", root.GetProperty("start_url").GetString());
        Assert.Equal("standalone", root.GetProperty("display").GetString());

        var pngSizes = new List<int>();
        foreach (var icon in root.GetProperty("icons").EnumerateArray())
        {
            var src = icon.GetProperty("src").GetString()!;
            var bytes = await client.GetByteArrayAsync("/" + src);
            if (icon.GetProperty("type").GetString() != "image/png")
            {
                continue;
            }
            // A PNG's IHDR gives width and height at bytes 16–23; the manifest's "sizes" must be the truth.
            Assert.Equal(0x89, bytes[0]);
            var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
            Assert.Equal(icon.GetProperty("sizes").GetString(), $"{width}x{height}");
            pngSizes.Add(width);
        }
        Assert.Contains(192, pngSizes); // what Chromium asks for to offer installing
        Assert.Contains(512, pngSizes);
    }
}
