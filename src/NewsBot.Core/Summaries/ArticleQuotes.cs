using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NewsBot.Answering;
using NewsBot.Sources;

namespace NewsBot.Summaries;

/// <summary>
/// "What are the key quotes?", "who said what?": the article's body sentences that hold someone's own words in quotation
/// marks, in article order, each quoted whole so that its attribution ("…, the PMO said") comes with it. A quotation of
/// fewer than three words is a title or a scare quote ("the ‘must decline’ note"), not a statement, and is left out.
/// </summary>
public static partial class ArticleQuotes
{
    /// <summary>At most this many sentences, the first in the article first, so that the reply stays one chat message.</summary>
    public const int MaxQuotes = 6;

    /// <summary>The listing's text (one line per sentence, "• ‘…,” he wrote.’ [1]") and its citations; empty when the body quotes no one.</summary>
    public static (string Text, IReadOnlyList<Citation> Citations, int Total) Of(Article article)
    {
        var quotable = article.Paragraphs.Where(p => p.Kind is ParagraphKind.Body).Select(p => p.Number).ToHashSet();
        var quoting = article.Sentences.Where(s => quotable.Contains(s.Paragraph) && Quotation().Matches(s.Text).Any(m => Words(m.Groups["words"].Value) >= 3)).ToList();
        var text = new StringBuilder();
        var citations = new List<Citation>();
        foreach (var sentence in quoting.Take(MaxQuotes))
        {
            var citation = Citation.Of(citations.Count + 1, article, sentence);
            citations.Add(citation);
            text.Append(text.Length > 0 ? "\n" : "").Append("• ").Append(QuoteMarks.Wrap(sentence.Text)).Append(" [").Append(citation.Number).Append(']');
        }

        if (quoting.Count > MaxQuotes)
            text.Append(string.Create(CultureInfo.InvariantCulture, $"\n…and {quoting.Count - MaxQuotes} more."));
        return (text.ToString(), citations, quoting.Count);
    }

    private static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    // A quotation in curly or straight double quotes, or in single curly quotes that open after a space or a bracket
    // (an apostrophe, as in "it’s", never opens one).
    [GeneratedRegex(@"“(?<words>[^”]+)”|""(?<words>[^""]+)""|(?<=^|[\s(\[—–])‘(?<words>[^’]+(?:’\w[^’]*)*)’(?!\w)")]
    private static partial Regex Quotation();
}
