using Accounts.Contracts;
using BuildingBlocks;
using Marten;
using Marten.Exceptions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine;
using Wolverine.Http;

namespace Accounts.Administering;

public sealed record PatchAccountRequest(string? Email, string? Phone, string[]? Roles, bool? Disabled);

public static class EditAccountEndpoint
{
    [WolverinePatch("/api/accounts/{id}", OperationId = "patchAccount")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<IResult> Patch(
        Guid id, PatchAccountRequest request, IDocumentSession session, TimeProvider time, HttpContext http, Passwords.PasswordChanges changes, IMessageBus bus, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Account>(id, ct);
        if (stream.Aggregate is not { } account) return Problems.NotFound("account");

        var email = account.Email;
        if (request.Email is not null && !AccountFields.TryEmail(request.Email, out email)) return Problems.BadRequest("invalid_email", "The email address is not valid.");
        var phone = account.Phone;
        if (request.Phone is not null && !AccountFields.TryPhone(request.Phone, out phone)) return Problems.BadRequest("invalid_phone", "The phone number must be in E.164 form, e.g. +41446681800.");
        var roles = request.Roles?.Distinct().ToArray() ?? account.Roles;
        if (roles.Length == 0 || AccountFields.UnknownRoles(roles).Any()) return Problems.BadRequest("invalid_roles", $"Roles must be among: {string.Join(", ", Roles.All)}.");
        if (!Roles.MayTouch(http.User, account.Roles, roles)) return Problems.Result(StatusCodes.Status403Forbidden, "forbidden", "Only root may change a root account.");
        if (http.User.AccountId() == id && (request.Disabled == true || (account.IsPrivileged && !roles.Intersect([Roles.Root, Roles.Admin]).Any())))
            return Problems.BadRequest("self_lockout", "An administrator cannot disable their own account or remove their own administration role.");

        if (!string.Equals(Account.Normalize(email), account.NormalizedEmail, StringComparison.Ordinal) && await AccountFields.IsTakenAsync(session, null, email, id, ct)) return AccountFields.Duplicate();

        var disabled = request.Disabled ?? account.Disabled;
        var now = time.GetUtcNow();
        stream.AppendOne(new AccountDetailsChanged(id, email, phone, roles, disabled, http.User.AccountId(), now));
        if (disabled && !account.Disabled) await changes.EndSessionsAsync(session, stream, "account disabled", http.User.AccountId(), ct);
        var contactChanged = !string.Equals(email, account.Email, StringComparison.OrdinalIgnoreCase) || phone != account.Phone;
        if (contactChanged || (disabled && !account.Disabled))
            await bus.PublishAsync(new AccountContactChangedV1(id, disabled && !account.Disabled ? "account disabled" : "contact changed", now));
        // Committed here for the same reason as a creation: the unique index decides a race on the email.
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (MartenCommandException e) when (e.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            return AccountFields.Duplicate();
        }

        return TypedResults.Ok(FindAccountsEndpoints.View((await session.LoadAsync<Account>(id, ct))!, time.GetUtcNow()));
    }
}
