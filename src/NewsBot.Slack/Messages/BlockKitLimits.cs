using System.Globalization;
using System.Text.Json.Nodes;

namespace NewsBot.Slack.Messages;

/// <summary>
/// Block Kit's documented limits, checked on every message before it is sent: a message that breaks one
/// is refused by Slack (invalid_blocks, msg_blocks_too_long), and the question would go unanswered.
/// </summary>
internal static class BlockKitLimits
{
    public const int BlocksPerMessage = 50;
    public const int SectionText = 3000;
    public const int ContextElements = 10;
    public const int TextObject = 3000;
    public const int BlockId = 255;

    /// <summary>Slack recommends keeping the top-level text under 4,000 characters (it truncates at 40,000).</summary>
    public const int FallbackText = 4000;

    /// <summary>
    /// Slack also refuses a message whose blocks hold too much text in all (msg_blocks_too_long, observed near
    /// 13,000 characters); NewsBot stays well below.
    /// </summary>
    public const int TotalBlockText = 11000;

    /// <summary>Throws when a message would break a limit; a bug in the composer, never the user's fault.</summary>
    public static void Validate(JsonObject message)
    {
        var problems = Check(message);
        if (problems.Count > 0)
            throw new InvalidOperationException("Slack message breaks Block Kit limits: " + string.Join("; ", problems));
    }

    public static List<string> Check(JsonObject message)
    {
        var problems = new List<string>();
        var text = (string?)message["text"];
        if (string.IsNullOrWhiteSpace(text))
            problems.Add("no fallback text");
        else if (text.Length > FallbackText)
            problems.Add(Describe("fallback text", text.Length, FallbackText));

        var blocks = message["blocks"]?.AsArray() ?? [];
        if (blocks.Count > BlocksPerMessage)
            problems.Add(Describe("blocks", blocks.Count, BlocksPerMessage));
        var total = 0;
        foreach (var block in blocks)
        {
            if (((string?)block?["block_id"])?.Length > BlockId)
                problems.Add("block_id over 255 characters");
            switch ((string?)block?["type"])
            {
                case "section":
                    var sectionText = (string?)block["text"]?["text"] ?? "";
                    if (sectionText.Length is 0 or > SectionText)
                        problems.Add(Describe("section text", sectionText.Length, SectionText));
                    total += sectionText.Length;
                    break;
                case "context":
                    var elements = block["elements"]?.AsArray() ?? [];
                    if (elements.Count is 0 or > ContextElements)
                        problems.Add(Describe("context elements", elements.Count, ContextElements));
                    foreach (var element in elements)
                    {
                        var elementText = (string?)element?["text"] ?? "";
                        if (elementText.Length is 0 or > TextObject)
                            problems.Add(Describe("context text", elementText.Length, TextObject));
                        total += elementText.Length;
                    }

                    break;
                case "rich_text":
                    foreach (var element in block["elements"]?.AsArray() ?? [])
                    {
                        foreach (var inner in element?["elements"]?.AsArray() ?? [])
                        {
                            var innerText = (string?)inner?["text"] ?? "";
                            if (innerText.Length is 0 or > TextObject)
                                problems.Add(Describe("rich text", innerText.Length, TextObject));
                            total += innerText.Length;
                        }
                    }

                    break;
                default:
                    problems.Add($"unexpected block type {(string?)block?["type"]}");
                    break;
            }
        }

        if (total > TotalBlockText)
            problems.Add(Describe("text across blocks", total, TotalBlockText));
        return problems;
    }

    private static string Describe(string what, int actual, int limit) =>
        string.Create(CultureInfo.InvariantCulture, $"{what}: {actual} (limit {limit}, at least 1)");
}
