using Accounts.Contracts;
using Marten;
using Wolverine.Attributes;

namespace Accounts.Recovering;

/// <summary>Who a login belongs to and where recovery may reach them, for the Recovery module through its contract messages.</summary>
[WolverineHandler]
public static class FindRecoveryContactHandler
{
    public static async Task<RecoveryContactV1> Handle(FindRecoveryContactV1 query, IQuerySession session, CancellationToken ct)
    {
        var login = Account.Normalize(query.Login);
        if (string.IsNullOrEmpty(login)) return RecoveryContactV1.None;
        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.NormalizedUsername == login || a.NormalizedEmail == login, ct);
        return account is null || account.Disabled ? RecoveryContactV1.None : Contact(account);
    }

    public static async Task<RecoveryContactV1> Handle(FindRecoveryContactByIdV1 query, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<Account>(query.AccountId, ct) is { } account ? Contact(account) : RecoveryContactV1.None;

    private static RecoveryContactV1 Contact(Account account) => new(account.Id, account.Username, account.Email, account.Phone, account.Roles);
}
