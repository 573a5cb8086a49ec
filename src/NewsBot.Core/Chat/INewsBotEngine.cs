using NewsBot.Answering;
using NewsBot.Ingestion;
using NewsBot.Sources;
using NewsBot.Summaries;

namespace NewsBot.Chat;

/// <summary>
/// Everything a chat front end (terminal, Discord, …) needs from NewsBot. Front ends know nothing
/// else of the engine, and the engine knows nothing of chat platforms.
/// </summary>
public interface INewsBotEngine
{
    /// <summary>Answers a question with exact, cited quotes, or says the articles do not answer it.</summary>
    /// <exception cref="QuestionRejectedException">The question is empty, too long, or names an unknown source.</exception>
    Task<Answer> AskAsync(Question question, CancellationToken cancellationToken = default);

    /// <summary>An extractive (or generative, when configured) cited summary of one article.</summary>
    /// <exception cref="QuestionRejectedException">The source is unknown.</exception>
    Task<Summary> SummarizeAsync(SummaryRequest request, CancellationToken cancellationToken = default);

    /// <summary>The articles currently indexed.</summary>
    IReadOnlyList<SourceInfo> ListSources();

    /// <summary>
    /// The id of the article a command names ("/summary yukos"): its id in any case, else the one whose headline shares most
    /// of the words, else the one saying them most often; null when none does, or several do equally.
    /// </summary>
    string? SourceNamed(string words);

    /// <summary>Why that list may be out of date, in one line fit for a chat channel (<see cref="IndexNotice"/>); null when it is current.</summary>
    string? IndexNotice();

    /// <summary>
    /// Re-reads the seeds folder. Questions asked meanwhile are answered from the previous index;
    /// concurrent calls share one reload.
    /// </summary>
    Task<ReloadReport> ReloadAsync(CancellationToken cancellationToken = default);
}
