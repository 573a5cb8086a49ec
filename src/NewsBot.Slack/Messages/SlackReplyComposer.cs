using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Sources;
using NewsBot.Summaries;

namespace NewsBot.Slack.Messages;

/// <summary>One Slack message: mrkdwn fallback text and its Block Kit blocks (checked against the limits).</summary>
internal sealed record SlackMessage(string Text, JsonArray Blocks)
{
    /// <summary>The message as chat.postMessage or response_url arguments, without channel or thread.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["text"] = Text, ["blocks"] = Blocks.DeepClone() };
        BlockKitLimits.Validate(json);
        return json;
    }
}

/// <summary>
/// Turns engine results into Slack messages: the answer as mrkdwn sections, each quote once as a rich-text
/// quote block where the answer quotes it (rich text is never parsed for mentions, so the article's exact words show as written),
/// the citations in a context block, and a plain fallback text. Everything from users or articles that
/// goes into mrkdwn is escaped. Long answers are split on sentence boundaries into several sections and,
/// past the per-message limits, several messages.
/// </summary>
internal static class SlackReplyComposer
{
    public static IReadOnlyList<SlackMessage> Compose(Answer answer) =>
        Compose(null, answer.Text, answer.Note, answer.Citations);

    public static IReadOnlyList<SlackMessage> Compose(Summary summary) =>
        Compose(summary.Title, summary.Text, summary.Note, summary.Citations);

    public static IReadOnlyList<SlackMessage> Plain(string text) => Compose(null, text, null, []);

    /// <param name="notice">Why the list may be out of date (<see cref="INewsBotEngine.IndexNotice"/>), shown first.</param>
    public static IReadOnlyList<SlackMessage> SourcesList(IReadOnlyList<SourceInfo> sources, string? notice = null)
    {
        if (sources.Count == 0)
            return Plain(notice is null ? "No articles are indexed yet." : $":warning: {notice}\n\nNo articles are indexed yet.");
        var warning = notice is null ? null : $":warning: {Mrkdwn.Escape(notice)}";
        var lines = sources.Select(s => Mrkdwn.Escape(string.Create(CultureInfo.InvariantCulture,
            $"• {s.Id}: {s.Title}{(s.Byline is null ? "" : $" ({s.Byline})")}, {s.Paragraphs} paragraphs")));
        var blocks = new List<JsonObject>();
        if (warning is not null)
            blocks.Add(Section(warning));
        blocks.Add(Section("*Indexed articles*"));
        var section = new StringBuilder();
        foreach (var line in lines.Select(l => ChatText.Truncate(l, BlockKitLimits.SectionText)))
        {
            if (section.Length + line.Length + 1 > BlockKitLimits.SectionText)
            {
                blocks.Add(Section(section.ToString()));
                section.Clear();
            }

            section.Append(line).Append('\n');
        }

        blocks.Add(Section(section.ToString().TrimEnd()));
        return Pack(blocks, string.Create(CultureInfo.InvariantCulture, $"{sources.Count} indexed article(s)"));
    }

    private static IReadOnlyList<SlackMessage> Compose(string? title, string text, string? note, IReadOnlyList<Citation> citations)
    {
        var blocks = new List<JsonObject>();
        if (title is not null)
            blocks.Add(Section("*" + ChatText.Truncate(Mrkdwn.Escape(title), BlockKitLimits.SectionText - 2) + "*"));
        // Each quote once: where the wording quotes a citation, its quote block stands in its place.
        var parts = ChatText.SplitAtQuotes(text, citations);
        foreach (var part in parts)
        {
            if (part.Quoted is { } quoted)
            {
                blocks.Add(Quote(quoted));
                continue;
            }

            // What is left between two quotes may be only a space, a full stop or "Also:".
            foreach (var piece in SplitParagraphs(part.Text).Where(p => p.Any(char.IsLetterOrDigit)))
                blocks.Add(Section(Mrkdwn.Escape(piece)));
        }

        if (!string.IsNullOrWhiteSpace(note))
        {
            foreach (var piece in SentenceSplitter.Split(note, BlockKitLimits.SectionText - 2))
                blocks.Add(Section("_" + Mrkdwn.Escape(piece) + "_"));
        }

        foreach (var citation in citations.Where(c => !parts.Any(p => p.Quoted == c)))
            blocks.Add(Quote(citation));
        blocks.AddRange(CitationContexts(citations));
        return Pack(blocks, FallbackOf(title, text, citations));
    }

