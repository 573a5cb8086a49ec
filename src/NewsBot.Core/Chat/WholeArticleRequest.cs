using NewsBot.Retrieval;
using NewsBot.Summaries;

namespace NewsBot.Chat;

/// <summary>
/// A message about one article as a whole rather than something one of its sentences answers: a summary, a timeline, its
/// names or its quotes, or a question about its byline, headline, date, gist or length. Such a message is answered about
/// the article meant (else the bot asks which), and a follow-up carries none of it along.
/// </summary>
/// <param name="Summary">The summary's length, when a summary is asked for.</param>
/// <param name="Names">Whether the names it holds are asked for; <paramref name="NameKind"/> says which (null: people and organisations).</param>
public sealed record WholeArticleRequest(SummaryLength? Summary, bool Timeline, bool Names, NameKind? NameKind, bool Quotes)
{
    /// <summary>The request the message makes about the article as a whole, or null when it asks something else.</summary>
    public static WholeArticleRequest? Of(string message)
    {
        var request = new WholeArticleRequest(
            SummaryRequests.Recognise(message), TimelineRequests.Recognise(message),
            NamesRequests.Recognise(message, out var kind), kind, QuotesRequests.Recognise(message));
        return request.Summary is not null || request.Timeline || request.Names || request.Quotes || QuestionAnalysis.AsksAboutTheWholeArticle(message)
            ? request
            : null;
    }
}
