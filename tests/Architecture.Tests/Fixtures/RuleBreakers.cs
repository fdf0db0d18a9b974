using Accounts;
using Accounts.Passwords;

// Deliberately broken (and deliberately sound) types that RuleCheckerTests feeds to the checker,
// so that a checker that silently passes everything shows up as a red test.

namespace Architecture.Tests.Fixtures.BadContracts
{
    public sealed record MessageWithBehaviourV1(string To)
    {
        public string Shout() => To.ToUpperInvariant();
    }

    public sealed record MessageWithComputedPropertyV1(int Attempts)
    {
        public bool Exhausted => Attempts > 5;
    }

    public static class KindsWithLogic
    {
        public static readonly string NotConstant = "x";

        public static string Pick(bool sms) => sms ? "sms" : "email";
    }

    public interface IMarkerNotAMessage;

    public sealed record UnversionedMessage(string To);
}

namespace Architecture.Tests.Fixtures.GoodContracts
{
    public sealed record PlainMessageV1(Guid Id, string Kind, IReadOnlyDictionary<string, string> Model, DateTimeOffset? SendAt = null)
    {
        public static PlainMessageV1 Empty { get; } = new(Guid.Empty, "", new Dictionary<string, string>());
    }

    public sealed class PlainClassMessageV1
    {
        public string? Text { get; init; }
    }

    public static class PlainKinds
    {
        public const string ResetLink = "reset-link";
    }
}

namespace Architecture.Tests.Fixtures.BadHost
{
    /// <summary>A business rule in the Host: it reaches into the Accounts module past its seam.</summary>
    public static class HashesPasswordsItself
    {
        public static Task<string> Hash(PasswordHasher hasher) => hasher.HashAsync("x");
    }
}

namespace Architecture.Tests.Fixtures.GoodHost
{
    public static class ComposesThroughTheSeam
    {
        public static string Discover() => AccountsModule.Assembly.GetName().Name!;
    }
}
