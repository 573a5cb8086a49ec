using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace NewsBot.Generative.Grounding;

/// <summary>
/// Splits the model's reply into sentences of wording, quoted spans and [n] markers, and recognises the
/// agreed "not in the passages" reply. Nothing here trusts the reply: verification comes after.
/// </summary>
internal static partial class DraftParser
{
    public static ModelDraft Parse(string? completion)
    {
        var text = StripFences((completion ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal)).Trim();
        if (text.Length == 0)
            throw new MalformedCompletionException("The model returned an empty reply.");

        var notFound = NotFoundPattern().Match(text);
        if (notFound.Success)
            return new ModelDraft(true, notFound.Groups["why"].Value.Trim(), []);

        var segments = Scan(text);
        return new ModelDraft(false, null, ToSentences(segments));
    }

    private static string StripFences(string text)
    {
        var fenced = FencePattern().Match(text.Trim());
        return fenced.Success ? fenced.Groups["body"].Value : text;
    }

    private static List<Segment> Scan(string text)
    {
        var segments = new List<Segment>();
        var plain = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '[')
            {
                var marker = MarkerPattern().Match(text, i);
                if (marker.Success && marker.Index == i)
                {
                    Flush();
                    var numbers = NumberPattern().Matches(marker.Value)
                        .Select(m => int.TryParse(m.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
                        .ToList();
                    segments.Add(new Segment(SegmentKind.Marker, marker.Value, numbers));
                    i += marker.Length;
                    continue;
                }
            }
            else if (IsOpeningQuote(c))
            {
                var close = FindClosingQuote(text, i);
                if (close > i + 1)
                {
                    Flush();
                    segments.Add(new Segment(SegmentKind.Quote, text[(i + 1)..close], []));
                    i = close + 1;
                    continue;
                }
            }

            plain.Append(c);
            i++;
        }

        Flush();
        return segments;

        void Flush()
        {
            if (plain.Length > 0)
                segments.Add(Segment.Plain(plain.ToString()));
            plain.Clear();
        }
    }

    private static bool IsOpeningQuote(char c) => c is '"' or '\u201C' or '\u201E' or '\u00AB';

    private static int FindClosingQuote(string text, int open)
    {
        var closers = text[open] == '\u00AB' ? "\u00BB" : "\"\u201D\u201C";
        for (var j = open + 1; j < text.Length; j++)
        {
            if (closers.Contains(text[j], StringComparison.Ordinal))
                return j;
            if (text[j] == '\n' && j + 1 < text.Length && text[j + 1] == '\n')
                return -1;
        }

        return -1;
    }

    /// <summary>
    /// Cuts the segments into sentences. A sentence ends at a full stop (or ! ?) followed by space, at a
    /// line break, or after a quote that ends a sentence; markers that follow the end stay with it.
    /// </summary>
    private static List<DraftSentence> ToSentences(List<Segment> segments)
    {
        var sentences = new List<DraftSentence>();
        var current = new List<Segment>();
        var paragraph = false;
        var pendingEnd = false;

        foreach (var segment in segments)
        {
            if (segment.Kind == SegmentKind.Marker)
            {
                current.Add(segment);
                continue;
            }

            if (segment.Kind == SegmentKind.Quote)
            {
                if (pendingEnd)
                    Close(false);
                current.Add(segment);
                pendingEnd = EndsWithStop(segment.Text);
                continue;
            }

            var text = segment.Text;
            var at = 0;
            if (pendingEnd)
            {
                var lead = LeadingBreak().Match(text);
                if (lead.Success)
                {
                    Close(lead.Value.Contains('\n', StringComparison.Ordinal));
                    at = lead.Length;
                }
            }

            foreach (Match boundary in BoundaryPattern().Matches(text, at))
            {
                var piece = text[at..boundary.Index];
                if (boundary.Groups["stop"].Success)
                    piece += boundary.Groups["stop"].Value;
                if (piece.Length > 0)
                    current.Add(Segment.Plain(piece));
                var newline = boundary.Value.Contains('\n', StringComparison.Ordinal);
                if (ContainsWords(current) || newline)
                    Close(newline);
                at = boundary.Index + boundary.Length;
            }

            if (at < text.Length)
                current.Add(Segment.Plain(text[at..]));
            // Whitespace alone (between a quote and its marker) neither ends nor continues the sentence.
            if (at > 0 || !string.IsNullOrWhiteSpace(text))
                pendingEnd = EndsWithStop(text[at..]);
        }

        Close(false);
        return sentences;

        void Close(bool nextStartsParagraph)
        {
            // Markers at the start of a sentence belong to the one before: "… schedule. [1] Next …".
            var leading = current.TakeWhile(s => s.Kind == SegmentKind.Marker || (s.Kind == SegmentKind.Text && string.IsNullOrWhiteSpace(s.Text))).ToList();
            if (sentences.Count > 0 && leading.Any(s => s.Kind == SegmentKind.Marker))
            {
                var previous = sentences[^1];
                sentences[^1] = previous with { Segments = [.. previous.Segments, .. leading.Where(s => s.Kind == SegmentKind.Marker)] };
                current.RemoveRange(0, leading.Count);
            }

            if (current.Any(s => s.Kind != SegmentKind.Text || !string.IsNullOrWhiteSpace(s.Text)))
                sentences.Add(new DraftSentence([.. current], paragraph));
            current.Clear();
            paragraph = nextStartsParagraph;
        }

        static bool ContainsWords(List<Segment> segs) =>
            segs.Any(s => s.Kind == SegmentKind.Quote || (s.Kind == SegmentKind.Text && s.Text.Any(char.IsLetterOrDigit)));
    }

    private static bool EndsWithStop(string text)
    {
        var trimmed = text.TrimEnd();
        return trimmed.Length > 0 && trimmed[^1] is '.' or '!' or '?';
    }

    [GeneratedRegex(@"^\W{0,4}NOT[_ ]FOUND\W{0,4}[:\-\u2013\u2014]?\s*(?<why>[\s\S]*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotFoundPattern();

    [GeneratedRegex(@"^```[a-zA-Z]*\n(?<body>[\s\S]*?)\n?```$")]
    private static partial Regex FencePattern();

    [GeneratedRegex(@"\G\[\s*\d{1,3}(?:\s*[,;]\s*\d{1,3})*\s*\]")]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"\d+")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"(?<stop>[.!?])(?=\s)\s+|\n+\s*")]
    private static partial Regex BoundaryPattern();

    [GeneratedRegex(@"^\s+(?=\P{Ll})")]
    private static partial Regex LeadingBreak();
}
