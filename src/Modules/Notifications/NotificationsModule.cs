using BuildingBlocks;
using System.Reflection;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Channels;
using Notifications.Delivering;
using Notifications.MailLog;
using Notifications.Requesting;
using Notifications.Settings;
using Notifications.Templates;

namespace Notifications;

/// <summary>The Notifications module's one seam: its services, event types and projections.</summary>
public static class NotificationsModule
{
    public static Assembly Assembly => typeof(NotificationsModule).Assembly;

    public static IServiceCollection AddNotificationsModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MailOptions>(configuration.GetSection("Mail"));
        services.Configure<SmsOptions>(configuration.GetSection("Sms"));
        services.Configure<RetryOptions>(configuration.GetSection("Notifications:Delivery"));
        services.AddSingleton<MessageTemplates>();
        services.AddSettingsCache();
        services.AddSingleton<CredentialProtector>();
        services.AddSingleton<DeliverySettings>();
        services.AddSingleton<NotificationDelivery>();
        services.AddHttpClient<ISmsSender, VonageSmsSender>();

        services.ConfigureMarten(opts =>
        {
            opts.Events.AddEventTypes([
                typeof(NotificationRequested), typeof(DeliveryStarted), typeof(NotificationDelivered), typeof(DeliveryFailed),
                typeof(RedoRequested), typeof(NotificationSecretDiscarded), typeof(MailSettingsChanged), typeof(SmsSettingsChanged),
            ]);

            opts.Projections.Snapshot<NotificationTask>(SnapshotLifecycle.Inline);
            opts.Schema.For<NotificationTask>().Index(t => t.Status).Index(t => t.ScheduledFor);
            opts.Projections.Add<MailLogProjection>(ProjectionLifecycle.Inline);
            opts.Schema.For<MailLogEntry>().Index(e => e.At).Index(e => e.NotificationId);
            opts.Schema.For<ProtectedNotificationSecret>();
            opts.Projections.Snapshot<MailSettings>(SnapshotLifecycle.Inline);
            opts.Projections.Snapshot<SmsSettings>(SnapshotLifecycle.Inline);
        });

        return services;
    }
}
