using BuildingBlocks;
using System.Reflection;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recovery.Auditing;
using Recovery.Channels;
using Recovery.Requesting;
using Recovery.Secrets;
using Recovery.Settings;
using Recovery.Verifying;

namespace Recovery;

/// <summary>The Recovery module's one seam: its services, its event types and projections, its rate-limit policies.</summary>
public static class RecoveryModule
{
    public static Assembly Assembly => typeof(RecoveryModule).Assembly;

    public static IServiceCollection AddRecoveryModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RecoveryRateLimitOptions>(configuration.GetSection("Recovery:RateLimits"));
        services.AddSingleton<RecoveryRateLimits>();
        services.Configure<CodeFailureLimitOptions>(configuration.GetSection("Recovery:CodeFailures"));
        services.AddSharedRateLimits();
        services.AddSettingsCache();

        services.AddSingleton<DeliveryCapabilities>();
        services.AddSingleton<RecoverySettingsSource>();
        services.AddHashKeys();
        services.AddSingleton<CodeHashKey>();
        services.AddSingleton<RecoverySecrets>();
        services.AddDataProtection();
        services.AddBuiltInRecoveryChannels();

        services.ConfigureMarten(opts =>
        {
            opts.Events.AddEventTypes([
                typeof(ResetRequested), typeof(ResetLinkIssued), typeof(ResetCodeIssued), typeof(ResetProofAwaited), typeof(ResetUndeliverable),
                typeof(CodeVerificationFailed), typeof(CodeVerified), typeof(TemporaryPasswordIssued), typeof(ResetCompleted),
                typeof(ResetExpired), typeof(ResetSuperseded), typeof(RecoverySettingsChanged), typeof(CodeFailureLimitReached),
            ]);

            opts.Projections.Snapshot<RecoveryRequest>(SnapshotLifecycle.Inline);
            opts.Schema.For<RecoveryRequest>().Index(r => r.RedeemableHash!).Index(r => r.AccountId!);
            opts.Projections.Snapshot<RecoverySettings>(SnapshotLifecycle.Inline);
            opts.Projections.Add<ResetHistoryProjection>(ProjectionLifecycle.Inline);
            opts.Schema.For<ResetHistoryRow>().Index(r => r.AccountId!).Index(r => r.RequestedAt);
            opts.Schema.For<AccountCodeFailures>();
        });

        return services;
    }
}
