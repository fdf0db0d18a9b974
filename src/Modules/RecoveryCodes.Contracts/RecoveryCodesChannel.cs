namespace RecoveryCodes.Contracts;

/// <summary>The recovery-codes channel: single-use codes the person printed or stored (Keycloak's and Kratos's lookup secrets).</summary>
public static class RecoveryCodesChannel
{
    /// <summary>The channel's name in recovery settings and requests.</summary>
    public const string Name = "recovery-code";
}
