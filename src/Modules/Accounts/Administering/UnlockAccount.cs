using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Accounts.Administering;

public static class UnlockAccountEndpoint
{
    [WolverinePost("/api/accounts/{id}/unlock", OperationId = "unlockAccount")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<IResult> Unlock(Guid id, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Account>(id, ct);
        if (stream.Aggregate is null) return Problems.NotFound("account");
        stream.AppendOne(new AccountUnlocked(id, http.User.AccountId(), time.GetUtcNow()));
        return TypedResults.NoContent();
    }
}
