using Accounts.Passwords;
using BuildingBlocks;
using JasperFx;
using Marten;
using Marten.Exceptions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Accounts.Administering;

public sealed record CreateAccountRequest(string? Username, string? Email, string? Phone, string[]? Roles, string? Password, bool? MustChangePassword);

public sealed record CreatedAccount(Guid Id);

public static class CreateAccountEndpoint
{
    [WolverinePost("/api/accounts", OperationId = "createAccount")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<IResult> Create(
        CreateAccountRequest request, IDocumentSession session, PasswordHasher hasher, CommonPasswords common, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (!AccountFields.ValidUsername(request.Username)) return Problems.BadRequest("invalid_username", "A username of 1 to 64 characters, without spaces or '@', is required.");
        if (!AccountFields.TryEmail(request.Email, out var email)) return Problems.BadRequest("invalid_email", "The email address is not valid.");
        if (!AccountFields.TryPhone(request.Phone, out var phone)) return Problems.BadRequest("invalid_phone", "The phone number must be in E.164 form, e.g. +41446681800.");
        var roles = (request.Roles is { Length: > 0 } ? request.Roles : [Roles.User]).Distinct().ToArray();
        if (AccountFields.UnknownRoles(roles).Any()) return Problems.BadRequest("invalid_roles", $"Roles must be among: {string.Join(", ", Roles.All)}.");
        if (!Roles.MayTouch(http.User, roles)) return Problems.Result(StatusCodes.Status403Forbidden, "forbidden", "Only root may grant the root role.");

        var username = request.Username!.Trim();
        var password = PasswordText.Normalize(request.Password);
        var policy = await Settings.PasswordPolicySettings.CurrentAsync(session, ct);
        var violations = policy.Check(password, null, username, email, common);
        if (violations.Count > 0) return Problems.PasswordPolicy(violations, policy.AdviceFor(violations, password, username, email));

        if (await AccountFields.IsTakenAsync(session, username, email, null, ct)) return AccountFields.Duplicate();

        var id = Guid.NewGuid();
        var hash = await hasher.HashAsync(password, ct);
        session.Events.StartStream<Account>(id, new AccountRegistered(id, username, email, phone, roles, hash, request.MustChangePassword ?? false, http.User.AccountId(), time.GetUtcNow()));
        // Committed here, not by the endpoint's transaction: two creations that race past the check above are decided by
        // the unique indexes, and the loser is answered as a duplicate.
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (DocumentAlreadyExistsException)
        {
            return AccountFields.Duplicate();
        }
        catch (MartenCommandException e) when (e.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            // Two creations raced; the unique indexes decided.
            return AccountFields.Duplicate();
        }

        return TypedResults.Created($"/api/accounts/{id}", new CreatedAccount(id));
    }
}
