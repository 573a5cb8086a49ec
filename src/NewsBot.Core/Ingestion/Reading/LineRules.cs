using System.Text.RegularExpressions;

namespace NewsBot.Ingestion;

/// <summary>
/// Recognises the non-prose lines of a news page by their general shape: photo captions and credits,
/// bylines, author bios, datelines and contributor credits.
/// </summary>
internal static partial class LineRules
{
    private static readonly HashSet<string> CreditWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "courtesy", "getty", "reuters", "ap", "afp", "epa", "upi", "xinhua", "tass", "anadolu", "flash90", "gpo",
        "shutterstock", "istock", "istockphoto", "alamy", "handout", "file", "screenshot", "screengrab", "screen",
        "illustrative", "illustration", "photo", "photos", "photograph", "photographer", "credit", "via", "wikimedia",
        "wikipedia", "youtube", "twitter", "facebook", "instagram", "pool", "archive", "stock", "spokesperson",
        "bloomberg", "dpa", "sipa", "imago", "zuma", "pa", "aap", "ansa", "efe", "kyodo", "yonhap", "unsplash",
    };

    [GeneratedRegex(@"^(?:photo(?:graph)?s?|images?|pictures?|pictured|illustration|video|caption|credit|photo credit|file photo|top photo|main photo|top image|main image)\s*(?::|\bby\b|\.{3}|…)\s*\S", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CaptionPrefix();

    [GeneratedRegex(@"(?:\b(?:photo(?:graph)?|image|picture|illustration|credit|photo credit)\s*:|\b(?:photo(?:graph)?|image|illustration)s?\s+by)\s+[^.!?]{2,80}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CaptionCreditSuffix();

    // Case-sensitive on purpose: with IgnoreCase, \p{Lu} would match lower case too.
    [GeneratedRegex(@"^(?:[Bb][Yy]|[Ww]ritten [Bb]y|[Ww]ords [Bb]y|[Ss]tory [Bb]y)\s+\p{Lu}", RegexOptions.CultureInvariant)]
    private static partial Regex ByPrefix();

    // "Jane Doe, Reuters" / "Jane Doe | The Associated Press" / "Jane Doe — AFP"
    [GeneratedRegex(@"^(?:\p{Lu}[\p{L}'’.\-]*\s+){1,3}\p{Lu}[\p{L}'’\-]+\s*(?:,|\||—|–|-)\s*(?:(?:the|The)\s+)?(?:\p{Lu}[\p{L}&.\-]*)(?:\s+(?:\p{Lu}[\p{L}&.\-]*|of|for))*\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex NameThenOutlet();

    // "Raoul Wootliff is the Times of Israel's former political correspondent ..."
    [GeneratedRegex(@"^(?:\p{Lu}[\p{L}'’.\-]*\s+){1,3}\p{Lu}[\p{L}'’\-]+\s+(?:is|was|has been|writes|covers|reports)\b.*\b(?:correspondent|reporter|editor|writer|journalist|columnist|producer|contributor|analyst|host|bureau chief|author|photographer|critic|commentator)s?\b", RegexOptions.CultureInvariant)]
    private static partial Regex AuthorBio();

    [GeneratedRegex(@"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b|\b(?:published|updated|posted|last modified)\b.*\d|\b\d{4}-\d{2}-\d{2}\b|\b\d+\s+(?:minutes?|hours?|days?)\s+ago\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DateLike();

    [GeneratedRegex(@"^(?<names>.{2,240}?)\s+(?:also\s+)?contribut(?:ed|es)\s+(?:reporting\s+)?(?:to\s+)?(?:this\s+)?(?:report|reporting|story|article|coverage)\b[^.]{0,60}\.?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ContributedTo();

    [GeneratedRegex(@"^[(\[]?(?:with\s+)?(?:(?:additional|further)\s+)?(?:reporting|writing|editing|research|compiled|compiling|translation|translated|produced)\s+(?:by|from)\s+\S", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CreditTrailer();

    [GeneratedRegex(@"^(?:(?:additional|further)\s+)?(?:reporting|writing|editing|research|compiled|compiling|translation|translated|produced)\s+(?:by|from)\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CreditRole();

    [GeneratedRegex(@"\s+in\s+\p{Lu}[\p{L}\s.\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceSuffix();

    [GeneratedRegex(@"\s*(?:,|;|\band\b|&)\s*", RegexOptions.CultureInvariant)]
    private static partial Regex NameSeparator();

    /// <summary>A photo caption or credit line: ends in a parenthesised credit, or is labelled as a photo.</summary>
    public static bool IsCaption(string text)
    {
        if (Whitespace.CountWords(text) > 70)
            return false;
        if (CaptionPrefix().IsMatch(text) || CaptionCreditSuffix().IsMatch(text))
            return true;
        if (!text.EndsWith(')'))
            return false;

        var open = MatchingOpenParen(text);
        if (open < 0)
            return false;
        var inner = text.AsSpan(open + 1, text.Length - open - 2).Trim();
        if (inner.Length is 0 or > 80 || inner.Contains("http", StringComparison.OrdinalIgnoreCase))
            return false;
        var before = text.AsSpan(0, open).TrimEnd();
        return IsCreditLike(inner, before);
    }

    /// <summary>
    /// The part of a caption that describes the picture: all of it but a label before it ("Photo: …") and a credit after
    /// it ("… in Moscow. (AP/Pavel Golovkin)", "… on Monday. Photo by Jane Doe"), with spaces trimmed. Empty (Start == End)
    /// when nothing is left.
    /// </summary>
    public static TextSpan Description(string caption)
    {
        var start = CaptionPrefix().Match(caption) is { Success: true } label ? label.Index + label.Length - 1 : 0;
        var end = caption.Length;
        if (CaptionCreditSuffix().Match(caption, start) is { Success: true } suffix)
        {
            end = suffix.Index;
        }
        else if (caption.EndsWith(')') && MatchingOpenParen(caption) is var open and >= 0 && open >= start)
        {
            var inner = caption.AsSpan(open + 1, caption.Length - open - 2).Trim();
            if (inner.Length is > 0 and <= 80 && IsCreditLike(inner, caption.AsSpan(start, open - start).TrimEnd()))
                end = open;
        }

        while (end > start && char.IsWhiteSpace(caption[end - 1]))
            end--;
        while (start < end && char.IsWhiteSpace(caption[start]))
            start++;

        // "Photo: Getty Images", "Image: Jane Doe/AFP": the label introduced a credit alone.
        var rest = caption.AsSpan(start, end - start);
        if (start > 0 && rest.Count(' ') < 4 && IsCreditLike(rest, []))
            return new TextSpan(start, start);
        return new TextSpan(start, end);
    }

    private static int MatchingOpenParen(string text)
    {
        var depth = 0;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            if (text[i] == ')')
            {
                depth++;
            }
            else if (text[i] == '(' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsCreditLike(ReadOnlySpan<char> inner, ReadOnlySpan<char> before)
    {
        if (HasNameSlash(inner))
            return true;

        var words = 0;
        var capitalised = 0;
        foreach (var range in inner.SplitAny(' ', '-', ':', ','))
        {
            var word = inner[range].Trim(".;'’");
            if (word.IsEmpty)
                continue;
            words++;
            if (CreditWords.Contains(word.ToString()))
                return true;
            if (TextShape.IsCapitalised(word))
                capitalised++;
        }

        // A bare name in brackets after a full caption sentence is a photographer's credit.
        return before.Length > 0 && TextShape.IsTerminal(before[^1]) && words is >= 2 and <= 4 && capitalised == words;
    }

    /// <summary>"Agency/Photographer": a slash with letters on both sides, unlike "1/2" or "and/or".</summary>
    private static bool HasNameSlash(ReadOnlySpan<char> inner)
    {
        var slash = inner.IndexOf('/');
        if (slash <= 0 || slash >= inner.Length - 1)
            return false;
        var left = inner[..slash].TrimEnd();
        var right = inner[(slash + 1)..].TrimStart();
        return left.Length > 0 && right.Length > 0 && char.IsLetter(left[^1]) && char.IsUpper(right[0]);
    }

    /// <summary>An author line: "By Jane Doe", "Jane Doe, Reuters", or a short author bio.</summary>
    public static bool IsAuthorLine(string text)
    {
        var words = Whitespace.CountWords(text);
        if (words <= 16 && ByPrefix().IsMatch(text) && !TextShape.HasQuotation(text))
            return true;
        if (words <= 10 && NameThenOutlet().IsMatch(text))
            return true;
        return words <= 45 && AuthorBio().IsMatch(text);
    }

    /// <summary>A publication date or time stamp line near the top.</summary>
    public static bool IsDateLine(string text) =>
        Whitespace.CountWords(text) <= 14 && !TextShape.EndsWithTerminal(text) && DateLike().IsMatch(text);

    /// <summary>"X contributed to this report." or a wire trailer like "Reporting by X; Editing by Y".</summary>
    public static bool IsContributorLine(string text, out IReadOnlyList<string> names)
    {
        names = [];
        if (Whitespace.CountWords(text) > 60)
            return false;

        var contributed = ContributedTo().Match(text);
        if (contributed.Success)
        {
            names = SplitNames(contributed.Groups["names"].Value);
            return names.Count > 0;
        }

        if (!CreditTrailer().IsMatch(text))
            return false;

        var found = new List<string>();
        var body = text.Trim().TrimStart('(', '[').TrimEnd(')', ']', '.');
        if (body.StartsWith("with ", StringComparison.OrdinalIgnoreCase))
            body = body[5..];
        foreach (var part in body.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var role = CreditRole().Match(part);
            if (!role.Success || role.Value.StartsWith("edit", StringComparison.OrdinalIgnoreCase))
                continue;
            found.AddRange(SplitNames(part[role.Length..]));
        }

        names = found;
        return true;
    }

    private static List<string> SplitNames(string list)
    {
        var names = new List<string>();
        foreach (var piece in NameSeparator().Split(list))
        {
            var name = PlaceSuffix().Replace(piece, string.Empty).Trim(' ', '.', '(', ')');
            if (name.Length > 0 && char.IsUpper(name[0]))
                names.Add(name);
        }

        return names;
    }
}
