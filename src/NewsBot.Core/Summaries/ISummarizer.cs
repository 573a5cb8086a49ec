using NewsBot.Sources;

namespace NewsBot.Summaries;

/// <summary>Summarises one article with cited sentences.</summary>
public interface ISummarizer
{
    Task<Summary> SummarizeAsync(Article article, SummaryLength length, CancellationToken cancellationToken = default);
}

public static class SummaryLengths
{
    /// <summary>The words the summary commands take (<c>/summary [short|medium|long]</c>, <c>summary --length</c>).</summary>
    public static readonly IReadOnlyList<string> CommandWords = ["short", "medium", "long"];

    /// <summary>How many sentences a summary of this length aims for.</summary>
    public static int SentenceCount(this SummaryLength length) => length switch
    {
        SummaryLength.OneSentence => 1,
        SummaryLength.Short => 3,
        SummaryLength.Long => 8,
        _ => 5,
    };

    /// <summary>
    /// A command's length word, in any case; null for anything else, so that a source id such as "2" or "oneSentence" is never
    /// taken for a length.
    /// </summary>
    public static SummaryLength? FromCommandWord(string? word) => word?.Trim().ToUpperInvariant() switch
    {
        "SHORT" => SummaryLength.Short,
        "MEDIUM" => SummaryLength.Medium,
        "LONG" => SummaryLength.Long,
        _ => null,
    };
}
