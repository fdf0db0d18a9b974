using Alba;
using Audit.SecurityLog;
using Marten;
using Testing;

namespace Audit.Tests;

public sealed class AuditHost : RecoveryHost;

public sealed class SecurityLogTests(AuditHost host) : IClassFixture<AuditHost>
{
    private async Task<SecurityLogPage> ReadAsync(string token, string query)
    {
        var result = await host.SendAsync(token, s => s.Get.Url($"/api/audit/events?{query}"));
        Assert.Equal(200, result.Context.Response.StatusCode);
        return (await result.ReadAsJsonAsync<SecurityLogPage>())!;
    }

    [Fact]
    public async Task sign_ins_failures_locks_unlocks_and_password_changes_appear_in_the_log_of_the_account()
    {
        var name = $"aud{Guid.NewGuid():N}"[..10];
        var id = await host.CreateAccountAsync(name, "Meadow-Lark-Song-4");
        for (var i = 0; i < 5; i++) await host.SendAsync(null, s => s.Post.Json(new { login = name, password = "Wrong-Password-1" }).ToUrl("/api/auth/login"));
        var root = await host.RootTokenAsync();
        await host.SendAsync(root, s => s.Post.Url($"/api/accounts/{id}/unlock"));
        var token = await host.SignInAsync(name, "Meadow-Lark-Song-4");
        await host.SendAsync(token, s => s.Post.Json(new { currentPassword = "Meadow-Lark-Song-4", newPassword = "River-Stone-Path-6", confirmPassword = "River-Stone-Path-6" }).ToUrl("/api/me/password"));

        var log = await ReadAsync(root, $"accountId={id}&pageSize=100");
        var types = log.Items.Select(e => e.Type).ToList();
        Assert.Equal(5, types.Count(t => t == "sign_in_failed"));
        Assert.Contains("account_registered", types);
        Assert.Contains("account_locked", types);
        Assert.Contains("account_unlocked", types);
        Assert.Contains("signed_in", types);
        Assert.Contains("password_changed", types);
        Assert.Contains("sessions_ended", types);
        Assert.All(log.Items, e => Assert.Equal(id, e.AccountId));
        Assert.True(log.Items.Zip(log.Items.Skip(1)).All(p => p.First.At >= p.Second.At), "newest first");
        Assert.DoesNotContain(log.Items, e => e.Summary.Contains("Meadow-Lark") || e.Summary.Contains("River-Stone"));
    }

    [Fact]
    public async Task sign_ins_for_unknown_logins_are_logged_without_the_login_itself()
    {
        var ghost = $"ghost-{Guid.NewGuid():N}";
        await host.SendAsync(null, s => s.Post.Json(new { login = ghost, password = "Typed-Into-Login-1" }).ToUrl("/api/auth/login"));
        await host.SendAsync(null, s => s.Post.Json(new { login = ghost.ToUpperInvariant(), password = "Typed-Into-Login-2" }).ToUrl("/api/auth/login"));

        var log = await ReadAsync(await host.RootTokenAsync(), "type=unknown_login_sign_in_failed&pageSize=500");
        var mine = log.Items.GroupBy(e => e.Summary).Where(g => g.Count() == 2).ToList();
        Assert.Single(mine);
        Assert.All(log.Items, e => Assert.Null(e.AccountId));
        Assert.DoesNotContain(log.Items, e => e.Summary.Contains(ghost, StringComparison.OrdinalIgnoreCase) || e.Summary.Contains("Typed-Into"));
    }

    [Fact]
    public async Task the_log_filters_by_type_and_time_and_pages()
    {
        var root = await host.RootTokenAsync();
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        await host.SendAsync(root, s => s.Put.Json(new { minLength = 8, maxLength = 128, requireUppercase = true, requireLowercase = true, requireDigit = true, requireSpecial = true, disallowUsername = true, disallowCommon = true, historyCount = 4, lockoutThreshold = 5, lockoutMinutes = 15 }).ToUrl("/api/settings/password-policy"));
        await host.SendAsync(root, s => s.Put.Json(new { minLength = 8, maxLength = 128, requireUppercase = true, requireLowercase = true, requireDigit = true, requireSpecial = true, disallowUsername = true, disallowCommon = true, historyCount = 3, lockoutThreshold = 5, lockoutMinutes = 15 }).ToUrl("/api/settings/password-policy"));

        var changes = await ReadAsync(root, $"type=password_policy_changed&from={Uri.EscapeDataString(start.ToString("O"))}&pageSize=1");
        Assert.Equal(2, changes.Total);
        var entry = Assert.Single(changes.Items);
        Assert.NotNull(entry.ActorId);
        var none = await ReadAsync(root, $"type=password_policy_changed&to={Uri.EscapeDataString(start.AddDays(-1).ToString("O"))}");
        Assert.Equal(0, none.Total);
    }

    [Fact]
    public async Task auditors_may_read_the_log_and_plain_users_may_not()
    {
        var auditor = $"aa{Guid.NewGuid():N}"[..10];
        var user = $"uu{Guid.NewGuid():N}"[..10];
        await host.CreateAccountAsync(auditor, "Meadow-Lark-Song-4", roles: ["auditor"]);
        await host.CreateAccountAsync(user, "Meadow-Lark-Song-4");

        Assert.Equal(200, (await host.SendAsync(await host.SignInAsync(auditor, "Meadow-Lark-Song-4"), s => s.Get.Url("/api/audit/events"))).Context.Response.StatusCode);
        Assert.Equal(403, (await host.SendAsync(await host.SignInAsync(user, "Meadow-Lark-Song-4"), s => s.Get.Url("/api/audit/events"))).Context.Response.StatusCode);
    }

    [Fact]
    public async Task rebuilding_the_log_from_the_events_gives_the_same_rows()
    {
        await host.CreateAccountAsync($"rb{Guid.NewGuid():N}"[..10], "Meadow-Lark-Song-4");
        var store = host.Service<IDocumentStore>();
        List<SecurityLogEntry> before;
        await using (var query = store.QuerySession()) before = (await query.Query<SecurityLogEntry>().ToListAsync()).OrderBy(e => e.Id).ToList();

        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(SecurityLogEntry));
        using (var daemon = await store.BuildProjectionDaemonAsync())
            await daemon.RebuildProjectionAsync<SecurityLogProjection>(CancellationToken.None);

        await using var after = store.QuerySession();
        Assert.Equal(before, (await after.Query<SecurityLogEntry>().ToListAsync()).OrderBy(e => e.Id).ToList());
        Assert.NotEmpty(before);
    }
}
