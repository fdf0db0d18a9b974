using BuildingBlocks;
using System.Reflection;
using Accounts.Bootstrapping;
using Accounts.PasswordHistory;
using Accounts.Passwords;
using Accounts.Sessions;
using Accounts.Settings;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Marten.Schema;

namespace Accounts;

/// <summary>The Accounts module's one seam: its services, its event types and projections, its HTTP pipeline piece.</summary>
public static class AccountsModule
{
    public static Assembly Assembly => typeof(AccountsModule).Assembly;

    public static IServiceCollection AddAccountsModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<Argon2Options>(configuration.GetSection("Accounts:Argon2"));
        services.Configure<SessionLifetimeOptions>(configuration.GetSection("Accounts:Sessions"));
        services.Configure<BootstrapOptions>(configuration.GetSection("Bootstrap"));
        services.AddHashKeys();
        services.Configure<TemporaryPasswordOptions>(configuration.GetSection("Accounts:TemporaryPasswords"));
        services.Configure<SigningIn.SignInRateLimitOptions>(configuration.GetSection("Accounts:SignInRateLimit"));
        services.Configure<ChangingPassword.PasswordChangeLimitOptions>(configuration.GetSection("Accounts:PasswordChangeLimit"));
        services.AddSharedRateLimits();
        services.AddSettingsCache();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<CommonPasswords>();
        services.AddSingleton<PasswordChanges>();
        services.AddHostedService<RootAccountBootstrap>();

        services.AddAuthentication(BearerAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthentication>(BearerAuthentication.SchemeName, null);

        services.ConfigureMarten(opts =>
        {
            opts.Events.AddEventTypes([
                typeof(AccountRegistered), typeof(AccountDetailsChanged), typeof(SignedIn), typeof(SignInFailed),
                typeof(AccountLocked), typeof(AccountUnlocked), typeof(PasswordChanged), typeof(PasswordRehashed),
                typeof(SessionsEnded), typeof(SignedOut), typeof(PasswordPolicyChanged), typeof(UnknownLoginSignInFailed),
            ]);

            opts.Projections.Snapshot<Account>(SnapshotLifecycle.Inline);
            opts.Schema.For<Account>()
                .UniqueIndex(UniqueIndexType.Computed, "accounts_unique_username", a => a.NormalizedUsername)
                .UniqueIndex(UniqueIndexType.Computed, "accounts_unique_email", a => a.NormalizedEmail!);

            opts.Projections.Add<PasswordHistoryProjection>(ProjectionLifecycle.Inline);
            opts.Projections.Snapshot<PasswordPolicySettings>(SnapshotLifecycle.Inline);

            opts.Schema.For<Session>().Index(s => s.AccountId).Index(s => s.SessionId);
        });

        return services;
    }

    /// <summary>Goes after authentication: holds back tokens of accounts that must change their password first.</summary>
    public static IApplicationBuilder UseAccountsModule(this IApplicationBuilder app) => app.UseMiddleware<PasswordChangeRequiredGate>();
}
