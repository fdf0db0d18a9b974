using Accounts;
using Audit;
using Authenticator;
using BuildingBlocks;
using Host.Infrastructure;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Events.Daemon;
using Marten;
using Notifications;
using Recovery;
using Scalar.AspNetCore;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;
using RecoveryCodes;

// The content root is the folder the service was installed in (appsettings.json, web/), whatever the working directory:
// started from a checkout, the working directory would hold the local PostgreSQL's files, and the configuration's file
// watcher, which watches its root with every subfolder, would wake on each of the database's writes. Only `codegen`
// keeps the working directory, because it writes the generated handlers under <content root>/Internal/Generated.
var contentRoot = args.FirstOrDefault() == "codegen" ? Directory.GetCurrentDirectory() : AppContext.BaseDirectory;
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = contentRoot });
var configuration = builder.Configuration;

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemCodes.AddDefaultCode);
builder.Services.AddExceptionHandler<ExceptionProblems>();
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
    o.SerializerOptions.Converters.Add(new ControlCharacterFreeStrings());
});
builder.Services.AddOpenApi(ApiDocument.Configure);
builder.Services.AddProductAuthorization();
builder.Services.AddHealthChecks().AddCheck<DatabaseReadiness>("postgres", tags: ["ready"]);
builder.Services.AddProductDataProtection(configuration);
builder.Services.AddTrustedProxies(configuration);

// The modules: each registers its own services, event types, projections and documents.
builder.Services.AddAccountsModule(configuration);
builder.Services.AddNotificationsModule(configuration);
builder.Services.AddRecoveryModule(configuration);
builder.Services.AddAuditModule(configuration);
// Recovery channels that are modules of their own (README: Adding a recovery channel).
builder.Services.AddAuthenticatorModule(configuration);
builder.Services.AddRecoveryCodesModule(configuration);

// Traces and metrics through OpenTelemetry, exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/adr/0028).
builder.Services.AddProductTelemetry(configuration);
// Production logs are JSON, one line per event, with the trace and span ids of the request or message behind them.
if (builder.Environment.IsProduction())
{
    builder.Logging.ClearProviders();
    builder.Logging.AddJsonConsole(o =>
    {
        o.IncludeScopes = true;
        o.UseUtcTimestamp = true;
        o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
    });
}

builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

// One Marten store for the whole host (ADR 0003).
builder.Services.AddMarten(opts =>
    {
        opts.Connection(Database.ConnectionString(configuration));
        opts.DatabaseSchemaName = "recovery";
        // Enums (the modules' internal states) are stored and queried by name, never by position.
        opts.UseSystemTextJsonForSerialization(Weasel.Core.EnumStorage.AsString);
    })
    .IntegrateWithWolverine(m => m.UseWolverineManagedEventSubscriptionDistribution = true)
    .UseLightweightSessions()
    .ApplyAllDatabaseChangesOnStartup();

builder.Host.UseWolverine(opts =>
{
    // Handler and endpoint code is generated ahead of time into Internal/Generated (scripts/codegen.sh) and
    // compiled with the host; the service carries no compiler (docs/adr/0012).
    opts.ApplicationAssembly = typeof(Program).Assembly;
    opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
    opts.Policies.AutoApplyTransactions();
    opts.Policies.UseDurableLocalQueues();
    // Each channel module's handler of a shared message runs on its own, with its own transaction and retries.
    opts.MultipleHandlerBehavior = MultipleHandlerBehavior.Separated;
    opts.Durability.Mode = configuration.GetValue("Wolverine:Durability", DurabilityMode.Balanced);
    // A node that stopped without saying so (killed, crashed, lost its network) is declared dead after missing three
    // heartbeats, and its queued and in-flight messages are handed to the living within seconds, not minutes
    // (docs/adr/0018).
    opts.Durability.FirstHealthCheckExecution = TimeSpan.FromSeconds(1);
    opts.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(2);
    opts.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(7);
    opts.Durability.StaleNodeEjectionThreshold = 1;
    opts.Durability.FirstNodeReassignmentExecution = TimeSpan.FromSeconds(1);
    opts.Durability.NodeReassignmentPollingTime = TimeSpan.FromSeconds(2);
    opts.Durability.OrphanedMessageSweepPollingTime = TimeSpan.FromSeconds(2);
    opts.Durability.ScheduledJobFirstExecution = TimeSpan.FromSeconds(1);
    opts.Durability.ScheduledJobPollingTime = TimeSpan.FromSeconds(2);
    foreach (var module in new[] { AccountsModule.Assembly, NotificationsModule.Assembly, RecoveryModule.Assembly, AuditModule.Assembly, AuthenticatorModule.Assembly, RecoveryCodesModule.Assembly })
        opts.Discovery.IncludeAssembly(module);
});
builder.Services.AddWolverineHttp();

var app = builder.Build();
if (app.Environment.IsProduction() && DataProtectionSetup.Weakness(configuration) is { } weakness) app.Logger.LogWarning("{Weakness}", weakness);

if (TrustedProxies.Configured(configuration)) app.UseForwardedHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UsePages();
app.UseMiddleware<RequestSizeGuard>();
app.UseMiddleware<NullBodyGuard>();
app.UseMiddleware<RequestValueGuard>();
app.UseAuthentication();
app.UseAccountsModule();
app.UseAuthorization();

app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
app.MapOpenApi("/openapi/{documentName}.json");
// The reference page sends nothing to a third party: no AI agent, no MCP, no telemetry, no web fonts, no developer toolbar.
app.MapScalarApiReference("/docs", o => o.WithTitle(ApiDocument.Title).WithOpenApiRoutePattern("/openapi/{documentName}.json")
    .AddPreferredSecuritySchemes("bearer").DisableAgent().DisableMcp().DisableTelemetry().DisableDefaultFonts().HideDeveloperTools());
app.MapWolverineEndpoints(opts => opts.AddProductConventions());

// With no arguments the service runs, and nothing but its JSON log reaches standard output (the command-line layer
// would print its assembly search first); with arguments, the commands (set-password, measure-hashing, codegen, ...).
if (args.Length == 0)
{
    await app.RunAsync();
    return 0;
}

return await app.RunJasperFxCommands(args);

/// <summary>Exposed for the Alba host in tests.</summary>
public partial class Program;
