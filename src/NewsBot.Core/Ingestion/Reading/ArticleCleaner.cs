using NewsBot.Sources;

namespace NewsBot.Ingestion;

/// <summary>A paragraph the cleaner kept, with what it is.</summary>
internal sealed record CleanParagraph(ParagraphKind Kind, string Text);

/// <summary>The cleaner's result: the title first, then every kept paragraph in reading order.</summary>
internal sealed record CleanArticle(
    string Title,
    string? Dek,
    string? Byline,
    IReadOnlyList<string> Contributors,
    IReadOnlyList<CleanParagraph> Paragraphs);

/// <summary>
/// Decides, by general rules, what each candidate paragraph of a page is: title, dek, byline, body,
/// caption, contributor credit, or furniture to drop (duplicates, UI lines, and the sign-up/newsletter
/// footer that follows the article).
/// </summary>
internal static class ArticleCleaner
{
    /// <summary>How far below the title the dek and bylines are looked for.</summary>
    private const int HeaderReach = 6;

    /// <summary>Within this many leading units a headline-shaped line is preferred as title over short labels.</summary>
    private const int TitleReach = 5;

    /// <summary>Topic tags and link labels under a "Read more about:" line are this short.</summary>
    private const int MaxTagWords = 4;

    private sealed class Unit(RawUnit raw)
    {
        public string Text { get; } = raw.Text;
        public UnitHint Hint { get; } = raw.Hint;
        public int Words { get; } = Whitespace.CountWords(raw.Text);
        public ParagraphKind Kind { get; set; } = ParagraphKind.Body;
        public bool Boilerplate { get; set; }
        public bool AddressesReader { get; set; }
        public IReadOnlyList<string> Contributors { get; set; } = [];

        /// <summary>Reads like reporting: a full sentence of some length, or a long line.</summary>
        public bool IsProse => (Words >= 8 && TextShape.EndsWithTerminal(Text)) || Words >= 20;
    }

    public static CleanArticle Clean(RawDocument document, string path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var units = new List<Unit>();
        foreach (var raw in document.Units)
        {
            // The same line twice on a page is layout (a caption rendered twice, a repeated button), never news.
            if (raw.Text.Length > 0 && seen.Add(raw.Text))
                units.Add(Classify(new Unit(raw)));
        }

        var titleAt = FindTitle(units, document.TitleFromMarkup);
        if (titleAt < 0)
            throw new SourceFormatException(path, "no article text (nothing but page furniture)");
        var title = TitleText(units[titleAt].Text);

        var rest = units.Skip(titleAt + 1).ToList();
        CutFooter(rest);
        rest.RemoveAll(u => u.Boilerplate);
        var (dek, byline) = MarkHeader(rest);

        if (!rest.Any(u => u.Kind == ParagraphKind.Body))
        {
            if (rest.FirstOrDefault(u => u.Kind == ParagraphKind.Dek) is { IsProse: true } only)
            {
                // A headline over a single paragraph of reporting (one that ends in a colon, say, as a list once followed
                // it) is a short story, not a subtitle over nothing: the paragraph is its text.
                only.Kind = ParagraphKind.Body;
                dek = null;
            }
            else
            {
                // A file that is one paragraph of reporting has no headline: the paragraph is the story, and its
                // opening words stand in as the title so it is still listed and answerable.
                if (!units[titleAt].IsProse || document.TitleFromMarkup)
                    throw new SourceFormatException(path, "no article text after cleaning");
                rest.Insert(0, units[titleAt]);
                title = OpeningWords(units[titleAt].Text);
            }
        }

        var paragraphs = new List<CleanParagraph>(rest.Count + 1) { new(ParagraphKind.Title, title) };
        paragraphs.AddRange(rest.Select(u => new CleanParagraph(u.Kind, u.Text)));
        var contributors = rest.SelectMany(u => u.Contributors).Distinct(StringComparer.Ordinal).ToList();
        return new CleanArticle(title, dek, byline, contributors, paragraphs);
    }

    private static Unit Classify(Unit unit)
    {
        if (unit.Hint == UnitHint.Title)
            return unit;

        if (LineRules.IsContributorLine(unit.Text, out var names))
        {
            unit.Kind = ParagraphKind.Contributor;
            unit.Contributors = names;
            return unit;
        }

        if (unit.Hint == UnitHint.Caption || LineRules.IsCaption(unit.Text))
        {
            unit.Kind = ParagraphKind.Caption;
            return unit;
        }

        // Separator rows ("***", "___") and lone symbols carry no words to quote.
        var verdict = BoilerplateLexicon.Assess(unit.Text);
        unit.Boilerplate = verdict.IsBoilerplate || !unit.Text.Any(char.IsLetterOrDigit);
        unit.AddressesReader = verdict.AddressesReader;
        return unit;
    }

