using System.Text.Json;
using Accounts.Passwords;
using Alba;
using Testing;

namespace Accounts.Tests;

/// <summary>
/// NIST SP 800-63B's blocklist, by zxcvbn's estimate: a password as guessable as the most breached ones is refused as
/// <c>common_password</c>, and the answer says why and how to do better.
/// </summary>
public sealed class PasswordStrengthTests(PasswordStrengthTests.StrengthHost host) : IClassFixture<PasswordStrengthTests.StrengthHost>
{
    public sealed class StrengthHost : RecoveryHost;

    private async Task<string> NewAccountAsync()
    {
        var username = $"str{Guid.NewGuid():N}"[..12];
        await host.CreateAccountAsync(username, "Copper-Kettle-Rain-5");
        return await host.SignInAsync(username, "Copper-Kettle-Rain-5");
    }

    private Task<IScenarioResult> ChangeAsync(string token, string next) =>
        host.SendAsync(token, s => s.Post.Json(new { currentPassword = "Copper-Kettle-Rain-5", newPassword = next, confirmPassword = next }).ToUrl("/api/me/password"));

    [Fact]
    public async Task Password123_passes_every_composition_rule_but_is_refused_as_common_with_zxcvbns_advice()
    {
        var answer = await ChangeAsync(await NewAccountAsync(), "Password123!");
        var problem = await Problem.ReadAsync(answer);
        Assert.Equal((400, "password_policy"), (problem.Status, problem.Code));
        Assert.Equal(["common_password"], problem.Violations);

        using var json = JsonDocument.Parse(await answer.ReadAsTextAsync());
        var feedback = json.RootElement.GetProperty("feedback");
        var suggestions = feedback.GetProperty("suggestions").EnumerateArray().Select(h => h.GetProperty("code").GetString()).ToArray();
        Assert.Contains("add_another_word", suggestions);
        Assert.Contains("capitalization", suggestions);
        Assert.False(string.IsNullOrEmpty(feedback.GetProperty("suggestions")[0].GetProperty("message").GetString()));
    }

    [Fact]
    public async Task a_passphrase_of_uncommon_words_is_accepted()
    {
        Assert.Equal(204, (await ChangeAsync(await NewAccountAsync(), "Juniper-Lighthouse-404")).Context.Response.StatusCode);
    }

    [Fact]
    public async Task the_minimum_strength_is_a_field_of_the_policy_zero_turns_it_off_and_the_rules_show_it()
    {
        var root = await host.RootTokenAsync();
        var rules = await (await host.SendAsync(null, s => s.Get.Url("/api/password-rules"))).ReadAsJsonAsync<Dictionary<string, JsonElement>>();
        Assert.Equal(2, rules!["minStrength"].GetInt32());

        var impossible = await host.SendAsync(root, s => s.Put.Json(PasswordPolicy.Default with { MinStrength = 5 }).ToUrl("/api/settings/password-policy"));
        Assert.Equal((400, "invalid_request"), ((await Problem.ReadAsync(impossible)).Status, (await Problem.ReadAsync(impossible)).Code));

        Assert.Equal(200, (await host.SendAsync(root, s => s.Put.Json(PasswordPolicy.Default with { MinStrength = 0 }).ToUrl("/api/settings/password-policy"))).Context.Response.StatusCode);
        try
        {
            Assert.Equal(204, (await ChangeAsync(await NewAccountAsync(), "Password123!")).Context.Response.StatusCode);
        }
        finally
        {
            await host.SendAsync(root, s => s.Put.Json(PasswordPolicy.Default).ToUrl("/api/settings/password-policy"));
        }
    }
}

/// <summary>zxcvbn's advice as ported: the warning and suggestions for the kinds of weakness it recognises.</summary>
public class PasswordAdviceTests
{
    private static (string? Warning, string[] Suggestions) Advise(string password, params string[] userInputs)
    {
        var advice = PasswordStrength.Advice(password, userInputs);
        return (advice.Warning?.Code, advice.Suggestions.Select(s => s.Code).ToArray());
    }

    [Theory]
    [InlineData("password", "top_10_password")]
    [InlineData("zxcvbnm,./", "straight_rows_of_keys")]
    [InlineData("wsxcde", "short_keyboard_patterns")]
    [InlineData("zzzzzzzzzz", "repeated_characters")]
    [InlineData("abcdefghij", "sequences")]
    public void the_warning_names_the_weakness(string password, string warning)
    {
        var (actual, suggestions) = Advise(password);
        Assert.Equal(warning, actual);
        Assert.Equal("add_another_word", suggestions[0]);
    }

    [Fact]
    public void predictable_substitutions_and_capitals_are_called_out()
    {
        var (warning, suggestions) = Advise("P@ssw0rd");
        Assert.Equal("similar_to_common_password", warning);
        Assert.Contains("predictable_substitutions", suggestions);
    }

    [Fact]
    public void guessability_is_judged_with_the_persons_own_details()
    {
        Assert.True(PasswordStrength.Score("Juniper-Lighthouse-404", []) >= 3);
        Assert.True(PasswordStrength.Score("Juniper-Lighthouse-404", ["juniper-lighthouse-404"]) < 2);
    }

    [Fact]
    public void only_the_first_hundred_characters_are_estimated_so_a_long_weak_password_stays_weak()
    {
        Assert.True(PasswordStrength.Score(new string('a', 4000), []) < 2);
    }
}
