using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NewsBot.Slack.Tests.Emulator;

/// <summary>
/// What Slack documents for a message payload (chat.postMessage and response_url): Block Kit limits
/// and structure, and which text Slack parses for mentions. mrkdwn text (the top-level text, section and
/// context mrkdwn) turns &lt;!channel&gt;, &lt;!here&gt;, &lt;!everyone&gt;, &lt;@U…&gt; and &lt;!subteam^…&gt; into pings;
/// rich-text "text" elements are shown literally.
/// </summary>
public static partial class MessageRules
{
    public static List<string> Check(JsonObject message)
    {
        var problems = new List<string>();
        var text = (string?)message["text"];
        var blocks = message["blocks"] as JsonArray;
        if (string.IsNullOrWhiteSpace(text))
            problems.Add("no top-level text: screen readers and notifications need the fallback");
        else if (text.Length > 40_000)
            problems.Add($"text of {text.Length} characters (Slack truncates at 40,000)");
        else if (text.Length > 4_000)
            problems.Add($"text of {text.Length} characters (Slack asks for at most 4,000)");

        if (blocks is null)
            return problems;
        if (blocks.Count > 50)
            problems.Add($"{blocks.Count} blocks (limit 50)");
        foreach (var block in blocks.Select(b => b!.AsObject()))
        {
            if (((string?)block["block_id"])?.Length > 255)
                problems.Add("block_id over 255 characters");
            switch ((string?)block["type"])
            {
                case "section":
                    var sectionText = block["text"]?.AsObject();
                    if (sectionText is null && block["fields"] is null)
                        problems.Add("section without text or fields");
                    if (sectionText is not null)
                        CheckTextObject(sectionText, 3000, "section text", problems);
                    break;
                case "context":
                    var elements = block["elements"]?.AsArray() ?? [];
                    if (elements.Count is < 1 or > 10)
                        problems.Add($"context with {elements.Count} elements (1 to 10)");
                    foreach (var element in elements)
                        CheckTextObject(element!.AsObject(), 3000, "context element", problems);
                    break;
                case "header":
                    CheckTextObject(block["text"]!.AsObject(), 150, "header", problems);
                    break;
                case "divider":
                    break;
                case "rich_text":
                    foreach (var element in block["elements"]?.AsArray() ?? [])
                    {
                        if ((string?)element?["type"] is not ("rich_text_section" or "rich_text_list" or "rich_text_quote" or "rich_text_preformatted"))
                            problems.Add($"rich_text element of type {element?["type"]}");
                        foreach (var inner in element?["elements"]?.AsArray() ?? [])
                        {
                            if ((string?)inner?["type"] == "text" && string.IsNullOrEmpty((string?)inner["text"]))
                                problems.Add("empty rich text element");
                        }
                    }

                    break;
                default:
                    problems.Add($"block type {block["type"]} is not one NewsBot should send");
                    break;
            }
        }

        return problems;
    }

    private static void CheckTextObject(JsonObject textObject, int limit, string what, List<string> problems)
    {
        var type = (string?)textObject["type"];
        var value = (string?)textObject["text"] ?? "";
        if (type is not ("mrkdwn" or "plain_text"))
            problems.Add($"{what} has text type {type}");
        if (value.Length is 0)
            problems.Add($"{what} is empty");
        if (value.Length > limit)
            problems.Add($"{what} of {value.Length} characters (limit {limit})");
    }

    /// <summary>The pings Slack would send for this message.</summary>
    public static IReadOnlyList<string> Pings(JsonObject message)
    {
        var pings = new List<string>();
        foreach (var mrkdwn in ParsedTexts(message))
            pings.AddRange(PingRegex().Matches(mrkdwn).Select(m => m.Value));
        foreach (var element in (message["blocks"] as JsonArray ?? []).Where(b => (string?)b?["type"] == "rich_text")
                     .SelectMany(b => b!["elements"]?.AsArray() ?? []).SelectMany(e => e?["elements"]?.AsArray() ?? []))
        {
            if ((string?)element?["type"] is "broadcast" or "user" or "usergroup")
                pings.Add(element!.ToJsonString());
        }

        return pings;
    }

    public static string AllText(JsonObject message)
    {
        var parts = new List<string> { (string?)message["text"] ?? "" };
        foreach (var block in message["blocks"] as JsonArray ?? [])
        {
            parts.Add((string?)block?["text"]?["text"] ?? "");
            foreach (var element in block?["elements"]?.AsArray() ?? [])
            {
                parts.Add((string?)element?["text"] ?? "");
                parts.Add(string.Concat((element?["elements"]?.AsArray() ?? []).Select(e => (string?)e?["text"] ?? "")));
            }
        }

        return string.Join("\n", parts.Where(p => p.Length > 0));
    }

    /// <summary>Texts Slack parses as mrkdwn: the top-level text and mrkdwn text objects (plain_text only parses emoji).</summary>
    private static IEnumerable<string> ParsedTexts(JsonObject message)
    {
        if ((string?)message["text"] is { } text)
            yield return text;
        foreach (var block in message["blocks"] as JsonArray ?? [])
        {
            if ((string?)block?["text"]?["type"] == "mrkdwn")
                yield return (string?)block["text"]!["text"] ?? "";
            if ((string?)block?["type"] == "context")
            {
                foreach (var element in block["elements"]?.AsArray() ?? [])
                {
                    if ((string?)element?["type"] == "mrkdwn")
                        yield return (string?)element["text"] ?? "";
                }
            }
        }
    }

    [GeneratedRegex(@"<(?:!(?:channel|here|everyone)(?:\|[^>]*)?|@[UW][A-Z0-9]+(?:\|[^>]*)?|!subteam\^[A-Z0-9]+(?:\|[^>]*)?)>")]
    private static partial Regex PingRegex();
}