    private static int FindTitle(List<Unit> units, bool fromMarkup)
    {
        if (fromMarkup)
        {
            var marked = units.FindIndex(u => u.Hint == UnitHint.Title);
            if (marked >= 0)
                return marked;
        }

        static bool Eligible(Unit u) => u.Kind == ParagraphKind.Body && !u.Boilerplate;
        var reach = Math.Min(units.Count, TitleReach);
        for (var i = 0; i < reach; i++)
        {
            // Section labels and menu words ("World", "Home") sit above headlines on scraped pages; a short
            // line is the title itself when what follows it is prose rather than another headline.
            if (Eligible(units[i]) && (units[i].Words >= 3 || units.Skip(i + 1).FirstOrDefault(Eligible) is { IsProse: true }))
                return i;
        }

        return units.FindIndex(Eligible);
    }

    private static string OpeningWords(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length <= 12 ? text : string.Join(' ', words.Take(12)) + " …";
    }

    /// <summary>A title keeps its words; markdown heading marks that survived into plain text go.</summary>
    private static string TitleText(string text)
    {
        var marks = text.Length - text.TrimStart('#').Length;
        return marks is > 0 and <= 6 && marks < text.Length && text[marks] == ' ' ? text[(marks + 1)..] : text;
    }

    /// <summary>
    /// Once a run of UI-looking lines reaches the end of the page, it is the footer: everything from its
    /// first boilerplate line on goes, including short neutral lines and sentences that talk to the reader
    /// in UI terms caught inside it ("Please use the following structure:", "It has a link that will sign
    /// you in."). Reporting prose, captions and credits stop the run, so the article itself is never cut.
    /// </summary>
    private static void CutFooter(List<Unit> units)
    {
        var i = units.Count - 1;
        while (i >= 0 && units[i].Kind == ParagraphKind.Body && (units[i].Boilerplate || !units[i].IsProse || units[i].AddressesReader))
            i--;

        var first = units.FindIndex(i + 1, u => u.Boilerplate);
        if (first < 0)
            return;
        while (first > i + 1 && units[first - 1].AddressesReader)
            first--;
        var run = units.Count - first;
        var boilerplate = units.Skip(first).Count(u => u.Boilerplate);

        // Mostly UI lines; or one UI line heading a list of tags or links ("Read more about:", "Topics").
        if (boilerplate >= 2 && boilerplate * 2 >= run
            || units.Skip(first).All(u => u.Boilerplate || u.Words <= MaxTagWords))
        {
            units.RemoveRange(first, run);
        }
    }

    /// <summary>Marks the dek and author/date lines between the title and the start of the story.</summary>
    private static (string? Dek, string? Byline) MarkHeader(List<Unit> units)
    {
        string? dek = null;
        string? byline = null;
        var reach = Math.Min(units.Count, HeaderReach);
        for (var i = 0; i < reach; i++)
        {
            var unit = units[i];
            if (unit.Kind == ParagraphKind.Caption)
                continue;
            if (unit.Kind != ParagraphKind.Body)
                break;

            if (unit.Hint == UnitHint.Byline || LineRules.IsAuthorLine(unit.Text) || LineRules.IsDateLine(unit.Text))
            {
                unit.Kind = ParagraphKind.Byline;
                if (byline is null && LineRules.IsAuthorLine(unit.Text))
                    byline = unit.Text;
                continue;
            }

            if (dek is null && IsDek(units, i))
            {
                unit.Kind = ParagraphKind.Dek;
                dek = unit.Text;
                continue;
            }

            break;
        }

        byline ??= units.FirstOrDefault(u => u.Kind == ParagraphKind.Byline)?.Text;
        return (dek, byline);
    }

    /// <summary>
    /// A subtitle is a single headline-like line right under the title: marked as such, or without a
    /// closing full stop, or standing directly above the byline.
    /// </summary>
    private static bool IsDek(List<Unit> units, int index)
    {
        var unit = units[index];
        if (unit.Hint == UnitHint.Dek)
            return true;
        if (unit.Words is < 4 or > 60 || unit.Hint == UnitHint.ListItem)
            return false;
        if (!TextShape.EndsWithTerminal(unit.Text) || unit.Hint == UnitHint.Heading && index == 0)
            return true;

        var next = units.Skip(index + 1).FirstOrDefault(u => u.Kind != ParagraphKind.Caption);
        return next is not null && unit.Words <= 50 && (next.Hint == UnitHint.Byline || LineRules.IsAuthorLine(next.Text));
    }
}
