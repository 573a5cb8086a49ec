namespace NewsBot.Chat;

/// <summary>
/// Short per-conversation memory (a channel or thread plus a user): the last few turns, bounded and
/// expiring, so follow-up questions can be understood.
/// </summary>
public interface IConversationMemory
{
    IReadOnlyList<ConversationTurn> Recall(string conversationId);

    void Remember(string conversationId, ConversationTurn turn);
}

/// <param name="Question">The standalone question that was answered.</param>
/// <param name="Answer">The answer text given.</param>
/// <param name="At">When it was answered.</param>
/// <param name="Citations">What the answer quoted, so "what did he say next?" can continue from there.</param>
/// <param name="ShortAnswer">The short answer the reply led with, if any: after "Who turned it down?", "why did he?" means that person.</param>
/// <param name="AskedWhichArticle">The reply asked which article <paramref name="Question"/> meant, so the next message may name it.</param>
/// <param name="Listed">
/// The ids of the articles the reply listed to choose from: those a search or a digest found ("summarize it" after it could mean any of
/// them), or those a "which one?" reply offered (the next message picks among them, "the second one" by its place there).
/// </param>
public sealed record ConversationTurn(
    string Question, string Answer, DateTimeOffset At, IReadOnlyList<Answering.Citation>? Citations = null, string? ShortAnswer = null,
    bool AskedWhichArticle = false,
    IReadOnlyList<string>? Listed = null);

/// <summary>Rewrites a follow-up ("and the Americans?") into a standalone question using earlier turns.</summary>
public interface IQuestionCondenser
{
    Task<string> CondenseAsync(string question, IReadOnlyList<ConversationTurn> history, CancellationToken cancellationToken = default);
}
