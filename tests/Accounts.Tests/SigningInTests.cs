using Accounts.Passwords;
using Alba;
using Testing;

namespace Accounts.Tests;

public sealed class SigningInTests(AccountsHost host) : IClassFixture<AccountsHost>
{
    [Fact]
    public async Task root_account_is_created_from_bootstrap_configuration_and_can_sign_in()
    {
        var token = await host.SignInAsync(RecoveryHost.RootUsername, RecoveryHost.RootPassword);
        var me = await host.SendAsync(token, s => s.Get.Url("/api/me"));
        var body = await me.ReadAsJsonAsync<MeAnswer>();
        Assert.Equal(200, me.Context.Response.StatusCode);
        Assert.Equal("root", body!.Username);
        Assert.Equal(["root"], body.Roles);
    }

    [Fact]
    public async Task sign_in_accepts_the_email_as_login_in_any_case()
    {
        await host.CreateAccountAsync("emma", "Sunflower-Meadow-42", email: "Emma.Stone@Example.test");
        var token = await host.SignInAsync("emma.stone@example.TEST", "Sunflower-Meadow-42");
        Assert.False(string.IsNullOrEmpty(token));
    }

    [Fact]
    public async Task unknown_login_and_wrong_password_get_the_same_problem_and_each_spends_one_hash()
    {
        await host.CreateAccountAsync("frank", "Granite-Harbour-17");
        var hasher = host.Service<PasswordHasher>();

        var before = (hasher.HashesComputed, Events: await EventCountAsync());
        var wrong = await host.SendAsync(null, s => s.Post.Json(new { login = "frank", password = "Granite-Harbour-18" }).ToUrl("/api/auth/login"));
        var afterWrong = (hasher.HashesComputed, Events: await EventCountAsync());
        var unknown = await host.SendAsync(null, s => s.Post.Json(new { login = "nobody-here", password = "Granite-Harbour-18" }).ToUrl("/api/auth/login"));
        var afterUnknown = (hasher.HashesComputed, Events: await EventCountAsync());

        var a = await Problem.ReadAsync(wrong);
        var b = await Problem.ReadAsync(unknown);
        Assert.Equal((401, "invalid_credentials"), (a.Status, a.Code));
        Assert.Equal(a with { }, b);
        Assert.Equal("application/problem+json", a.ContentType);
        // The same work either way: one Argon2 computation and one recorded event.
        Assert.Equal((1L, 1L), (afterWrong.HashesComputed - before.HashesComputed, afterWrong.Events - before.Events));
        Assert.Equal((1L, 1L), (afterUnknown.HashesComputed - afterWrong.HashesComputed, afterUnknown.Events - afterWrong.Events));
    }

    [Fact]
    public async Task a_request_without_a_valid_token_is_answered_401_problem()
    {
        var none = await host.SendAsync(null, s => s.Get.Url("/api/me"));
        var bogus = await host.SendAsync("not-a-real-token", s => s.Get.Url("/api/me"));
        Assert.Equal(401, (await Problem.ReadAsync(none)).Status);
        Assert.Equal(401, (await Problem.ReadAsync(bogus)).Status);
    }

    [Fact]
    public async Task logout_ends_only_that_session()
    {
        await host.CreateAccountAsync("gina", "Lantern-Orchard-88");
        var first = await host.SignInAsync("gina", "Lantern-Orchard-88");
        var second = await host.SignInAsync("gina", "Lantern-Orchard-88");

        var logout = await host.SendAsync(first, s => s.Post.Url("/api/auth/logout"));
        Assert.Equal(204, logout.Context.Response.StatusCode);
        Assert.Equal(401, (await host.SendAsync(first, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
        Assert.Equal(200, (await host.SendAsync(second, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
    }

    [Fact]
    public async Task own_sessions_are_listed_and_can_all_be_ended()
    {
        await host.CreateAccountAsync("hugo", "Copper-Kettle-Rain-5");
        var first = await host.SignInAsync("hugo", "Copper-Kettle-Rain-5");
        var second = await host.SignInAsync("hugo", "Copper-Kettle-Rain-5");

        var list = await (await host.SendAsync(first, s => s.Get.Url("/api/me/sessions"))).ReadAsJsonAsync<SessionsAnswer>();
        Assert.Equal(2, list!.Items.Length);
        Assert.Single(list.Items, i => i.Current);

        Assert.Equal(204, (await host.SendAsync(first, s => s.Delete.Url("/api/me/sessions"))).Context.Response.StatusCode);
        Assert.Equal(401, (await host.SendAsync(first, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
        Assert.Equal(401, (await host.SendAsync(second, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
    }

    [Fact]
    public async Task malformed_json_is_answered_400_problem_json()
    {
        var result = await host.SendAsync(null, s =>
        {
            s.Post.Text("{\"login\": \"root\",").ToUrl("/api/auth/login");
            s.WithRequestHeader("Content-Type", "application/json");
        });
        var problem = await Problem.ReadAsync(result);
        Assert.Equal(400, problem.Status);
        Assert.Equal("application/problem+json", problem.ContentType);
        Assert.Equal("invalid_request", problem.Code);
    }

    private async Task<long> EventCountAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select count(*) from recovery.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public sealed record MeAnswer(Guid Id, string Username, string? Email, string? Phone, string[] Roles, bool MustChangePassword);

    public sealed record SessionsAnswer(SessionItem[] Items);

    public sealed record SessionItem(Guid Id, bool Current);
}
