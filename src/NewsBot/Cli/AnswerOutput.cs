using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Sources;
using NewsBot.Summaries;

namespace NewsBot.Host.Cli;

/// <summary>How answers, summaries and source lists look on a terminal and as JSON lines.</summary>
public static class AnswerOutput
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Text(Answer answer)
    {
        var text = new StringBuilder(answer.Text);
        if (answer.Note is not null)
            text.Append("\n(").Append(answer.Note).Append(')');
        AppendCitations(text, answer.Text, answer.Citations);
        return text.ToString();
    }

    public static string Text(Summary summary)
    {
        var text = new StringBuilder(summary.SourceId is null ? summary.Title : $"Summary of {QuoteMarks.Wrap(summary.Title)}").Append(":\n").Append(summary.Text);
        if (summary.Note is not null)
            text.Append("\n(").Append(summary.Note).Append(')');
        AppendCitations(text, summary.Text, summary.Citations);
        return text.ToString();
    }

    /// <param name="notice">Why the list may be out of date (<see cref="INewsBotEngine.IndexNotice"/>), its first line.</param>
    public static string Text(IReadOnlyList<SourceInfo> sources, string? notice = null)
    {
        var warning = notice is null ? "" : $"warning: {notice}\n";
        if (sources.Count == 0)
            return warning + "No articles are loaded. Put .txt, .md or .html files in the seeds folder and run `ingest`.";
        var text = new StringBuilder(warning);
        foreach (var s in sources)
        {
            text.Append(s.Id).Append("  ").Append(QuoteMarks.Wrap(s.Title));
            if (s.Byline is not null)
                text.Append(" — ").Append(s.Byline);
            text.Append($"\n    {Count(s.Paragraphs, "paragraph")}, {Count(s.Sentences, "sentence")}, {Count(s.Chunks, "chunk")}\n");
        }

        return text.ToString().TrimEnd();
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    public static string Json(Answer answer, double elapsedMs) => Write(w =>
    {
        w.WriteString("question", answer.Question);
        w.WriteBoolean("answered", answer.Answered);
        w.WriteString("answer", answer.Text);
        if (answer.Note is not null)
            w.WriteString("note", answer.Note);
        if (answer.ShortAnswer is { } shortAnswer)
        {
            w.WriteStartObject("shortAnswer");
            w.WriteString("text", shortAnswer.Text);
            w.WriteNumber("start", shortAnswer.Start);
            w.WriteNumber("end", shortAnswer.End);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("shortAnswer");
        }

        WriteCitations(w, answer.Citations);
        w.WriteNumber("elapsedMs", Math.Round(elapsedMs, 2));
    });

    public static string Json(Summary summary, double elapsedMs) => Write(w =>
    {
        w.WriteString("sourceId", summary.SourceId);
        w.WriteString("title", summary.Title);
        w.WriteString("summary", summary.Text);
        if (summary.Note is not null)
            w.WriteString("note", summary.Note);
        WriteCitations(w, summary.Citations);
        w.WriteNumber("elapsedMs", Math.Round(elapsedMs, 2));
    });

    public static string Json(SourceInfo s) => Write(w =>
    {
        w.WriteString("id", s.Id);
        w.WriteString("title", s.Title);
        w.WriteString("byline", s.Byline);
        w.WriteNumber("paragraphs", s.Paragraphs);
        w.WriteNumber("sentences", s.Sentences);
        w.WriteNumber("chunks", s.Chunks);
    });

    /// <summary>A rejected question in the documented shape, with the reason in <c>error</c> and no answer.</summary>
    public static string JsonError(string question, string error, double elapsedMs) => Write(w =>
    {
        w.WriteString("question", question);
        w.WriteBoolean("answered", false);
        w.WriteNull("answer");
        w.WriteString("error", error);
        w.WriteStartArray("citations");
        w.WriteEndArray();
        w.WriteNumber("elapsedMs", Math.Round(elapsedMs, 2));
    });

    /// <summary>Each citation's article and paragraph; its quote too, unless the wording above already shows it.</summary>
    private static void AppendCitations(StringBuilder text, string wording, IReadOnlyList<Citation> citations)
    {
        foreach (var c in citations)
        {
            text.Append($"\n[{c.Number}] {c.Title} — ¶{c.Paragraph}");
            if (!ChatText.ShowsQuote(wording, c))
                text.Append(": ").Append(QuoteMarks.Wrap(c.Quote));
        }
    }

    private static void WriteCitations(Utf8JsonWriter w, IReadOnlyList<Citation> citations)
    {
        w.WriteStartArray("citations");
        foreach (var c in citations)
        {
            w.WriteStartObject();
            w.WriteNumber("n", c.Number);
            w.WriteString("sourceId", c.SourceId);
            w.WriteString("title", c.Title);
            w.WriteNumber("paragraph", c.Paragraph);
            w.WriteString("quote", c.Quote);
            w.WriteNumber("start", c.Start);
            w.WriteNumber("end", c.End);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, JsonOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
