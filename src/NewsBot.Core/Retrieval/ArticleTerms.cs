using System.Text;
using NewsBot.Sources;

namespace NewsBot.Retrieval;

/// <summary>
/// An article's analysed terms, worked out once when it is ingested and stored with it, so that loading a large
/// archive does not run the analyser over every sentence again. <see cref="Lines"/> holds one line per text, the
/// title first and then each sentence in order, with the terms of a line separated by single spaces (the analyser
/// never yields a term holding white space).
/// </summary>
/// <param name="Analyzer">The <see cref="TermAnalyzer.Signature"/> of the analysis that produced the terms.</param>
public sealed record ArticleTerms(string Analyzer, string Lines)
{
    public static ArticleTerms Of(Article article)
    {
        var lines = new StringBuilder();
        AppendLine(lines, article.Title);
        foreach (var sentence in article.Sentences)
            AppendLine(lines.Append('\n'), sentence.Text);
        return new ArticleTerms(TermAnalyzer.Shared.Signature, lines.ToString());
    }

    /// <summary>Whether these terms can stand for the article's as analysed now: the same analysis, a line per text.</summary>
    public bool Fits(Article article) =>
        Analyzer == TermAnalyzer.Shared.Signature && Lines.AsSpan().Count('\n') == article.Sentences.Count;

    private static void AppendLine(StringBuilder lines, string text)
    {
        var terms = TermAnalyzer.Shared.Terms(text);
        for (var i = 0; i < terms.Count; i++)
            lines.Append(i == 0 ? "" : " ").Append(terms[i]);
    }
}
