using System.Reflection;
using Audit.SecurityLog;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Audit;

/// <summary>The Audit module's one seam: the security event log projection and its document.</summary>
public static class AuditModule
{
    public static Assembly Assembly => typeof(AuditModule).Assembly;

    public static IServiceCollection AddAuditModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureMarten(opts =>
        {
            opts.Projections.Add(new SecurityLogProjection(), ProjectionLifecycle.Inline);
            opts.Schema.For<SecurityLogEntry>().Index(e => e.At).Index(e => e.AccountId!).Index(e => e.Type);
        });
        return services;
    }
}
