using System.Collections.Concurrent;
using HandlebarsDotNet;
using Notifications.Contracts;

namespace Notifications.Templates;

internal sealed record RenderedMessage(string Subject, string Text, string? Html)
{
    public MaskedMessage Masked() => new(Subject, Text, Html);
}

/// <summary>
/// The message of each kind, rendered from the Handlebars files beside this class (embedded in the assembly, ADR 0007):
/// <c>{kind}.subject</c>, <c>{kind}.text</c>, <c>{kind}.html</c> (inside <c>_layout.html</c>) and <c>{kind}.sms</c>.
/// The same templates render the real message (with the one-time secret) and the masked copy that is stored.
/// </summary>
public sealed class MessageTemplates
{
    /// <summary>What stands in for a one-time secret in everything stored or shown.</summary>
    public const string Mask = "********";

    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal)
    {
        NotificationKinds.ResetLink, NotificationKinds.OneTimeCode, NotificationKinds.TemporaryPassword,
        NotificationKinds.PasswordChanged, NotificationKinds.Test,
    };

    /// <summary>Kinds whose message is worthless without its one-time secret.</summary>
    public static readonly IReadOnlySet<string> KindsWithSecret = new HashSet<string>(StringComparer.Ordinal)
    {
        NotificationKinds.ResetLink, NotificationKinds.OneTimeCode, NotificationKinds.TemporaryPassword,
    };

    // HTML parts escape every value; text parts and SMS are not HTML and take values as they are.
    private static readonly IHandlebars HtmlEngine = Handlebars.Create(new HandlebarsConfiguration());
    private static readonly IHandlebars TextEngine = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });
    private readonly ConcurrentDictionary<string, HandlebarsTemplate<object, object>> compiled = new(StringComparer.Ordinal);

    internal RenderedMessage Render(string kind, string channel, IReadOnlyDictionary<string, string> model, string? secret)
    {
        if (!Kinds.Contains(kind)) throw new ArgumentException($"No templates for the message kind '{kind}'.", nameof(kind));

        var context = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in model) context[key] = value;
        var shown = secret ?? string.Empty;
        context["secret"] = shown;
        context["code"] = shown;
        context["password"] = shown;
        if (model.TryGetValue("resetBaseUrl", out var resetBase) && !string.IsNullOrEmpty(resetBase))
            context["link"] = $"{resetBase}{(resetBase.Contains('?') ? '&' : '?')}token={shown}";

        var subject = Render(TextEngine, $"{kind}.subject", context).Trim();
        context["subject"] = subject;
        if (channel == NotificationChannels.Sms) return new RenderedMessage(subject, Render(TextEngine, $"{kind}.sms", context).Trim(), null);

        var text = Render(TextEngine, $"{kind}.text", context).TrimEnd() + "\n";
        context["content"] = Render(HtmlEngine, $"{kind}.html", context);
        var html = Render(HtmlEngine, "_layout.html", context);
        return new RenderedMessage(subject, text, html);
    }

    private string Render(IHandlebars engine, string name, Dictionary<string, object> context) =>
        compiled.GetOrAdd($"{(engine == HtmlEngine ? "html" : "text")}:{name}", _ => engine.Compile(Source(name)))(context);

    private static string Source(string name)
    {
        var resource = $"Notifications.Templates.{name}.hbs";
        using var stream = typeof(MessageTemplates).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The template {resource} is not embedded in the Notifications module.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
