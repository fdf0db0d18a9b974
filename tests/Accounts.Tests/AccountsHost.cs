using Testing;

namespace Accounts.Tests;

/// <summary>One host and database per test class.</summary>
public sealed class AccountsHost : RecoveryHost;
