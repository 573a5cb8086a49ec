namespace NewsBot.Ingestion;

/// <summary>
/// Plain text: blank lines separate paragraphs. Inside a block, lines are separate paragraphs (scraped
/// pages put one per line) unless they look hard-wrapped, in which case they are joined with a space.
/// </summary>
internal static class PlainTextParser
{
    public static RawDocument Parse(string text)
    {
        var units = new List<RawUnit>();
        var block = new List<string>();
        foreach (var raw in Whitespace.Lines(text))
        {
            var line = Whitespace.Normalize(raw);
            if (line.Length == 0)
            {
                Flush(block, units);
                continue;
            }

            block.Add(line);
        }

        Flush(block, units);
        return new RawDocument(units, TitleFromMarkup: false);
    }

    private static void Flush(List<string> block, List<RawUnit> units)
    {
        if (block.Count == 0)
            return;
        if (IsHardWrapped(block))
            units.Add(new RawUnit(string.Join(' ', block)));
        else
            units.AddRange(block.Select(line => new RawUnit(line)));
        block.Clear();
    }

    /// <summary>
    /// Lines of similar, moderate width that do not each stand alone: the signature of text wrapped at a
    /// fixed column. One-item-per-line UI blocks and stacked captions have ragged or self-contained lines.
    /// </summary>
    internal static bool IsHardWrapped(IReadOnlyList<string> lines)
    {
        if (lines.Count < 2)
            return false;

        var max = lines.Max(l => l.Length);
        if (max > 100)
            return false;

        var minimum = Math.Max(30, (int)(max * 0.6));
        var openEnded = 0;
        for (var i = 0; i < lines.Count - 1; i++)
        {
            var line = lines[i];
            if (line.Length < minimum || LineRules.IsCaption(line))
                return false;
            if (!TextShape.EndsWithTerminal(line))
                openEnded++;
        }

        return openEnded * 2 >= lines.Count - 1 && !LineRules.IsCaption(lines[^1]);
    }
}
