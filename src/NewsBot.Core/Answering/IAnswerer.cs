namespace NewsBot.Answering;

/// <summary>
/// Turns a validated, standalone question into a cited answer. The extractive answerer is the offline
/// default; a generative one may wrap it and fall back to it.
/// </summary>
public interface IAnswerer
{
    Task<Answer> AnswerAsync(Question question, CancellationToken cancellationToken = default);
}
