namespace NewsBot.Answering;

/// <summary>A question as a person asked it in some chat.</summary>
/// <param name="Text">The question text, as typed.</param>
/// <param name="SourceId">Restrict the answer to one article, or null for all.</param>
/// <param name="ConversationId">Channel/thread + user, for follow-up questions; null when there is no conversation.</param>
public sealed record Question(string Text, string? SourceId = null, string? ConversationId = null);

/// <summary>An answer: plain wording plus numbered citations whose quotes are exact article text.</summary>
/// <param name="Question">The question as understood (after cleaning and follow-up resolution).</param>
/// <param name="Answered">False when the articles do not answer the question; then there are no citations.</param>
/// <param name="Text">The answer wording, with [n] markers pointing at <see cref="Citations"/>.</param>
/// <param name="Citations">Numbered quotes, first is the best.</param>
/// <param name="Note">A short remark for the reader (e.g. the model was unavailable), or null.</param>
/// <param name="ShortAnswer">The answer in a few words, taken verbatim from the first citation, or null.</param>
public sealed record Answer(
    string Question,
    bool Answered,
    string Text,
    IReadOnlyList<Citation> Citations,
    string? Note = null,
    ShortAnswer? ShortAnswer = null);

/// <summary>
/// A short answer: <see cref="Text"/> equals the article text between <see cref="Start"/> and <see cref="End"/>,
/// inside the first citation's quote.
/// </summary>
public sealed record ShortAnswer(string Text, int Start, int End);

/// <summary>One cited quote. <see cref="Quote"/> equals the article text between <see cref="Start"/> and <see cref="End"/>.</summary>
public sealed record Citation(
    int Number,
    string SourceId,
    string Title,
    int Paragraph,
    string Quote,
    int Start,
    int End)
{
    /// <summary>The citation of a whole sentence of the article.</summary>
    public static Citation Of(int number, Sources.Article article, Sources.Sentence sentence) =>
        new(number, article.Id, article.Title, sentence.Paragraph, sentence.Text, sentence.Start, sentence.End);
}

/// <summary>Why a question was not looked up at all.</summary>
public enum QuestionProblem
{
    Empty,
    TooLong,
    UnknownSource,
}

/// <summary>
/// Thrown for a question that cannot be asked as it stands (empty, too long, unknown source).
/// The message is meant for the person who asked.
/// </summary>
public sealed class QuestionRejectedException(QuestionProblem problem, string message) : Exception(message)
{
    public QuestionProblem Problem { get; } = problem;
}
