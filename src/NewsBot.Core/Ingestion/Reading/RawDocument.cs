namespace NewsBot.Ingestion;

/// <summary>What the markup said a piece of text is; the cleaner still applies its own rules.</summary>
internal enum UnitHint
{
    None,
    Title,
    Heading,
    Dek,
    Byline,
    Caption,
    ListItem,
}

/// <summary>One candidate paragraph as a format parser found it, whitespace already normalised.</summary>
internal sealed record RawUnit(string Text, UnitHint Hint = UnitHint.None);

/// <summary>A parsed file before cleaning: candidate paragraphs in reading order.</summary>
/// <param name="Units">Candidate paragraphs.</param>
/// <param name="TitleFromMarkup">Whether the markup named the title (h1, "# ", front matter) rather than the first line.</param>
internal sealed record RawDocument(IReadOnlyList<RawUnit> Units, bool TitleFromMarkup);
