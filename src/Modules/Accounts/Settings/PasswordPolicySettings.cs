using Audit.Contracts;
using Accounts.Passwords;
using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Accounts.Settings;

/// <summary>The policy as last set through the API; its stream holds every change with who made it.</summary>
internal sealed record PasswordPolicySettings(Guid Id, PasswordPolicy Policy)
{
    /// <summary>The one settings stream of the Accounts module.</summary>
    public static readonly Guid StreamId = new("6f1f4d8e-5a39-4a53-9d35-0c2a7d0a0001");

    public static PasswordPolicySettings Create(PasswordPolicyChanged e) => new(StreamId, e.Policy);

    public PasswordPolicySettings Apply(PasswordPolicyChanged e) => this with { Policy = e.Policy };

    public static async Task<PasswordPolicy> CurrentAsync(IQuerySession session, CancellationToken ct) =>
        (await session.LoadAsync<PasswordPolicySettings>(StreamId, ct))?.Policy ?? PasswordPolicy.Default;

    /// <summary>The policy as a hot path reads it: from memory, at most <see cref="SettingsCache.Lifetime"/> behind another node's change.</summary>
    public static async Task<PasswordPolicy> CurrentAsync(IQuerySession session, SettingsCache cache, CancellationToken ct) =>
        (await cache.LoadAsync<PasswordPolicySettings>(session, StreamId, ct))?.Policy ?? PasswordPolicy.Default;
}

internal sealed record PasswordPolicyChanged(PasswordPolicy Policy, Guid? ActorId, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.PasswordPolicyChanged;

    Guid? ISecurityEvent.AccountId => null;
    public string Summary => $"Password policy changed: {Policy}.";
}

/// <summary>
/// The rules a new password must meet, for anyone about to choose one (the reset and code pages are anonymous); the
/// lockout settings are left out.
/// </summary>
public sealed record PasswordRules(
    int MinLength, int MaxLength, bool RequireUppercase, bool RequireLowercase, bool RequireDigit, bool RequireSpecial,
    bool DisallowUsername, bool DisallowCommon, int HistoryCount, int MinStrength)
{
    public static PasswordRules From(PasswordPolicy p) =>
        new(p.MinLength, p.MaxLength, p.RequireUppercase, p.RequireLowercase, p.RequireDigit, p.RequireSpecial, p.DisallowUsername, p.DisallowCommon, p.HistoryCount, p.MinStrength);
}

public static class PasswordPolicyEndpoints
{
    /// <summary>The password rules without the lockout settings; anonymous (an addition to the contract).</summary>
    [WolverineGet("/api/password-rules", OperationId = "getPasswordRules")]
    [AllowAnonymous]
    public static async Task<PasswordRules> Rules(IQuerySession session, CancellationToken ct) =>
        PasswordRules.From(await PasswordPolicySettings.CurrentAsync(session, ct));

    [WolverineGet("/api/settings/password-policy", OperationId = "getPasswordPolicy")]
    [Authorize(Policy = Policies.Admin)]
    public static Task<PasswordPolicy> Get(IQuerySession session, CancellationToken ct) =>
        PasswordPolicySettings.CurrentAsync(session, ct);

    [WolverinePut("/api/settings/password-policy", OperationId = "putPasswordPolicy")]
    [Authorize(Policy = Policies.Admin)]
    public static IResult Put(PasswordPolicy policy, IDocumentSession session, HttpContext http, TimeProvider time)
    {
        var problems = policy.Problems().ToList();
        if (problems.Count > 0) return Problems.Validation("The password policy is not valid.", problems);
        session.Events.Append(PasswordPolicySettings.StreamId, new PasswordPolicyChanged(policy, http.User.AccountId(), time.GetUtcNow()));
        return TypedResults.Ok(policy);
    }
}
