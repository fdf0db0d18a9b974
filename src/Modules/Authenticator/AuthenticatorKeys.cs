using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using OtpNet;
using QRCoder;

namespace Authenticator;

/// <summary>TOTP (RFC 6238, SHA-1, 6 digits, 30-second steps: what every authenticator app reads) through Otp.NET.</summary>
public sealed class AuthenticatorKeys(IDataProtectionProvider protection)
{
    private const string Purpose = "Authenticator.TotpKey.v1";
    private const int KeyBytes = 20;

    /// <summary>Steps either side of now that are still accepted, for clocks that drift and codes typed slowly.</summary>
    private static readonly VerificationWindow Window = new(previous: 1, future: 1);

    private readonly byte[] decoy = RandomNumberGenerator.GetBytes(KeyBytes);

    internal static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeyBytes);

    internal string Protect(byte[] key) => Convert.ToBase64String(protection.CreateProtector(Purpose).Protect(key));

    internal byte[] Unprotect(string protectedKey) => protection.CreateProtector(Purpose).Unprotect(Convert.FromBase64String(protectedKey));

    /// <summary>The step the code belongs to, when it is right for a step after <paramref name="after"/>; else null.</summary>
    internal static long? Match(byte[] key, string code, DateTimeOffset at, long after)
    {
        var digits = new string(code.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length != 6) return null;
        var totp = new Totp(key);
        return totp.VerifyTotp(at.UtcDateTime, digits, out var step, Window) && step > after ? step : null;
    }

    /// <summary>The same computation on a key of no one, so that an account without an authenticator costs the same.</summary>
    internal long? Decoy(string code, DateTimeOffset at) => Match(decoy, code, at, long.MaxValue);

    /// <summary>The key as the apps' manual entry shows it: base32, in groups of four.</summary>
    internal static string Display(byte[] key) =>
        string.Join(' ', Base32Encoding.ToString(key).TrimEnd('=').Chunk(4).Select(c => new string(c)));

    /// <summary>The otpauth URI the QR code carries (Google Authenticator's key URI format).</summary>
    internal static string Uri(byte[] key, string issuer, string username) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(issuer)}:{System.Uri.EscapeDataString(username)}" +
        $"?secret={Base32Encoding.ToString(key).TrimEnd('=')}&issuer={System.Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits=6&period=30";

    /// <summary>The QR code of the URI as an SVG document, drawn here: no third party sees the key.</summary>
    internal static string QrSvg(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(6);
    }
}
