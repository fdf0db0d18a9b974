using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Pages.Tests;

/// <summary>How the pages are served: security headers, and the weight of the first load.</summary>
[Collection(PagesCollection.Name)]
public sealed class PageDeliveryTests(BrowserHost host)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/reset-password")]
    [InlineData("/admin/accounts")]
    [InlineData("/app/main.js")]
    [InlineData("/app/app.css")]
    public async Task pages_and_their_files_carry_a_strict_content_security_policy(string path)
    {
        using var answer = await host.Http.GetAsync(path);
        Assert.Equal(200, (int)answer.StatusCode);
        var csp = string.Join(";", answer.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("form-action 'self'", csp);
        Assert.Contains("base-uri 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.DoesNotContain("unsafe", csp);
        Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", answer.Headers.GetValues("Referrer-Policy").Single());
        if (!path.StartsWith("/app/")) Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task the_pages_use_no_inline_script_or_style_and_set_no_html_from_values()
    {
        var web = Path.Combine(Testing.HostProgram.RepositoryRoot, "src", "Host", "web");
        var html = await File.ReadAllTextAsync(Path.Combine(web, "index.html"));
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html);
        Assert.DoesNotContain("style=", html);
        foreach (var file in Directory.EnumerateFiles(web, "*.js", SearchOption.AllDirectories))
        {
            var code = await File.ReadAllTextAsync(file);
            foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "localStorage.setItem" })
                Assert.False(code.Contains(sink), $"{Path.GetFileName(file)} uses {sink}");
        }
    }

    [Fact]
    public async Task the_sign_in_page_loads_in_tens_of_kilobytes()
    {
        var page = await host.NewPageAsync();
        var sizes = new List<(string Url, int Bytes)>();
        page.Response += async (_, response) =>
        {
            if (response.Url.StartsWith(host.BaseUrl) && !response.Url.Contains("/api/"))
                sizes.Add((response.Url, (await response.BodyAsync()).Length));
        };
        await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.NetworkIdle });
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();

        var total = sizes.Sum(s => s.Bytes);
        var report = new { measuredAt = DateTimeOffset.UtcNow, files = sizes.Count, bytes = total, each = sizes.Select(s => new { url = s.Url[host.BaseUrl.Length..], s.Bytes }) };
        Directory.CreateDirectory(BrowserHost.ScreenshotFolder);
        await File.WriteAllTextAsync(Path.Combine(BrowserHost.ScreenshotFolder, "..", "first-load.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        Assert.True(total < 100 * 1024, $"The sign-in page's first load is {total} bytes in {sizes.Count} files.");
        await page.Context.CloseAsync();
    }
}
