using System.Reflection;
using Authenticator.Contracts;
using Authenticator.Enrolling;
using Authenticator.Verifying;
using BuildingBlocks;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recovery.Contracts;

namespace Authenticator;

/// <summary>
/// The authenticator-app recovery channel, a module of its own (docs/adr/0025): a signed-in person enrols a TOTP key on
/// the account page; when they forget their password, the current code from the app is the proof Recovery asks it to
/// judge. Recovery keeps the request, the tries, the caps and the reset itself.
/// </summary>
public static class AuthenticatorModule
{
    public static Assembly Assembly => typeof(AuthenticatorModule).Assembly;

    public static IServiceCollection AddAuthenticatorModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new RecoveryChannelDescriptorV1(AuthenticatorChannel.Name, RecoverySecretKinds.Proof, RecoveryContactKinds.Enrolment)
        {
            ProofCheck = proof => new CheckAuthenticatorCode(proof),
        });
        services.AddSingleton<AuthenticatorKeys>();
        services.AddDataProtection();
        services.ConfigureMarten(opts =>
        {
            opts.Events.AddEventTypes([typeof(AuthenticatorEnrolled), typeof(AuthenticatorRemoved)]);
            opts.Schema.For<AuthenticatorEnrolment>().UseOptimisticConcurrency(true);
        });
        return services;
    }
}
