using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Accounts.MyAccount;

/// <summary>"Sign out everywhere": every session of the account ends, this one included.</summary>
public static class EndMySessionsEndpoint
{
    [WolverineDelete("/api/me/sessions", OperationId = "endMySessions")]
    [Authorize(Policy = Policies.SignedIn)]
    public static async Task<IResult> EndSessions(IDocumentSession session, HttpContext http, Passwords.PasswordChanges changes, CancellationToken ct)
    {
        var accountId = http.User.AccountId()!.Value;
        var stream = await session.Events.FetchForExclusiveWriting<Account>(accountId, ct);
        await changes.EndSessionsAsync(session, stream, "ended by the owner", accountId, ct);
        return TypedResults.NoContent();
    }
}
