using System.Security.Cryptography;
using System.Text;
using Marten;
using Testing;

namespace Accounts.Tests;

public sealed class UnknownLoginFingerprintTests(AccountsHost host) : IClassFixture<AccountsHost>
{
    [Fact]
    public async Task an_unknown_login_is_recorded_by_a_keyed_fingerprint_that_a_dictionary_of_logins_cannot_reverse()
    {
        var login = $"ghost-{Guid.NewGuid():N}"[..16];
        for (var i = 0; i < 2; i++)
            await host.SendAsync(null, s => s.Post.Json(new { login, password = "Whatever-Pass-1" }).ToUrl("/api/auth/login"));

        await using var session = host.Service<IDocumentStore>().QuerySession();
        var recorded = (await session.Events.QueryRawEventDataOnly<UnknownLoginSignInFailed>().ToListAsync()).Select(e => e.LoginFingerprint).ToList();
        var unkeyed = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("unknown-login:" + login)));

        // The same name gives the same fingerprint (auditors see repeats), but not the plain hash anyone could compute.
        Assert.Equal(2, recorded.Count);
        Assert.Single(recorded.Distinct());
        Assert.NotEqual(unkeyed, recorded[0]);
        Assert.DoesNotContain(login, recorded[0]);
    }
}
