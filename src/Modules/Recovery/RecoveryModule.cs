using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Recovery;

/// <summary>The Recovery module's one seam: its services, event types and projections.</summary>
public static class RecoveryModule
{
    public static Assembly Assembly => typeof(RecoveryModule).Assembly;

    public static IServiceCollection AddRecoveryModule(this IServiceCollection services, IConfiguration configuration) => services;
}
