using Alba;
using global::Host.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Testing;

namespace Host.Tests;

public sealed class OperationsHost : RecoveryHost;

public sealed class OperationsTests(OperationsHost host) : IClassFixture<OperationsHost>
{
    [Fact]
    public async Task liveness_and_readiness_answer_200_when_postgres_and_the_schema_are_there()
    {
        Assert.Equal(200, (await host.SendAsync(null, s => s.Get.Url("/health/live"))).Context.Response.StatusCode);
        Assert.Equal(200, (await host.SendAsync(null, s => s.Get.Url("/health/ready"))).Context.Response.StatusCode);
    }

    [Fact]
    public async Task readiness_is_unhealthy_when_postgres_cannot_be_reached()
    {
        var unreachable = new Npgsql.NpgsqlConnectionStringBuilder(host.ConnectionString) { Port = 1, Timeout = 2 }.ConnectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = unreachable }).Build();
        var result = await new DatabaseReadiness(configuration).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    [Fact]
    public async Task the_openapi_document_lists_the_contract_routes_and_the_docs_page_is_served()
    {
        var openapi = await (await host.SendAsync(null, s => s.Get.Url("/openapi/v1.json"))).ReadAsTextAsync();
        Assert.Contains("/api/auth/login", openapi);
        Assert.Contains("/api/me/password", openapi);
        Assert.Contains("/api/settings/password-policy", openapi);

        var redirect = await host.SendAsync(null, s => s.Get.Url("/docs"));
        Assert.Equal("docs/", redirect.Context.Response.Headers.Location.ToString());
        var docs = await host.SendAsync(null, s => s.Get.Url("/docs/"));
        Assert.Equal(200, docs.Context.Response.StatusCode);
        var page = await docs.ReadAsTextAsync();
        Assert.Contains("openapi/v1.json", page);
        Assert.Contains("text/html", docs.Context.Response.ContentType);
        // Nothing on the reference page talks to a third party: no AI agent, no MCP, no telemetry, no web fonts,
        // no developer toolbar, and its scripts come from the service itself.
        Assert.Contains("\"agent\":{\"disabled\":true}", page);
        Assert.Contains("\"mcp\":{\"disabled\":true}", page);
        Assert.Contains("\"telemetry\":false", page);
        Assert.Contains("\"withDefaultFonts\":false", page);
        Assert.Contains("\"showDeveloperTools\":\"never\"", page);
        Assert.DoesNotMatch("src=\"https?://", page);
    }

    [Fact]
    public async Task the_api_reference_names_the_product_groups_in_plain_words_and_declares_the_bearer_scheme()
    {
        using var openapi = System.Text.Json.JsonDocument.Parse(await (await host.SendAsync(null, s => s.Get.Url("/openapi/v1.json"))).ReadAsTextAsync());
        var root = openapi.RootElement;
        Assert.Equal("Password and account recovery API", root.GetProperty("info").GetProperty("title").GetString());
        Assert.Contains("bearer", root.GetProperty("info").GetProperty("description").GetString());
        Assert.Equal("bearer", root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());

        var paths = root.GetProperty("paths");
        string[] TagsOf(string path, string method) =>
            paths.GetProperty(path).GetProperty(method).GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray();
        bool Protected(string path, string method) => paths.GetProperty(path).GetProperty(method).TryGetProperty("security", out _);

        Assert.Equal(["Sign-in and account"], TagsOf("/api/auth/login", "post"));
        Assert.Equal(["Recovery"], TagsOf("/api/recovery/requests", "post"));
        Assert.Equal(["Administration"], TagsOf("/api/accounts", "get"));
        Assert.Equal(["Notifications"], TagsOf("/api/notifications/mail-log", "get"));
        Assert.Equal(["Settings"], TagsOf("/api/settings/mail", "put"));
        Assert.Equal(["Audit"], TagsOf("/api/audit/resets", "get"));
        Assert.True(Protected("/api/accounts", "get"));
        Assert.True(Protected("/api/me/password", "post"));
        Assert.False(Protected("/api/auth/login", "post"));
        Assert.False(Protected("/api/recovery/requests", "post"));
        Assert.False(Protected("/api/password-rules", "get"));
        var everyTag = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject()).SelectMany(o => o.Value.GetProperty("tags").EnumerateArray()).Select(t => t.GetString()!);
        Assert.DoesNotContain(everyTag, t => t.Contains('.'));
    }

    [Fact]
    public async Task api_answers_carrying_a_token_are_never_cached_and_never_sniffed()
    {
        var login = await host.SendAsync(null, s => s.Post.Json(new { login = RecoveryHost.RootUsername, password = RecoveryHost.RootPassword }).ToUrl("/api/auth/login"));
        Assert.Equal(200, login.Context.Response.StatusCode);
        Assert.Equal("no-store", login.Context.Response.Headers.CacheControl.ToString());
        Assert.Equal("nosniff", login.Context.Response.Headers.XContentTypeOptions.ToString());
    }

    [Fact]
    public async Task an_unknown_route_is_a_404_problem_with_a_code()
    {
        var problem = await Problem.ReadAsync(await host.SendAsync(null, s => s.Get.Url("/api/nothing-here")));
        Assert.Equal((404, "not_found"), (problem.Status, problem.Code));
    }

    [Fact]
    public async Task an_unparseable_query_value_is_a_400_problem()
    {
        var problem = await Problem.ReadAsync(await host.SendAsync(await host.RootTokenAsync(), s => s.Get.Url("/api/accounts?page=abc")));
        Assert.Equal((400, "invalid_request"), (problem.Status, problem.Code));
    }
}

public sealed class BadInputTests(OperationsHost host) : IClassFixture<OperationsHost>
{
    [Theory]
    [InlineData("/api/auth/login", false)]
    [InlineData("/api/recovery/requests", false)]
    [InlineData("/api/recovery/otp/verify", false)]
    [InlineData("/api/recovery/reset", false)]
    [InlineData("/api/me/password", true)]
    [InlineData("/api/accounts", true)]
    public async Task a_null_json_body_is_a_400_problem_never_a_500(string route, bool signedIn)
    {
        var token = signedIn ? await host.RootTokenAsync() : null;
        var result = await host.SendAsync(token, s =>
        {
            s.Post.Text("null").ToUrl(route);
            s.WithRequestHeader("Content-Type", "application/json");
        });
        var problem = await Problem.ReadAsync(result);
        Assert.Equal((400, "invalid_request"), (problem.Status, problem.Code));
    }

    [Theory]
    [InlineData("/api/accounts")]
    [InlineData("/api/audit/events")]
    [InlineData("/api/audit/resets")]
    [InlineData("/api/notifications/mail-log")]
    [InlineData("/api/notifications/scheduled")]
    public async Task a_page_number_beyond_any_offset_answers_an_empty_page(string route)
    {
        var result = await host.SendAsync(await host.RootTokenAsync(), s => s.Get.Url($"{route}?page=2147483647&pageSize=500"));
        Assert.Equal(200, result.Context.Response.StatusCode);
        Assert.Contains("\"items\":[]", await result.ReadAsTextAsync());
    }
}
