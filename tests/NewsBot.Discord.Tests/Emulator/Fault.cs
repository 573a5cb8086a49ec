namespace NewsBot.Discord.Tests.Emulator;

/// <summary>A scripted failure for the next request on one emulated route.</summary>
/// <param name="AfterCommit">For 5xx: the request takes effect but the answer is an error, as when a response is lost.</param>
public sealed record Fault(int Status, double RetryAfter = 0, bool Global = false, string Scope = "user", bool AfterCommit = false)
{
    public static Fault RouteRateLimit(double retryAfter) => new(429, retryAfter);

    public static Fault GlobalRateLimit(double retryAfter) => new(429, retryAfter, Global: true, Scope: "global");

    public static Fault ServerError(int status = 502, bool afterCommit = false) => new(status, AfterCommit: afterCommit);
}

/// <summary>One REST request as the emulator saw it.</summary>
public sealed record RestCall(string Method, string Path, string Route, string? Body, int Status, long At);

/// <summary>A message the emulator created (after nonce de-duplication).</summary>
public sealed record CreatedMessage(string Id, string ChannelId, System.Text.Json.Nodes.JsonObject Body, IReadOnlyList<string> Pings)
{
    public string Content => (string?)Body["content"] ?? "";

    public string? ReferencedMessageId => (string?)Body["message_reference"]?["message_id"];

    /// <summary>Content plus every embed text, for "does the reply contain X" checks.</summary>
    public string AllText => WebhookText(Body);

    internal static string WebhookText(System.Text.Json.Nodes.JsonObject body)
    {
        var parts = new List<string> { (string?)body["content"] ?? "" };
        foreach (var embed in body["embeds"]?.AsArray() ?? [])
        {
            parts.Add((string?)embed?["title"] ?? "");
            parts.Add((string?)embed?["description"] ?? "");
            foreach (var field in embed?["fields"]?.AsArray() ?? [])
            {
                parts.Add((string?)field?["name"] ?? "");
                parts.Add((string?)field?["value"] ?? "");
            }
        }

        return string.Join("\n", parts);
    }
}
