using System.Text.RegularExpressions;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace NewsBot.Retrieval;

/// <summary>
/// Turns text into search terms: Lucene's English analysis (standard tokenizer, possessives, lower case,
/// Porter stemming) with a stop list that also drops question words, so a question's terms are the
/// words that carry its content. Numbers written as words become digits, so "five sacks" meets "5 sacks",
/// and irregular verb forms become their base form, which stemming alone misses ("taken", "took" → "take").
/// </summary>
public sealed partial class TermAnalyzer
{
    private static readonly string[] StopWords =
    [
        "a", "an", "and", "are", "as", "at", "be", "been", "being", "but", "by", "can", "could", "did", "do",
        "does", "doing", "done", "for", "from", "had", "has", "have", "having", "he", "her", "hers", "him",
        "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "me", "my", "no", "nor", "not",
        "of", "on", "or", "our", "ours", "she", "should", "so", "some", "such", "than", "that", "the", "their",
        "theirs", "them", "then", "there", "these", "they", "this", "those", "to", "too", "us", "very", "was",
        "we", "were", "what", "when", "where", "which", "while", "who", "whom", "whose", "why", "will", "with",
        "would", "you", "your", "yours", "also", "any", "all", "about", "after", "before", "other", "s", "t",
        "just", "only", "own", "same", "each", "both", "most", "more", "over", "under", "up", "out", "off",
        "again", "once", "here", "whether", "according", "article", "say", "says", "said", "tell", "told",
        "mention", "mentioned", "name", "named", "called", "kind", "type", "one", "many", "much",
        // Words that frame what a question asks for rather than what it is about.
        "date", "year", "time", "number", "amount", "information", "reason", "percentage", "happen", "happened",
    ];

    private readonly Analyzer _analyzer = new EnglishAnalyzer(
        LuceneVersion.LUCENE_48, new CharArraySet(LuceneVersion.LUCENE_48, StopWords, ignoreCase: true));

    private static readonly string[] NumberWords =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    ];

    // Past forms that are also common words of another meaning ("found" a company, "lay", "saw") are left out.
    private static readonly string[] IrregularVerbs =
    [
        "take took taken", "give gave given", "go went gone", "make made", "write wrote written",
        "begin began begun", "know knew known", "buy bought", "bring brought", "think thought", "sell sold",
        "hold held", "lead led", "lose lost", "meet met", "pay paid", "run ran", "send sent", "spend spent",
        "stand stood", "win won", "fight fought", "catch caught", "teach taught", "build built", "choose chose chosen",
        "drive drove driven", "fly flew flown", "forget forgot forgotten", "grow grew grown", "hide hid hidden",
        "keep kept", "rise rose risen", "shoot shot", "speak spoke spoken", "steal stole stolen", "strike struck stricken",
        "swear swore sworn", "throw threw thrown", "wear wore worn", "break broke broken", "eat ate eaten",
        "draw drew drawn", "become became", "come came", "get got gotten", "hear heard", "feel felt", "seek sought",
        "sing sang sung", "sink sank sunk", "swim swam swum", "freeze froze frozen", "ride rode ridden", "bite bit bitten",
        "shake shook shaken", "forbid forbade forbidden", "undertake undertook undertaken", "overthrow overthrew overthrown",
        "withdraw withdrew withdrawn", "understand understood", "arise arose arisen", "bear bore borne", "slay slew slain",
    ];

    private readonly Dictionary<string, string> _digits;
    private readonly Dictionary<string, string> _baseForms;

    public TermAnalyzer()
    {
        // Keyed by the analysed form ("twelv" for "twelve"); "one" is a stop word and never reaches the map.
        _digits = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var n = 0; n < NumberWords.Length; n++)
        {
            foreach (var term in Analyse(NumberWords[n]))
                _digits[term] = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _baseForms = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var forms in IrregularVerbs)
        {
            var words = forms.Split(' ');
            // A verb on the stop list ("tell") has no term to map to.
            if (Analyse(words[0]) is not [var baseForm])
                continue;
            foreach (var form in words.Skip(1))
            {
                foreach (var term in Analyse(form))
                    _baseForms[term] = baseForm;
            }
        }
    }

    public static TermAnalyzer Shared { get; } = new();

    /// <summary>
    /// Names this analysis (Lucene's version and every word list above): terms stored by an analysis of another
    /// signature no longer match what questions are analysed into, so they are analysed again.
    /// </summary>
    public string Signature { get; } = ComputeSignature();

    /// <summary>The text's terms in order, with repeats.</summary>
    public IReadOnlyList<string> Terms(string text)
    {
        var terms = Analyse(text);
        for (var i = 0; i < terms.Count; i++)
        {
            if (_digits.TryGetValue(terms[i], out var digits))
                terms[i] = digits;
            else if (_baseForms.TryGetValue(terms[i], out var baseForm))
                terms[i] = baseForm;
        }

        return terms;
    }

    private static string ComputeSignature()
    {
        var description = string.Join('\n', [
            typeof(Analyzer).Assembly.GetName().Version?.ToString() ?? "?", LuceneVersion.LUCENE_48.ToString(),
            string.Join(' ', StopWords), string.Join(' ', NumberWords), string.Join(',', IrregularVerbs), UnitedStates().ToString()]);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(description)))[..16];
    }

    private List<string> Analyse(string text)
    {
        var terms = new List<string>();
        // Every sentence of an archive is analysed when it is indexed: the replacement is looked for only where it can apply.
        using var stream = _analyzer.GetTokenStream("text", text.Contains("US", StringComparison.Ordinal) ? UnitedStates().Replace(text, "U.S.") : text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
            terms.Add(term.ToString());
        stream.End();
        return terms;
    }

    // "US" in capitals is the country, not the pronoun the stop list drops: read as "U.S.", it meets "U.S." in the text too.
    [GeneratedRegex(@"(?<![\p{L}.])US(?![\p{L}.])")]
    private static partial Regex UnitedStates();
}
