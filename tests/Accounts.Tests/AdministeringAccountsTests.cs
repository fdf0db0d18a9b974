using Alba;
using Testing;

namespace Accounts.Tests;

public sealed class AdministeringAccountsTests(AccountsHost host) : IClassFixture<AccountsHost>
{
    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..12];

    private async Task<IScenarioResult> CreateAsync(string? token, object body) =>
        await host.SendAsync(token ?? await host.RootTokenAsync(), s => s.Post.Json(body).ToUrl("/api/accounts"));

    [Fact]
    public async Task duplicate_usernames_and_emails_are_refused_whatever_their_case()
    {
        var name = Unique("dup");
        await host.CreateAccountAsync(name, "Maple-Harvest-55", email: $"{name}@example.test");

        var sameName = await Problem.ReadAsync(await CreateAsync(null, new { username = name.ToUpperInvariant(), email = $"other-{name}@example.test", roles = new[] { "user" }, password = "Maple-Harvest-55" }));
        var sameEmail = await Problem.ReadAsync(await CreateAsync(null, new { username = Unique("oth"), email = $"{name.ToUpperInvariant()}@EXAMPLE.test", roles = new[] { "user" }, password = "Maple-Harvest-55" }));
        Assert.Equal((409, "duplicate"), (sameName.Status, sameName.Code));
        Assert.Equal((409, "duplicate"), (sameEmail.Status, sameEmail.Code));
    }

    [Fact]
    public async Task a_new_account_must_meet_the_password_policy()
    {
        var problem = await Problem.ReadAsync(await CreateAsync(null, new { username = Unique("weak"), email = (string?)null, roles = new[] { "user" }, password = "short" }));
        Assert.Equal((400, "password_policy"), (problem.Status, problem.Code));
        Assert.Contains("too_short", problem.Violations);
    }

    [Fact]
    public async Task bad_fields_are_answered_with_their_own_codes()
    {
        var phone = await Problem.ReadAsync(await CreateAsync(null, new { username = Unique("ph"), phone = "0791234567", roles = new[] { "user" }, password = "Maple-Harvest-55" }));
        var email = await Problem.ReadAsync(await CreateAsync(null, new { username = Unique("em"), email = "not-an-email", roles = new[] { "user" }, password = "Maple-Harvest-55" }));
        var role = await Problem.ReadAsync(await CreateAsync(null, new { username = Unique("ro"), roles = new[] { "wizard" }, password = "Maple-Harvest-55" }));
        Assert.Equal("invalid_phone", phone.Code);
        Assert.Equal("invalid_email", email.Code);
        Assert.Equal("invalid_roles", role.Code);
    }

    [Fact]
    public async Task accounts_are_found_by_keyword_in_username_email_or_phone_with_paging()
    {
        var tag = Unique("kw");
        await host.CreateAccountAsync($"{tag}a", "Maple-Harvest-55", email: $"{tag}a@example.test");
        await host.CreateAccountAsync(Unique("zz"), "Maple-Harvest-55", email: $"{tag}b@example.test");
        await host.CreateAccountAsync(Unique("pp"), "Maple-Harvest-55", phone: "+41 44 668 18 00");
        var root = await host.RootTokenAsync();

        var byTag = await (await host.SendAsync(root, s => s.Get.Url($"/api/accounts?keyword={tag}&page=1&pageSize=1"))).ReadAsJsonAsync<AccountPageAnswer>();
        Assert.Equal(2, byTag!.Total);
        Assert.Single(byTag.Items);
        var second = await (await host.SendAsync(root, s => s.Get.Url($"/api/accounts?keyword={tag}&page=2&pageSize=1"))).ReadAsJsonAsync<AccountPageAnswer>();
        Assert.NotEqual(byTag.Items[0].Id, Assert.Single(second!.Items).Id);

        var byPhone = await (await host.SendAsync(root, s => s.Get.Url("/api/accounts?keyword=%2B41446681800"))).ReadAsJsonAsync<AccountPageAnswer>();
        Assert.Equal("+41446681800", Assert.Single(byPhone!.Items).Phone);
    }

    [Fact]
    public async Task an_account_is_read_and_patched_and_an_unknown_one_is_404()
    {
        var id = await host.CreateAccountAsync(Unique("pa"), "Maple-Harvest-55");
        var root = await host.RootTokenAsync();

        var patched = await host.SendAsync(root, s => s.Patch.Json(new { email = "patched@example.test", phone = "+14155552671", roles = new[] { "user", "auditor" } }).ToUrl($"/api/accounts/{id}"));
        var view = await patched.ReadAsJsonAsync<AccountItem>();
        Assert.Equal(200, patched.Context.Response.StatusCode);
        Assert.Equal(("patched@example.test", "+14155552671"), (view!.Email, view.Phone));
        Assert.Equivalent(new[] { "user", "auditor" }, view.Roles);

        var read = await (await host.SendAsync(root, s => s.Get.Url($"/api/accounts/{id}"))).ReadAsJsonAsync<AccountItem>();
        Assert.Equal("patched@example.test", read!.Email);

        var missing = await Problem.ReadAsync(await host.SendAsync(root, s => s.Get.Url($"/api/accounts/{Guid.NewGuid()}")));
        Assert.Equal((404, "not_found"), (missing.Status, missing.Code));
    }

    [Fact]
    public async Task disabling_an_account_ends_its_sessions_and_refuses_its_sign_in()
    {
        var name = Unique("dis");
        var id = await host.CreateAccountAsync(name, "Maple-Harvest-55");
        var token = await host.SignInAsync(name, "Maple-Harvest-55");

        var patched = await host.SendAsync(await host.RootTokenAsync(), s => s.Patch.Json(new { disabled = true }).ToUrl($"/api/accounts/{id}"));
        Assert.Equal("disabled", (await patched.ReadAsJsonAsync<AccountItem>())!.Status);
        Assert.Equal(401, (await host.SendAsync(token, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
        var signIn = await host.SendAsync(null, s => s.Post.Json(new { login = name, password = "Maple-Harvest-55" }).ToUrl("/api/auth/login"));
        Assert.Equal("invalid_credentials", (await Problem.ReadAsync(signIn)).Code);
    }

    [Fact]
    public async Task a_user_without_the_admin_role_gets_403_and_an_admin_cannot_grant_root()
    {
        var user = Unique("usr");
        await host.CreateAccountAsync(user, "Maple-Harvest-55");
        var userToken = await host.SignInAsync(user, "Maple-Harvest-55");
        var forbidden = await Problem.ReadAsync(await host.SendAsync(userToken, s => s.Get.Url("/api/accounts")));
        Assert.Equal(403, forbidden.Status);

        var admin = Unique("adm");
        await host.CreateAccountAsync(admin, "Maple-Harvest-55", roles: ["admin"]);
        var adminToken = await host.SignInAsync(admin, "Maple-Harvest-55");
        var grant = await Problem.ReadAsync(await CreateAsync(adminToken, new { username = Unique("rt"), roles = new[] { "root" }, password = "Maple-Harvest-55" }));
        Assert.Equal(403, grant.Status);
    }

    [Fact]
    public async Task an_account_that_must_change_its_password_may_only_read_me_change_it_and_sign_out()
    {
        var name = Unique("mcp");
        await host.CreateAccountAsync(name, "Maple-Harvest-55", roles: ["admin"], mustChangePassword: true);
        var signIn = await host.SendAsync(null, s => s.Post.Json(new { login = name, password = "Maple-Harvest-55" }).ToUrl("/api/auth/login"));
        var answer = await signIn.ReadAsJsonAsync<RecoveryHost.TokenAnswer>();
        Assert.True(answer!.MustChangePassword);

        var blocked = await Problem.ReadAsync(await host.SendAsync(answer.Token, s => s.Get.Url("/api/accounts")));
        Assert.Equal((403, "password_change_required"), (blocked.Status, blocked.Code));
        Assert.Equal(200, (await host.SendAsync(answer.Token, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);

        var change = await host.SendAsync(answer.Token, s => s.Post.Json(new { currentPassword = "Maple-Harvest-55", newPassword = "Cobalt-Lagoon-71", confirmPassword = "Cobalt-Lagoon-71" }).ToUrl("/api/me/password"));
        Assert.Equal(204, change.Context.Response.StatusCode);

        var fresh = await host.SignInAsync(name, "Cobalt-Lagoon-71");
        Assert.Equal(200, (await host.SendAsync(fresh, s => s.Get.Url("/api/accounts"))).Context.Response.StatusCode);
    }
}
