using Accounts.PasswordHistory;
using Accounts.Passwords;

namespace Accounts.Tests;

/// <summary>The password-history window as its events fold, without a host: which hashes a new password is compared with.</summary>
public class PasswordHistoryWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = Guid.NewGuid();

    private static PasswordHistoryWindow Registered() =>
        PasswordHistoryProjection.Create(new AccountRegistered(Id, "ada", null, null, ["user"], "hash-0", false, null, Now));

    private static PasswordHistoryWindow Changed(PasswordHistoryWindow window, string hash) =>
        PasswordHistoryProjection.Apply(new PasswordChanged(Id, hash, "change", Id, null, false, Now), window);

    [Fact]
    public void the_window_holds_the_current_password_and_the_ones_before_it_newest_first()
    {
        var window = Changed(Changed(Registered(), "hash-1"), "hash-2");
        Assert.Equal(["hash-2", "hash-1", "hash-0"], window.Latest(3));
        Assert.Equal(["hash-2", "hash-1"], window.Latest(2));
    }

    [Fact]
    public void the_window_keeps_the_most_the_policy_may_ask_for_so_raising_the_count_applies_at_once()
    {
        var window = Enumerable.Range(1, PasswordPolicy.MaxHistoryCount + 5).Aggregate(Registered(), (w, i) => Changed(w, $"hash-{i}"));
        Assert.Equal(PasswordPolicy.MaxHistoryCount, window.Hashes.Length);
        Assert.Equal($"hash-{PasswordPolicy.MaxHistoryCount + 5}", window.Latest(1).Single());
    }

    [Fact]
    public void a_rehash_replaces_the_current_passwords_old_hash_and_keeps_the_others()
    {
        var window = PasswordHistoryProjection.Apply(new PasswordRehashed(Id, "hash-1-stronger", Now), Changed(Registered(), "hash-1"));
        Assert.Equal(["hash-1-stronger", "hash-0"], window.Latest(5));
    }
}
