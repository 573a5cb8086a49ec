using System.Text.RegularExpressions;

namespace NewsBot.Ingestion;

/// <summary>
/// Markdown: headings, list items and paragraphs (soft-wrapped lines joined) become candidate paragraphs
/// with the markup removed; code blocks, images, rules and link definitions are not article prose.
/// </summary>
internal static partial class MarkdownParser
{
    [GeneratedRegex(@"^(#{1,6})\s+(.*?)\s*#*\s*$")]
    private static partial Regex AtxHeading();

    [GeneratedRegex(@"^(?:[-*+]|\d{1,3}[.)])\s+(.*)$")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"^(?:[-*_]\s*){3,}$")]
    private static partial Regex Rule();

    [GeneratedRegex(@"^\[[^\]]+\]:\s*\S+")]
    private static partial Regex LinkDefinition();

    [GeneratedRegex(@"^\s*title\s*:\s*(.+?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex FrontMatterTitle();

    [GeneratedRegex(@"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])")]
    private static partial Regex Link();

    [GeneratedRegex(@"<(https?://[^>]+)>")]
    private static partial Regex AutoLink();

    [GeneratedRegex(@"</?[A-Za-z][^>]*>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")]
    private static partial Regex Strong();

    [GeneratedRegex(@"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\\([\\`*_{}\[\]()#+\-.!>~|])")]
    private static partial Regex Escape();

    public static RawDocument Parse(string text)
    {
        var lines = Whitespace.Lines(text);
        var units = new List<RawUnit>();
        var paragraph = new List<string>();
        var titleFromMarkup = false;
        var i = 0;

        if (lines.Length > 0 && lines[0].Trim() == "---")
        {
            var close = Array.FindIndex(lines, 1, l => l.Trim() is "---" or "...");
            if (close > 0)
            {
                var title = lines[1..close].Select(l => FrontMatterTitle().Match(l)).FirstOrDefault(m => m.Success);
                if (title is not null)
                {
                    units.Add(new RawUnit(Whitespace.Normalize(title.Groups[1].Value.Trim('"', '\'')), UnitHint.Title));
                    titleFromMarkup = true;
                }

                i = close + 1;
            }
        }

        var inFence = false;
        for (; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                Flush(paragraph, units);
                inFence = !inFence;
                continue;
            }

            // Indented blocks are read as text: news exports indent paragraphs far more often than they hold code.
            if (inFence)
                continue;

            if (trimmed.Length == 0 || Rule().IsMatch(trimmed) || LinkDefinition().IsMatch(trimmed))
            {
                Flush(paragraph, units);
                continue;
            }

            // Setext heading: a paragraph line underlined with === or ---.
            if (paragraph.Count == 1 && trimmed.All(c => c == '=') || paragraph.Count == 1 && trimmed.Length >= 2 && trimmed.All(c => c == '-'))
            {
                var level1 = trimmed[0] == '=';
                AddHeading(units, paragraph[0], level1, ref titleFromMarkup);
                paragraph.Clear();
                continue;
            }

            var heading = AtxHeading().Match(trimmed);
            if (heading.Success)
            {
                Flush(paragraph, units);
                AddHeading(units, heading.Groups[2].Value, heading.Groups[1].Length == 1, ref titleFromMarkup);
                continue;
            }

            while (trimmed.StartsWith('>'))
                trimmed = trimmed[1..].TrimStart();

            var item = ListItem().Match(trimmed);
            if (item.Success)
            {
                Flush(paragraph, units);
                paragraph.Add(item.Groups[1].Value);
                Flush(paragraph, units, UnitHint.ListItem);
                continue;
            }

            paragraph.Add(trimmed);
        }

        Flush(paragraph, units);
        return new RawDocument(units, titleFromMarkup);
    }

    private static void AddHeading(List<RawUnit> units, string text, bool level1, ref bool titleFromMarkup)
    {
        var inline = Inline(text);
        if (inline.Length == 0)
            return;
        var isTitle = level1 && !titleFromMarkup && units.Count <= 2;
        titleFromMarkup |= isTitle;
        units.Add(new RawUnit(inline, isTitle ? UnitHint.Title : UnitHint.Heading));
    }

    private static void Flush(List<string> paragraph, List<RawUnit> units, UnitHint hint = UnitHint.None)
    {
        if (paragraph.Count == 0)
            return;
        var text = Inline(string.Join(' ', paragraph));
        paragraph.Clear();
        if (text.Length > 0)
            units.Add(new RawUnit(text, hint));
    }

    /// <summary>Removes inline markup, keeping the visible words exactly.</summary>
    internal static string Inline(string text)
    {
        var s = Image().Replace(text, string.Empty);
        s = Link().Replace(s, "$1");
        s = AutoLink().Replace(s, "$1");
        s = HtmlTag().Replace(s, " ");
        s = InlineCode().Replace(s, "$1");
        s = Strong().Replace(s, "$2");
        s = Emphasis().Replace(s, m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);
        s = Escape().Replace(s, "$1");
        return Whitespace.Normalize(DecodeEntities(s));
    }

    /// <summary>Markdown may carry the common HTML entities; the reader sees the characters.</summary>
    private static string DecodeEntities(string text) =>
        text.Contains('&', StringComparison.Ordinal) ? System.Net.WebUtility.HtmlDecode(text) : text;
}
