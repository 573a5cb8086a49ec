using NewsBot.Sources;

namespace NewsBot.Summaries;

/// <summary>Summarises one article with cited sentences.</summary>
public interface ISummarizer
{
    Task<Summary> SummarizeAsync(Article article, SummaryLength length, CancellationToken cancellationToken = default);
}

public static class SummaryLengths
{
    /// <summary>How many sentences a summary of this length aims for.</summary>
    public static int SentenceCount(this SummaryLength length) => length switch
    {
        SummaryLength.Short => 3,
        SummaryLength.Long => 8,
        _ => 5,
    };
}
