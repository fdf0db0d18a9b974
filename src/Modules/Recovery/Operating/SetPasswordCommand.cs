using System.Text;
using Accounts.Contracts;
using JasperFx.CommandLine;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wolverine;

[assembly: JasperFx.JasperFxAssembly]

namespace Recovery.Operating;

public sealed class SetPasswordInput : NetCoreInput
{
    [Description("Username or email of the account")]
    public string Login { get; set; } = string.Empty;
}

/// <summary>
/// Break-glass for someone with a shell on the host: sets an account's password under the usual policy and history
/// rules, records an operator reset naming the operating-system user and machine, and ends every session.
/// Builds the host's services but not its web server, so it runs beside a running host on the same database.
/// </summary>
[Description("Set an account's password from the host's shell; the password is read twice from standard input", Name = "set-password")]
public sealed class SetPasswordCommand : JasperFxAsyncCommand<SetPasswordInput>
{
    /// <summary>Where the password is read from; standard input unless a test supplies its own.</summary>
    internal TextReader? PasswordSource { get; set; }

    internal TextWriter Out { get; set; } = Console.Out;

    public override async Task<bool> Execute(SetPasswordInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Login))
        {
            await Out.WriteLineAsync("Usage: set-password <login>");
            return false;
        }

        var password = ReadPassword("New password: ");
        var again = ReadPassword("Repeat it: ");
        if (password is null || again is null || !string.Equals(password, again, StringComparison.Ordinal))
        {
            await Out.WriteLineAsync("The two passwords differ (or none was given); nothing was changed.");
            return false;
        }

        using var host = input.BuildHost();
        var started = await StartWithoutWebServerAsync(host);
        try
        {
            return await SetAsync(host.Services, input.Login.Trim(), password);
        }
        finally
        {
            for (var i = started.Count - 1; i >= 0; i--) await started[i].StopAsync(CancellationToken.None);
        }
    }

    private async Task<bool> SetAsync(IServiceProvider services, string login, string password)
    {
        await using var scope = services.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var contact = await bus.InvokeAsync<RecoveryContactV1>(new FindRecoveryContactV1(login));
        if (contact.AccountId is not { } accountId)
        {
            await Out.WriteLineAsync($"No enabled account has the login '{login}'.");
            return false;
        }

        var requestId = Guid.NewGuid();
        var result = await bus.InvokeAsync<SetPasswordResultV1>(new SetPasswordV1(accountId, password, PasswordChangeReasons.Operator, null, requestId));
        if (!result.Succeeded)
        {
            await Out.WriteLineAsync($"The password was refused: {string.Join(", ", result.Violations.Append(result.Error).OfType<string>())}.");
            return false;
        }

        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var store = scope.ServiceProvider.GetRequiredService<IDocumentStore>();
        await using var session = store.LightweightSession();
        session.Events.StartStream<RecoveryRequest>(requestId,
            new ResetRequested(requestId, PasswordChangeReasons.Operator, PasswordChangeReasons.Operator, accountId, contact.Username, null, null, OperatorName(), now, ResetMethods.Operator),
            new ResetCompleted(requestId, accountId, null, null, now));
        await session.SaveChangesAsync();
        await Out.WriteLineAsync($"The password of '{contact.Username}' was set and every session ended.");
        return true;
    }

    internal static string OperatorName() => $"{Environment.UserName}@{Environment.MachineName}";

    /// <summary>Without echo on a terminal; line by line from a pipe or file.</summary>
    private string? ReadPassword(string prompt)
    {
        if (PasswordSource is null && !Console.IsInputRedirected)
        {
            Console.Write(prompt);
            var text = new StringBuilder();
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter) break;
                if (key.Key == ConsoleKey.Backspace)
                {
                    if (text.Length > 0) text.Length--;
                    continue;
                }

                if (!char.IsControl(key.KeyChar)) text.Append(key.KeyChar);
            }

            Console.WriteLine();
            return text.ToString();
        }

        return (PasswordSource ?? Console.In).ReadLine();
    }

    /// <summary>
    /// Starts every hosted service but the web server (which would contend for the running host's port):
    /// Wolverine, Marten and the modules' own services are what the change needs.
    /// </summary>
    private static async Task<List<IHostedService>> StartWithoutWebServerAsync(IHost host)
    {
        var started = new List<IHostedService>();
        foreach (var service in host.Services.GetServices<IHostedService>())
        {
            if (service.GetType().FullName == "Microsoft.AspNetCore.Hosting.GenericWebHostService") continue;
            await service.StartAsync(CancellationToken.None);
            started.Add(service);
        }

        return started;
    }
}
