using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Fluid;
using Notifications.Contracts;

namespace Notifications.Templates;

internal sealed record RenderedMessage(string Subject, string Text, string? Html)
{
    public MaskedMessage Masked() => new(Subject, Text, Html);
}

/// <summary>
/// The message of each kind, rendered from the Liquid files beside this class (embedded in the assembly):
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

    private static readonly FluidParser Parser = new();
    private readonly ConcurrentDictionary<string, IFluidTemplate> parsed = new(StringComparer.Ordinal);
    private readonly TemplateOptions options = new() { MemberAccessStrategy = new UnsafeMemberAccessStrategy() };

    internal RenderedMessage Render(string kind, string channel, IReadOnlyDictionary<string, string> model, string? secret)
    {
        if (!Kinds.Contains(kind)) throw new ArgumentException($"No templates for the message kind '{kind}'.", nameof(kind));

        var context = new TemplateContext(options);
        foreach (var (key, value) in model) context.SetValue(key, value);
        var shown = secret ?? string.Empty;
        context.SetValue("secret", shown);
        context.SetValue("code", shown);
        context.SetValue("password", shown);
        if (model.TryGetValue("resetBaseUrl", out var resetBase) && !string.IsNullOrEmpty(resetBase))
            context.SetValue("link", $"{resetBase}{(resetBase.Contains('?') ? '&' : '?')}token={shown}");

        var subject = Text($"{kind}.subject", context).Trim();
        context.SetValue("subject", subject);
        if (channel == NotificationChannels.Sms) return new RenderedMessage(subject, Text($"{kind}.sms", context).Trim(), null);

        var text = Text($"{kind}.text", context).TrimEnd() + "\n";
        context.SetValue("content", Html($"{kind}.html", context));
        var html = Html("_layout.html", context);
        return new RenderedMessage(subject, text, html);
    }

    private string Text(string name, TemplateContext context) => Template(name).Render(context, NullEncoder.Default);

    private string Html(string name, TemplateContext context) => Template(name).Render(context, HtmlEncoder.Default);

    private IFluidTemplate Template(string name) => parsed.GetOrAdd(name, static n =>
    {
        var resource = $"Notifications.Templates.{n}.liquid";
        using var stream = typeof(MessageTemplates).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The template {resource} is not embedded in the Notifications module.");
        using var reader = new StreamReader(stream);
        var source = reader.ReadToEnd();
        return Parser.TryParse(source, out var template, out var error)
            ? template
            : throw new InvalidOperationException($"The template {resource} does not parse: {error}");
    });
}
