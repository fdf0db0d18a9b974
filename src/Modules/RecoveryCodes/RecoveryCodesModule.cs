using System.Reflection;
using BuildingBlocks;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recovery.Contracts;
using RecoveryCodes.Contracts;
using RecoveryCodes.Generating;
using RecoveryCodes.Verifying;

namespace RecoveryCodes;

/// <summary>
/// The recovery-codes channel, a module of its own (docs/adr/0025): a signed-in person generates ten single-use codes,
/// shown once; one of them, with the login, is the proof Recovery asks this module to judge. Codes are kept only as
/// keyed hashes (HMAC-SHA256 under a key that lives apart from the rows, as Recovery keeps its codes).
/// </summary>
public static class RecoveryCodesModule
{
    public static Assembly Assembly => typeof(RecoveryCodesModule).Assembly;

    public static IServiceCollection AddRecoveryCodesModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new RecoveryChannelDescriptorV1(RecoveryCodesChannel.Name, RecoverySecretKinds.Proof, RecoveryContactKinds.Enrolment)
        {
            ProofCheck = proof => new CheckRecoveryCode(proof),
        });
        services.AddHashKeys();
        services.ConfigureMarten(opts =>
        {
            opts.Events.AddEventTypes([typeof(RecoveryCodesGenerated), typeof(RecoveryCodesRemoved), typeof(RecoveryCodeUsed)]);
            opts.Schema.For<RecoveryCodeSet>().UseOptimisticConcurrency(true);
        });
        return services;
    }
}
