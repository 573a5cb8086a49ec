using System.Globalization;
using System.Text;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Sources;
using NewsBot.Summaries;

namespace NewsBot.Discord.Messages;

/// <summary>A reply as Discord messages: each piece within 2000 characters; citations as an embed on the last piece.</summary>
internal sealed record ComposedReply(IReadOnlyList<string> Pieces, IReadOnlyList<Embed>? Embeds);

/// <summary>Turns engine results into Discord-sized messages.</summary>
internal static class ReplyComposer
{
    private const int CitationColor = 0x2B6CB0;

    public static ComposedReply Compose(Answer answer) =>
        Compose(WithNote(answer.Text, answer.Note), answer.Citations, "Sources");

    public static ComposedReply Compose(Summary summary) =>
        Compose(WithNote($"**{summary.Title}**\n{summary.Text}", summary.Note), summary.Citations, "Cited sentences");

    public static ComposedReply Plain(string text) => Compose(text, [], "");

    /// <param name="notice">Why the list may be out of date (<see cref="INewsBotEngine.IndexNotice"/>), shown first so that a long list cannot push it out.</param>
    public static string SourcesList(IReadOnlyList<SourceInfo> sources, string? notice = null)
    {
        var warning = notice is null ? "" : $"⚠️ {notice}\n";
        if (sources.Count == 0)
            return warning + "No articles are indexed yet.";
        var text = new StringBuilder(warning).Append("**Indexed articles**\n");
        for (var i = 0; i < sources.Count; i++)
        {
            var s = sources[i];
            var line = string.Create(CultureInfo.InvariantCulture, $"• `{s.Id}`: {s.Title}{(s.Byline is null ? "" : $" ({s.Byline})")}, {s.Paragraphs} paragraphs\n");
            var more = string.Create(CultureInfo.InvariantCulture, $"…and {sources.Count - i} more.");
            if (text.Length + line.Length + more.Length > EmbedLimits.Content)
            {
                text.Append(more);
                break;
            }

            text.Append(line);
        }

        return text.ToString().TrimEnd();
    }

    private static string WithNote(string text, string? note) =>
        string.IsNullOrWhiteSpace(note) ? text : $"{text}\n\n_{note}_";

    private static ComposedReply Compose(string text, IReadOnlyList<Citation> citations, string embedTitle)
    {
        var pieces = TextSplitter.Split(text, EmbedLimits.Content);
        var embeds = citations.Count == 0 ? null : new[] { CitationEmbed(citations, text, embedTitle) };
        EmbedLimits.Validate(null, embeds);
        foreach (var piece in pieces)
            EmbedLimits.Validate(piece, null);
        return new ComposedReply(pieces, embeds);
    }

    /// <summary>
    /// One field per citation, as many as the embed limits allow; the footer says how many were left out. A quote the
    /// message already shows is not repeated: its field says where in the article it stands.
    /// </summary>
    private static Embed CitationEmbed(IReadOnlyList<Citation> citations, string wording, string title)
    {
        var fields = new List<EmbedField>();
        var budget = EmbedLimits.Total - title.Length - 100; // room for the footer
        foreach (var c in citations)
        {
            if (fields.Count == EmbedLimits.Fields)
                break;
            var name = ChatText.Truncate(string.Create(CultureInfo.InvariantCulture, $"[{c.Number}] {c.Title}, paragraph {c.Paragraph}"), EmbedLimits.FieldName);
            var value = ChatText.ShowsQuote(wording, c)
                ? string.Create(CultureInfo.InvariantCulture, $"characters {c.Start}–{c.End} of `{c.SourceId}`")
                : ChatText.Truncate(QuoteMarks.Wrap(c.Quote.Trim()), EmbedLimits.FieldValue);
            var size = EmbedLimits.Measure(name) + EmbedLimits.Measure(value);
            if (size > budget)
                break;
            budget -= size;
            fields.Add(new EmbedField(name, value));
        }

        var left = citations.Count - fields.Count;
        var footer = left > 0 ? new EmbedFooter(string.Create(CultureInfo.InvariantCulture, $"{left} more citation(s) not shown")) : null;
        return new Embed(Title: title, Fields: fields, Footer: footer, Color: CitationColor);
    }
}
