using MimeKit;

namespace Testing;

/// <summary>Reads the messages the host wrote to its pickup folder.</summary>
public static class Mailbox
{
    /// <summary>Oldest first, by when the file was written (the names may share a timestamp under a test clock).</summary>
    public static IEnumerable<MimeMessage> All(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.eml").OrderBy(File.GetLastWriteTimeUtc).ThenBy(f => f, StringComparer.Ordinal).Select(f => MimeMessage.Load(f))
            : [];

    /// <summary>Waits (bounded) for a message to a recipient: delivery runs after the request's transaction commits.</summary>
    public static async Task<MimeMessage> WaitForAsync(string folder, string recipient, Func<MimeMessage, bool>? match = null, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var found = All(folder).LastOrDefault(m =>
                m.To.Mailboxes.Any(a => string.Equals(a.Address, recipient, StringComparison.OrdinalIgnoreCase)) && (match?.Invoke(m) ?? true));
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No message to {recipient} appeared in {folder}.");
            await Task.Delay(100);
        }
    }
}
