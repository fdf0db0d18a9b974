using System.Text;
using Accounts.Passwords;
using Alba;
using Testing;

namespace Accounts.Tests;

public sealed class ChangingPasswordTests(AccountsHost host) : IClassFixture<AccountsHost>
{
    private async Task<(string Token, string Username)> NewAccountAsync(string password, string? email = null)
    {
        var username = $"user{Guid.NewGuid():N}"[..12];
        await host.CreateAccountAsync(username, password, email: email);
        return (await host.SignInAsync(username, password), username);
    }

    private Task<IScenarioResult> ChangeAsync(string token, string current, string next, string? confirm = null) =>
        host.SendAsync(token, s => s.Post.Json(new { currentPassword = current, newPassword = next, confirmPassword = confirm ?? next }).ToUrl("/api/me/password"));

    [Fact]
    public async Task the_current_password_is_required()
    {
        var (token, _) = await NewAccountAsync("Violet-Canyon-31");
        var problem = await Problem.ReadAsync(await ChangeAsync(token, "Violet-Canyon-32", "Amber-Forest-77"));
        Assert.Equal((400, "invalid_current_password"), (problem.Status, problem.Code));
    }

    [Fact]
    public async Task every_policy_violation_is_reported_at_once()
    {
        var (token, _) = await NewAccountAsync("Violet-Canyon-31");
        var problem = await Problem.ReadAsync(await ChangeAsync(token, "Violet-Canyon-31", "abc", "abd"));
        Assert.Equal((400, "password_policy"), (problem.Status, problem.Code));
        Assert.Equivalent(new[] { "too_short", "missing_uppercase", "missing_digit", "missing_special", "common_password", "mismatch" }, problem.Violations, strict: true);
    }

    [Fact]
    public async Task common_passwords_are_refused_even_with_substitutions()
    {
        var (token, _) = await NewAccountAsync("Violet-Canyon-31");
        var plain = await Problem.ReadAsync(await ChangeAsync(token, "Violet-Canyon-31", "password"));
        var leet = await Problem.ReadAsync(await ChangeAsync(token, "Violet-Canyon-31", "P@ssw0rd"));
        Assert.Contains("common_password", plain.Violations);
        Assert.Contains("common_password", leet.Violations);
    }

    [Fact]
    public async Task a_password_containing_the_username_or_the_email_local_part_is_refused()
    {
        var (token, username) = await NewAccountAsync("Violet-Canyon-31", email: $"{Guid.NewGuid():N}"[..8] + "-jdoe@example.test");
        var me = await (await host.SendAsync(token, s => s.Get.Url("/api/me"))).ReadAsJsonAsync<SigningInTests.MeAnswer>();
        var local = me!.Email!.Split('@')[0];

        var byName = await Problem.ReadAsync(await ChangeAsync(token, "Violet-Canyon-31", $"X1!{username.ToUpperInvariant()}"));
        var byEmail = await Problem.ReadAsync(await ChangeAsync(token, "Violet-Canyon-31", $"Q9#{local}"));
        Assert.Contains("contains_username", byName.Violations);
        Assert.Contains("contains_username", byEmail.Violations);
    }

    [Fact]
    public async Task a_ten_thousand_character_password_is_refused_as_too_long_without_hashing()
    {
        var (token, _) = await NewAccountAsync("Violet-Canyon-31");
        var hasher = host.Service<PasswordHasher>();
        var huge = new string('A', 5000) + new string('b', 4990) + "1!1!1!1!1!";
        var before = hasher.HashesComputed;

        var problem = await Problem.ReadAsync(await ChangeAsync(token, "Violet-Canyon-31", huge));

        Assert.Equal((400, "password_policy"), (problem.Status, problem.Code));
        Assert.Equal(["too_long"], problem.Violations);
        Assert.Equal(before, hasher.HashesComputed);
    }

    [Fact]
    public async Task a_change_ends_every_session_of_the_account_including_the_current_one()
    {
        var (first, username) = await NewAccountAsync("Violet-Canyon-31");
        var second = await host.SignInAsync(username, "Violet-Canyon-31");

        Assert.Equal(204, (await ChangeAsync(first, "Violet-Canyon-31", "Amber-Forest-77")).Context.Response.StatusCode);

        Assert.Equal(401, (await host.SendAsync(first, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
        Assert.Equal(401, (await host.SendAsync(second, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
        Assert.False(string.IsNullOrEmpty(await host.SignInAsync(username, "Amber-Forest-77")));
    }

    [Fact]
    public async Task the_nfc_and_nfd_forms_of_a_password_are_the_same_password()
    {
        var composed = "Crème-Brûlée-2024!".Normalize(NormalizationForm.FormC);
        var decomposed = composed.Normalize(NormalizationForm.FormD);
        Assert.NotEqual(composed, decomposed);

        var (token, username) = await NewAccountAsync("Violet-Canyon-31");
        Assert.Equal(204, (await ChangeAsync(token, "Violet-Canyon-31", composed)).Context.Response.StatusCode);

        Assert.False(string.IsNullOrEmpty(await host.SignInAsync(username, composed)));
        Assert.False(string.IsNullOrEmpty(await host.SignInAsync(username, decomposed)));
    }

    [Fact]
    public async Task a_change_tells_the_owner_by_email()
    {
        var email = $"{Guid.NewGuid():N}"[..10] + "@example.test";
        var (token, _) = await NewAccountAsync("Violet-Canyon-31", email);
        Assert.Equal(204, (await ChangeAsync(token, "Violet-Canyon-31", "Amber-Forest-77")).Context.Response.StatusCode);

        var message = await Mailbox.WaitForAsync(host.PickupDirectory, email);
        Assert.Contains("password", message.Subject, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Amber-Forest-77", message.ToString());
    }
}
