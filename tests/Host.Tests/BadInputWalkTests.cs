using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Testing;

namespace Host.Tests;

/// <summary>
/// Every route of the OpenAPI document, sent the kinds of malformed input a fuzzer found: a NUL character in every
/// string field and query parameter, the all-zero id, duplicate keys, unknown members, an empty object, invalid UTF-8,
/// a body declared as UTF-16, a megabyte of spaces. None may answer 5xx.
/// </summary>
public sealed class BadInputWalkTests(OperationsHost host) : IClassFixture<OperationsHost>
{
    private static readonly string ZeroId = Guid.Empty.ToString();

    [Fact]
    public async Task no_route_answers_5xx_to_malformed_input()
    {
        var document = JsonNode.Parse(await (await host.SendAsync(null, s => s.Get.Url("/openapi/v1.json"))).ReadAsTextAsync())!;
        var failures = new List<string>();
        var routes = 0;
        // Wrong current passwords count towards the lockout: turn it off, or the walk would lock root out of its own session.
        // Again before every route, since the walk itself may put a valid policy with the lockout on.
        async Task NoLockoutAsync()
        {
            var policy = await host.SendAsync(await host.SignInAsync(RecoveryHost.RootUsername, RecoveryHost.RootPassword), s => s.Put.Json(new
            {
                minLength = 8, maxLength = 128, requireUppercase = true, requireLowercase = true, requireDigit = true, requireSpecial = true,
                disallowUsername = true, disallowCommon = true, historyCount = 3, lockoutThreshold = 0, lockoutMinutes = 15,
            }).ToUrl("/api/settings/password-policy"));
            Assert.Equal(200, policy.Context.Response.StatusCode);
        }

        foreach (var (path, item) in document["paths"]!.AsObject())
        foreach (var (method, operation) in item!.AsObject())
        {
            if (path is "/api/auth/logout" || (path == "/api/me/sessions" && method == "delete")) continue; // would end the walk's session
            routes++;
            var url = path.Replace("{id}", ZeroId);
            await NoLockoutAsync();
            var token = await host.SignInAsync(RecoveryHost.RootUsername, RecoveryHost.RootPassword);
            var schema = RequestSchema(document, operation!);

            var queries = (operation!["parameters"]?.AsArray() ?? [])
                .Where(p => (string?)p!["in"] == "query")
                .Select(p => $"{(string)p!["name"]!}=%00x")
                .ToList();
            if (queries.Count > 0) await Check(method, url + "?" + string.Join("&", queries), null, "application/json", "NUL in the query");
            await Check(method, path.Replace("{id}", Guid.NewGuid().ToString()), null, "application/json", "an unknown id");

            if (method is "post" or "put" or "patch")
            {
                if (schema is not null) await Check(method, url, Encoding.UTF8.GetBytes(BodyWithNul(document, schema).ToJsonString()), "application/json", "NUL in every string field");
                await Check(method, url, "{\"a\":1,\"a\":2}"u8.ToArray(), "application/json", "duplicate keys");
                await Check(method, url, "{\"$type\":\"System.Object\",\"extra\":1}"u8.ToArray(), "application/json", "unknown members");
                await Check(method, url, "{}"u8.ToArray(), "application/json", "an empty object");
                await Check(method, url, [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d], "application/json", "invalid UTF-8");
                await Check(method, url, "{\"a\":\"b\"}"u8.ToArray(), "application/json; charset=utf-16", "UTF-8 declared as UTF-16");
                await Check(method, url, Encoding.UTF8.GetBytes(new string(' ', 1 << 20) + "{}"), "application/json", "a megabyte of spaces");
            }

            async Task Check(string verb, string target, byte[]? body, string contentType, string what)
            {
                var result = await host.SendAsync(token, s =>
                {
                    var send = verb switch
                    {
                        "get" => s.Get,
                        "post" => s.Post,
                        "put" => s.Put,
                        "patch" => s.Patch,
                        _ => s.Delete,
                    };
                    if (body is null)
                    {
                        send.Url(target);
                    }
                    else
                    {
                        send.ByteArray(body).ToUrl(target);
                        s.WithRequestHeader("Content-Type", contentType);
                    }
                });
                var status = result.Context.Response.StatusCode;
                if (status >= 500) failures.Add($"{verb.ToUpperInvariant()} {target} with {what}: {status} {await result.ReadAsTextAsync()}");
            }
        }

        Assert.True(routes > 30, $"only {routes} routes walked");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task a_control_character_is_a_400_problem_and_the_all_zero_id_a_404()
    {
        var token = await host.RootTokenAsync();
        var login = await Problem.ReadAsync(await host.SendAsync(null, s => s.Post.Json(new { login = "ro\u0000ot", password = "x" }).ToUrl("/api/auth/login")));
        Assert.Equal(400, login.Status);
        var query = await Problem.ReadAsync(await host.SendAsync(token, s => s.Get.Url("/api/accounts?keyword=a%00b")));
        Assert.Equal((400, "invalid_request"), (query.Status, query.Code));
        var zero = await Problem.ReadAsync(await host.SendAsync(token, s => s.Patch.Json(new { disabled = true }).ToUrl($"/api/accounts/{ZeroId}")));
        Assert.Equal((404, "not_found"), (zero.Status, zero.Code));
    }

    [Fact]
    public async Task over_long_input_is_refused_before_it_is_read_normalised_or_queried()
    {
        var big = await Problem.ReadAsync(await host.SendAsync(null, s =>
        {
            s.Post.ByteArray(Encoding.UTF8.GetBytes("{\"login\":\"" + new string('a', 70_000) + "\"}")).ToUrl("/api/auth/login");
            s.WithRequestHeader("Content-Type", "application/json");
        }));
        Assert.Equal((413, "payload_too_large"), (big.Status, big.Code));

        // Within the body limit, but longer than any login or password can be: refused like any wrong sign-in.
        var login = await Problem.ReadAsync(await host.SendAsync(null, s => s.Post.Json(new { login = new string('a', 5_000), password = "x" }).ToUrl("/api/auth/login")));
        Assert.Equal((401, "invalid_credentials"), (login.Status, login.Code));
        var expanding = await Problem.ReadAsync(await host.SendAsync(null, s => s.Post.Json(new { login = RecoveryHost.RootUsername, password = new string('\uFDFA', 9_000) }).ToUrl("/api/auth/login")));
        Assert.Equal((401, "invalid_credentials"), (expanding.Status, expanding.Code));
        Assert.Equal(4096 * 18, Accounts.Passwords.PasswordText.Normalize(new string('\uFDFA', 4096)).Length);
        Assert.Equal(4097, Accounts.Passwords.PasswordText.Normalize(new string('\uFDFA', 4097)).Length);
    }

    private static JsonNode? RequestSchema(JsonNode document, JsonNode operation) =>
        Resolve(document, operation["requestBody"]?["content"]?["application/json"]?["schema"]);

    private static JsonNode? Resolve(JsonNode document, JsonNode? schema)
    {
        if (schema?["$ref"] is { } reference)
            return document["components"]!["schemas"]![((string)reference!).Split('/')[^1]];
        return schema;
    }

    private static JsonObject BodyWithNul(JsonNode document, JsonNode schema)
    {
        var body = new JsonObject();
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            var resolved = Resolve(document, property);
            var type = resolved?["type"]?.ToJsonString() ?? "\"string\"";
            body[name] = type.Contains("integer") || type.Contains("number") ? 1
                : type.Contains("boolean") ? true
                : type.Contains("array") ? new JsonArray("a\u0000b")
                : "a\u0000b";
        }
        return body;
    }
}
