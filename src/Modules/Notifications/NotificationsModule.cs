using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Notifications;

/// <summary>The Notifications module's one seam: its services, event types and projections.</summary>
public static class NotificationsModule
{
    public static Assembly Assembly => typeof(NotificationsModule).Assembly;

    public static IServiceCollection AddNotificationsModule(this IServiceCollection services, IConfiguration configuration) => services;
}
