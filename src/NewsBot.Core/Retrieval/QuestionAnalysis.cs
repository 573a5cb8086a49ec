using System.Text.RegularExpressions;

namespace NewsBot.Retrieval;

/// <summary>The kind of thing a question asks for, read from its wording.</summary>
public enum AnswerKind
{
    Unknown,
    Person,
    Number,
    Time,
    /// <summary>A calendar day ("on what date", "what day"): a relative time such as "three months after" does not answer it.</summary>
    Date,
    Place,
}

/// <summary>What retrieval needs to know about a question: its content terms and the kind of answer it expects.</summary>
/// <param name="AnswerTypeTerms">
/// The noun naming the kind of thing asked for ("country" in "In what country is Normandy?"). It describes the
/// answer rather than the facts around it, so an answering sentence need not contain it ("Normandy, a region in France").
/// </param>
/// <param name="NameTerms">Terms of the capitalised words after the first, which may meet the article in a derived form.</param>
/// <param name="AcronymTerms">Terms of the all-capital words ("nsa" for "NSA"), which may meet a written-out name.</param>
/// <param name="Speaker">For "What did X say?", the analysis of X: the answer must be words the article attributes to X.</param>
/// <param name="AsksYesNo">
/// "Did …?", "Is it known whether …?": answered by a quote, never by a few words of it ("Kaspersky Lab." for "Did the company
/// admit it took the code?"); a choice ("Was it the FSB or the GRU?") is not one.
/// </param>
/// <param name="AsksForHeadline">"What's the headline?", "what is the article called?": answered by the article's title.</param>
/// <param name="AsksForDate">"When was the article published?", "what's its date?": answered by the article's date line.</param>
/// <param name="AsksForLength">"How long is the article?", "word count?": answered by counting its words and paragraphs.</param>
/// <param name="Respellings">
/// Terms that no article holds, each with the term of the index it was most likely meant as (typed → meant); null until
/// <see cref="SentenceRetriever.Respelled"/> has looked, empty when it changed nothing.
/// </param>
public sealed partial record QuestionAnalysis(
    string Text,
    IReadOnlyList<string> Terms,
    AnswerKind Expects,
    bool AsksForAuthor,
    bool AsksForGist = false,
    IReadOnlyList<string>? AnswerTypeTerms = null,
    IReadOnlySet<string>? NameTerms = null,
    IReadOnlySet<string>? AcronymTerms = null,
    QuestionAnalysis? Speaker = null,
    bool AsksYesNo = false,
    IReadOnlyDictionary<string, string>? Respellings = null,
    bool AsksForHeadline = false,
    bool AsksForDate = false,
    bool AsksForLength = false)
{
    public static QuestionAnalysis Of(string question)
    {
        var lower = question.ToLowerInvariant();
        var head = AnswerTypeNoun().Match(lower);
        return new QuestionAnalysis(
            question, TermAnalyzer.Shared.Terms(question), KindOf(lower), AuthorQuestion().IsMatch(lower), GistQuestion().IsMatch(lower),
            head.Success ? TermAnalyzer.Shared.Terms(head.Groups["noun"].Value) : [],
            TermsOf(CapitalisedWord().Matches(question).Where(m => m.Index > 0)),
            TermsOf(AcronymWord().Matches(question)),
            Attribution.SpeakerOf(question) is { } speaker ? Of(speaker) : null,
            AsksYesNoQuestion(question),
            AsksForHeadline: HeadlineQuestion().IsMatch(lower),
            AsksForDate: PublicationDateQuestion().IsMatch(lower),
            AsksForLength: LengthQuestion().IsMatch(lower));
    }

    /// <summary>
    /// Whether the question is about the article as a whole ("who wrote it?", "what is the article about?", "what's the
    /// headline?"): the checks of <see cref="AsksForAuthor"/>, <see cref="AsksForGist"/> and <see cref="AsksForHeadline"/>
    /// alone, for the chat engine, which must route such a question before the answerer analyses it in full.
    /// </summary>
    public static bool AsksAboutTheWholeArticle(string question)
    {
        var lower = question.ToLowerInvariant();
        return AuthorQuestion().IsMatch(lower) || GistQuestion().IsMatch(lower) || HeadlineQuestion().IsMatch(lower) || PublicationDateQuestion().IsMatch(lower)
            || LengthQuestion().IsMatch(lower);
    }

    /// <summary>Whether the question asks yes or no ("Did …?", "Was it …?"), not a choice between things it names.</summary>
    public static bool AsksYesNoQuestion(string question)
    {
        var lower = question.ToLowerInvariant();
        return YesNoQuestion().IsMatch(lower) && !Choice().IsMatch(lower);
    }

    [GeneratedRegex(@"^\W*((and|so|but|then)\s+)?(is|are|was|were|am|do|does|did|has|have|had|can|could|will|won|would|should|shall|may|might|must)(n[’']t)?\b")]
    private static partial Regex YesNoQuestion();

    [GeneratedRegex(@"\bor\b")]
    private static partial Regex Choice();

    private static HashSet<string> TermsOf(IEnumerable<Match> words) =>
        new(words.SelectMany(m => TermAnalyzer.Shared.Terms(m.Value)), StringComparer.Ordinal);

    [GeneratedRegex(@"\b\p{Lu}[\p{L}\-]+")]
    private static partial Regex CapitalisedWord();

    [GeneratedRegex(@"\b\p{Lu}{2,6}\b")]
    private static partial Regex AcronymWord();

    /// <summary>The question's content terms that an answering sentence is expected to share with it.</summary>
    public IEnumerable<string> ContentTerms => AnswerTypeTerms is [_, ..] ? Terms.Except(AnswerTypeTerms, StringComparer.Ordinal) : Terms;

    private static AnswerKind KindOf(string q)
    {
        if (NumberQuestion().IsMatch(q))
            return AnswerKind.Number;
        if (DateQuestion().IsMatch(q))
            return AnswerKind.Date;
        if (TimeQuestion().IsMatch(q))
            return AnswerKind.Time;
        if (PlaceQuestion().IsMatch(q))
            return AnswerKind.Place;
        if (PersonQuestion().IsMatch(q))
            return AnswerKind.Person;
        return AnswerKind.Unknown;
    }

    [GeneratedRegex(@"\bhow (many|much|long|old|far|large|big|high|tall|often)\b|\bwhat (number|percentage|percent|proportion|amount|share|fraction)\b")]
    private static partial Regex NumberQuestion();

    // "what country", "which kind of ship", "whose army": the first word after the question word, unless it is a verb or determiner.
    [GeneratedRegex(@"\b(what|which|whose)\s+((kind|type|sort|form)s?\s+of\s+)?(?!(is|was|are|were|did|does|do|has|have|had|can|could|will|would|should|may|might|must|the|a|an|this|that|these|those|of|in|on|to|for)\b)(?<noun>[a-z][a-z\-]+)")]
    private static partial Regex AnswerTypeNoun();

    [GeneratedRegex(@"\b(what|which) (date|day)\b")]
    private static partial Regex DateQuestion();

    [GeneratedRegex(@"^(when|since when)\b|\b(what|which|in what|by what|until what) (year|years|century|centuries|date|month|day|decade|time|period|era)\b|\bwhen (did|was|were|is|does|do|will|had|has)\b")]
    private static partial Regex TimeQuestion();

    [GeneratedRegex(@"^where\b|\bwhere (did|was|were|is|does|do|are)\b|\b(what|which|in what|in which) (country|city|town|region|place|state|province|continent|nation|location)\b")]
    private static partial Regex PlaceQuestion();

    [GeneratedRegex(@"^(who|whom|whose)\b|\b(who|whom|whose) (is|was|were|did|does|do|had|has)\b")]
    private static partial Regex PersonQuestion();

    private const string TheArticle = ArticleWords.TheArticle;

    // "report" only here and for the author: "what is the report about?" and "who wrote the report?" mean the article.
    private const string TheArticleOrReport = "(?:" + ArticleWords.Determiners + ") (?:" + ArticleWords.Nouns + "|report)";

    [GeneratedRegex(@"^\W*(what('s| is| was)|tell me) (?:" + TheArticleOrReport + @"|(?:this|the) news)( is)? about\b|^\W*what is " + TheArticle + @"'s (gist|point)\b|^\W*gist\W*$")]
    private static partial Regex GistQuestion();

    // Only the article's own: "what is the title of his book?" asks the text.
    [GeneratedRegex(@"^\W*(?:(?:what(?:'s|’s| is| was)|tell me|give me|show me)\s+)?(?:the|its|" + TheArticle + @"(?:'s|’s))\s+(?:headline|title)(?:\s+of\s+" + TheArticle + @")?\W*$|^\W*what(?:'s|’s| is) (?:it|" + TheArticle + @") (?:called|titled)\W*$|^\W*(?:headline|title)\W*$")]
    private static partial Regex HeadlineQuestion();

    // Only the article's own date: "when was the report published?" asks the text about a report it tells of.
    [GeneratedRegex(@"^\W*(?:when|what (?:day|date|year|time)|on what (?:day|date)) (?:was|is|were) (?:it|this|that|" + TheArticle + @") (?:first )?(?:published|posted|written|released|put out|updated|dated|out)\W*$|^\W*when did (?:it|this|that|" + TheArticle + @") (?:come out|appear|run|go (?:up|online))\W*$|^\W*(?:what(?:'s|’s| is| was) )?(?:the |its |" + TheArticle + @"(?:'s|’s) )?(?:publication |publishing |release )?date(?: of (?:publication|" + TheArticle + @"|it))?\W*$|^\W*(?:how old is (?:it|this|" + TheArticle + @")|(?:publication|publishing) date)\W*$")]
    private static partial Regex PublicationDateQuestion();

    // Only the article's own length: "how long is the ban?" and "how long is it?" (after a question about the ban) ask the text.
    [GeneratedRegex(@"^\W*(?:how (?:long|big) is (?:" + TheArticle + @")|how (?:many|much) (?:words|paragraphs|text)(?: (?:are|is)(?: there)?)?(?: (?:in|does|has) (?:it|this|that|" + TheArticle + @")(?: (?:have|has|contain))?)?|(?:what(?:'s| is) )?(?:the |its |" + TheArticle + @"(?:'s) )?(?:word count|length|reading time)(?: of (?:it|" + TheArticle + @"))?|how long (?:does it|will it|would it|to) (?:take )?(?:to )?read(?: (?:it|this|" + TheArticle + @"))?|how long (?:a|of a) read is (?:it|this|" + TheArticle + @")|is (?:it|this|" + TheArticle + @") (?:long|short|a long read))\W*$")]
    private static partial Regex LengthQuestion();

    // Only about the article itself: "who wrote the Georgics?" or "who reported the fire?" is a question for its text.
    [GeneratedRegex(@"\bwho (wrote|writes|authored|reported|filed|published|contributed( to)?)( (it|this|that|" + TheArticleOrReport + @"))?\W*$|^\W*(?:what|which) (?:newspaper|paper|outlet|publication|site|website|news ?paper) (?:is|was) (?:it|this|that|" + TheArticleOrReport + @") (?:from|in|published (?:in|by|on))\W*$|\b(author|byline|writer|reporter|journalist|contributor)s? (of|for|on|behind) " + TheArticleOrReport + @"\b|\bwho('s| is| was| are| were) the (author|writer|reporter|journalist|contributor)s?\W*$|^\W*(authors?|byline|contributors?|writers?|reporters?)\W*$")]
    private static partial Regex AuthorQuestion();
}

