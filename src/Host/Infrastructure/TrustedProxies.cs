using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Host.Infrastructure;

/// <summary>
/// Behind a reverse proxy, the client's address (rate limits, lockout, audit rows) is taken from
/// <c>X-Forwarded-For</c> only when the request comes from a proxy named in <c>ForwardedHeaders:KnownProxies</c>
/// (addresses) or <c>ForwardedHeaders:KnownNetworks</c> (CIDR ranges), never from anyone else (docs/adr/0021).
/// </summary>
internal static class TrustedProxies
{
    public static bool Configured(IConfiguration configuration) =>
        Split(configuration["ForwardedHeaders:KnownProxies"]).Length + Split(configuration["ForwardedHeaders:KnownNetworks"]).Length > 0;

    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var proxies = Split(configuration["ForwardedHeaders:KnownProxies"])
            .Select(p => IPAddress.TryParse(p, out var address) ? address : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{p}' is not an IP address."))
            .ToList();
        var networks = Split(configuration["ForwardedHeaders:KnownNetworks"])
            .Select(n => System.Net.IPNetwork.TryParse(n, out var network) ? network : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: '{n}' is not a CIDR range."))
            .ToList();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies) o.KnownProxies.Add(proxy);
            foreach (var network in networks) o.KnownIPNetworks.Add(network);
        });
        return services;
    }

    private static string[] Split(string? value) =>
        (value ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
