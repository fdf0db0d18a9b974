using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Alba;
using Npgsql;
using Testing;

namespace Host.Tests;

/// <summary>The host with its Data Protection key ring encrypted by a certificate (a PFX file made for the test).</summary>
public sealed class CertificateHost : RecoveryHost
{
    public string CertificatePath { get; } = Path.Combine(Path.GetTempPath(), $"key-ring-{Guid.NewGuid():N}.pfx");

    public const string CertificatePassword = "Pfx-Passphrase-4711";

    public CertificateHost()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=recovery key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(CertificatePath, certificate.Export(X509ContentType.Pfx, CertificatePassword));
    }

    protected override IDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["DataProtection:CertificatePath"] = CertificatePath,
        ["DataProtection:CertificatePassword"] = CertificatePassword,
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(CertificatePath);
    }
}

public sealed class KeyRingProtectionTests(CertificateHost host) : IClassFixture<CertificateHost>
{
    [Fact]
    public async Task with_a_certificate_the_key_ring_in_the_database_is_encrypted_and_another_host_with_it_reads_what_the_first_protected()
    {
        await using var smtp = await SmtpTestServer.StartAsync(user: "mailer", password: "Smtp-Pass-Ring-9021");
        var root = await host.RootTokenAsync();
        var put = await host.SendAsync(root, s => s.Put.Json(new
        {
            enabled = true, host = "127.0.0.1", port = smtp.Port, security = "None", authEnabled = true, username = "mailer", password = "Smtp-Pass-Ring-9021",
        }).ToUrl("/api/settings/mail"));
        Assert.Equal(200, put.Context.Response.StatusCode);

        // What a dump of the database shows of the key ring: encrypted data, no key in clear.
        await using (var connection = new NpgsqlConnection(host.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select string_agg(xml, '') from recovery.data_protection_keys", connection);
            var ring = (string)(await command.ExecuteScalarAsync())!;
            Assert.Contains("EncryptedData", ring);
            Assert.DoesNotContain("<value>", ring);
        }

        // A second host with the same certificate decrypts the SMTP password the first one protected, and signs in with it.
        await using var second = await host.StartHostAsync();
        var token = await SignInAsync(second);
        var test = await second.Scenario(s =>
        {
            s.Post.Json(new { to = "ring@example.test" }).ToUrl("/api/settings/mail/test");
            s.WithBearerToken(token);
            s.StatusCodeShouldBe(202);
        });
        await smtp.WaitForMessageToAsync("ring@example.test");
    }

    private static async Task<string> SignInAsync(IAlbaHost other)
    {
        var result = await other.Scenario(s =>
        {
            s.Post.Json(new { login = RecoveryHost.RootUsername, password = RecoveryHost.RootPassword }).ToUrl("/api/auth/login");
            s.StatusCodeShouldBe(200);
        });
        return (await result.ReadAsJsonAsync<RecoveryHost.TokenAnswer>())!.Token;
    }
}