    /// <summary>Paragraph breaks are kept where a paragraph fits a section; longer ones are cut between sentences.</summary>
    private static IEnumerable<string> SplitParagraphs(string text)
    {
        var current = "";
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var piece in SentenceSplitter.Split(paragraph, BlockKitLimits.SectionText))
            {
                var joined = current.Length == 0 ? piece : current + "\n\n" + piece;
                if (Mrkdwn.Escape(joined).Length <= BlockKitLimits.SectionText)
                {
                    current = joined;
                    continue;
                }

                yield return current;
                current = piece;
            }
        }

        if (current.Length > 0)
            yield return current;
    }

    /// <summary>Fills messages block by block within the block count and the total text a message may carry.</summary>
    private static List<SlackMessage> Pack(List<JsonObject> blocks, string fallback)
    {
        var messages = new List<SlackMessage>();
        var current = new JsonArray();
        var size = 0;
        foreach (var block in blocks)
        {
            var blockSize = TextSize(block);
            if (current.Count > 0 && (current.Count == BlockKitLimits.BlocksPerMessage || size + blockSize > BlockKitLimits.TotalBlockText))
            {
                messages.Add(new SlackMessage("", current));
                current = [];
                size = 0;
            }

            current.Add(block);
            size += blockSize;
        }

        if (current.Count > 0)
            messages.Add(new SlackMessage("", current));

        // The first message carries the notification text; later ones say they continue it.
        return [.. messages.Select((m, i) => m with
        {
            Text = i == 0
                ? ChatText.Truncate(fallback, BlockKitLimits.FallbackText)
                : string.Create(CultureInfo.InvariantCulture, $"(continued, part {i + 1} of {messages.Count})"),
        })];
    }

    private static string FallbackOf(string? title, string text, IReadOnlyList<Citation> citations)
    {
        var fallback = new StringBuilder();
        if (title is not null)
            fallback.Append(Mrkdwn.Escape(title)).Append('\n');
        fallback.Append(Mrkdwn.Escape(text.Trim()));
        if (citations.Count > 0)
        {
            fallback.Append("\nSources: ");
            fallback.AppendJoin("; ", citations.Select(c => Mrkdwn.Escape(CitationLabel(c))));
        }

        return fallback.ToString();
    }

    private static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn },
    };

    /// <summary>A rich-text quote holds the article's words verbatim: rich text is not parsed, so nothing in it is escaped or can ping.</summary>
    private static JsonObject Quote(Citation citation) => new()
    {
        ["type"] = "rich_text",
        ["elements"] = new JsonArray(new JsonObject
        {
            ["type"] = "rich_text_quote",
            ["elements"] = new JsonArray(
                new JsonObject { ["type"] = "text", ["text"] = string.Create(CultureInfo.InvariantCulture, $"[{citation.Number}] "), ["style"] = new JsonObject { ["bold"] = true } },
                new JsonObject { ["type"] = "text", ["text"] = ChatText.Truncate(citation.Quote.Trim(), BlockKitLimits.TextObject) }),
        }),
    };

    /// <summary>Ten citations per context block (its element limit), as many blocks as needed.</summary>
    private static IEnumerable<JsonObject> CitationContexts(IReadOnlyList<Citation> citations) =>
        citations.Chunk(BlockKitLimits.ContextElements).Select(chunk => new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray([.. chunk.Select(c => (JsonNode)new JsonObject
            {
                ["type"] = "mrkdwn",
                ["text"] = ChatText.Truncate(Mrkdwn.Escape(CitationLabel(c)), BlockKitLimits.TextObject),
            })]),
        });

    private static string CitationLabel(Citation c) =>
        string.Create(CultureInfo.InvariantCulture, $"[{c.Number}] {c.Title}, paragraph {c.Paragraph} (characters {c.Start}–{c.End} of {c.SourceId})");

    private static int TextSize(JsonObject block) => block.ToJsonString().Length;
}
