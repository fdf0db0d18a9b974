using Accounts.Contracts;
using Accounts.ChangingPassword;
using Accounts.Passwords;
using BuildingBlocks;
using Marten;
using JasperFx;
using Marten.Exceptions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine;
using Wolverine.Http;

namespace Accounts.Administering;

public sealed record CreateAccountRequest(string? Username, string? Email, string? Phone, string[]? Roles, string? Password, bool? MustChangePassword);

public sealed record CreatedAccount(Guid Id);

public sealed record AccountView(Guid Id, string Username, string? Email, string? Phone, string[] Roles, string Status, bool MustChangePassword, DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt, DateTimeOffset? PasswordChangedAt);

public sealed record AccountPage(IReadOnlyList<AccountView> Items, int Total);

public sealed record PatchAccountRequest(string? Email, string? Phone, string[]? Roles, bool? Disabled);

public static class ManageAccountsEndpoints
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
        if (violations.Count > 0) return ChangePasswordEndpoint.PolicyProblem(violations);

        if (await IsTakenAsync(session, username, email, null, ct)) return Duplicate();

        var id = Guid.NewGuid();
        var hash = await hasher.HashAsync(password, ct);
        session.Events.StartStream<Account>(id, new AccountRegistered(id, username, email, phone, roles, hash, request.MustChangePassword ?? false, http.User.AccountId(), time.GetUtcNow()));
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (DocumentAlreadyExistsException)
        {
            return Duplicate();
        }
        catch (MartenCommandException e) when (e.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            // Two creations raced; the unique indexes decided.
            return Duplicate();
        }

        return TypedResults.Created($"/api/accounts/{id}", new CreatedAccount(id));
    }

    [WolverineGet("/api/accounts", OperationId = "searchAccounts")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<AccountPage> Search(IQuerySession session, TimeProvider time, string? keyword, int? page, int? pageSize, CancellationToken ct)
    {
        var paging = Paging.From(page, pageSize, 20, 200);
        IQueryable<Account> query = session.Query<Account>();
        if (!string.IsNullOrWhiteSpace(keyword))
        {
            var k = keyword.Trim().ToLowerInvariant();
            query = query.Where(a => a.NormalizedUsername.Contains(k) || (a.NormalizedEmail != null && a.NormalizedEmail.Contains(k)) || (a.Phone != null && a.Phone.Contains(k)));
        }

        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(a => a.NormalizedUsername).Skip(paging.Skip).Take(paging.Size).ToListAsync(ct);
        var now = time.GetUtcNow();
        return new AccountPage(items.Select(a => View(a, now)).ToList(), total);
    }

    [WolverineGet("/api/accounts/{id}", OperationId = "getAccount")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, TimeProvider time, CancellationToken ct)
    {
        var account = await session.LoadAsync<Account>(id, ct);
        return account is null ? Problems.NotFound("account") : TypedResults.Ok(View(account, time.GetUtcNow()));
    }

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

        if (!string.Equals(Account.Normalize(email), account.NormalizedEmail, StringComparison.Ordinal) && await IsTakenAsync(session, null, email, id, ct)) return Duplicate();

        var disabled = request.Disabled ?? account.Disabled;
        var now = time.GetUtcNow();
        stream.AppendOne(new AccountDetailsChanged(id, email, phone, roles, disabled, http.User.AccountId(), now));
        if (disabled && !account.Disabled) await changes.EndSessionsAsync(session, stream, "account disabled", http.User.AccountId(), ct);
        var contactChanged = !string.Equals(email, account.Email, StringComparison.OrdinalIgnoreCase) || phone != account.Phone;
        if (contactChanged || (disabled && !account.Disabled))
            await bus.PublishAsync(new AccountContactChangedV1(id, disabled && !account.Disabled ? "account disabled" : "contact changed", now));
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (MartenCommandException e) when (e.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            return Duplicate();
        }

        return TypedResults.Ok(View((await session.LoadAsync<Account>(id, ct))!, time.GetUtcNow()));
    }

    [WolverinePost("/api/accounts/{id}/unlock", OperationId = "unlockAccount")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<IResult> Unlock(Guid id, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Account>(id, ct);
        if (stream.Aggregate is null) return Problems.NotFound("account");
        stream.AppendOne(new AccountUnlocked(id, http.User.AccountId(), time.GetUtcNow()));
        return TypedResults.NoContent();
    }

    internal static AccountView View(Account a, DateTimeOffset now) =>
        new(a.Id, a.Username, a.Email, a.Phone, a.Roles, a.Status(now), a.MustChangePassword, a.LockedUntilAny(now), a.CreatedAt, a.PasswordChangedAt);

    private static async Task<bool> IsTakenAsync(IQuerySession session, string? username, string? email, Guid? except, CancellationToken ct)
    {
        var names = new[] { Account.Normalize(username), Account.Normalize(email) }.Where(n => n is not null).Cast<string>().ToArray();
        if (names.Length == 0) return false;
        var exceptId = except ?? Guid.Empty;
        // A username may not equal another account's email either, since both are logins.
        return await session.Query<Account>().AnyAsync(a => a.Id != exceptId && (names.Contains(a.NormalizedUsername) || names.Contains(a.NormalizedEmail!)), ct);
    }

    private static IResult Duplicate() => Problems.Conflict("duplicate", "An account with this username or email already exists.");
}