/// <summary>Recognises in a sentence the kind of answer a question expects.</summary>
public static partial class AnswerKindDetector
{
    /// <summary>
    /// Whether the sentence holds something of the expected kind that the question itself does not
    /// already say; null when the question expects nothing in particular.
    /// </summary>
    public static bool? Holds(AnswerKind kind, string sentence, string question) => kind switch
    {
        AnswerKind.Number => Any(NumberLike(), sentence, question),
        AnswerKind.Time => Any(TimeLike(), sentence, question),
        AnswerKind.Date => Any(DateLike(), sentence, question),
        AnswerKind.Person or AnswerKind.Place => Any(ProperNoun(), sentence, question, skipFirstWord: true),
        _ => null,
    };

    private static bool Any(Regex pattern, string sentence, string question, bool skipFirstWord = false)
    {
        foreach (Match match in pattern.Matches(sentence))
        {
            if (skipFirstWord && match.Index == 0)
                continue;
            if (!question.Contains(match.Value, StringComparison.OrdinalIgnoreCase))
                return true;
        }

        return false;
    }

    [GeneratedRegex(@"\b\d[\d,.]*\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|half|several)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NumberLike();

    [GeneratedRegex(@"\b\d{3,4}s?\b|\b\d{1,2}(st|nd|rd|th)\b|\b(century|centuries|decade)\b|\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first) century\b|\b(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b|\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tomorrow|last (week|month|year)|next (week|month|year))\b|\b\d{1,4}0s\b|\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten) (years?|months?|weeks?|days?|decades?|centuries) (ago|later|earlier|after|before)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TimeLike();

    [GeneratedRegex(@"\b(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.? \d{1,2}\b|\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December)\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tomorrow)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DateLike();

    [GeneratedRegex(@"\b\p{Lu}[\p{L}\-’']+(\s+(of|de|van|von|the|al|bin|\p{Lu}[\p{L}\-’'.]*))*")]
    private static partial Regex ProperNoun();
}
