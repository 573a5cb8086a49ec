using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using NewsBot.Answering;
using NewsBot.Generative.Configuration;
using NewsBot.Generative.Grounding;
using NewsBot.Generative.Plugins;
using NewsBot.Generative.Prompts;
using NewsBot.Generative.Resilience;
using NewsBot.Generative.Tokens;
using NewsBot.Retrieval;
using NewsBot.Sources;

namespace NewsBot.Generative.Answering;

/// <summary>
/// Answers with the language model from numbered passages (the answer prompt calls <c>articles.search</c>),
/// then verifies every quote and citation against the articles. When the model is unavailable, or nothing
/// it said can be verified, the extractive answer is returned with a note: never an unverified quote.
/// The model reads the articles' prose, as passages; a fact that only a photo caption states is the extractive reader's to
/// find (captions are evidence of last resort), so when the model finds no answer, a caption the reader quotes is the answer.
/// </summary>
public sealed partial class GenerativeAnswerer(
    GroundedModel model,
    [FromKeyedServices(AnswererKeys.Extractive)] IAnswerer extractive,
    IArticleCatalog catalog,
    ILogger<GenerativeAnswerer> logger) : IAnswerer
{
    public const string UnverifiableNote = "The language model's answer could not be verified against the articles, so this is the extractive answer.";
    public const string DefaultNotAnswered = "The articles don't say.";

    public async Task<Answer> AnswerAsync(Question question, CancellationToken cancellationToken = default)
    {
        // The byline, headline and date line are the article's own, not in the passages the model reads: quoted as they are;
        // and its length is counted.
        var asked = QuestionAnalysis.Of(question.Text);
        if (asked.AsksForAuthor || asked.AsksForHeadline || asked.AsksForDate || asked.AsksForLength)
            return await extractive.AnswerAsync(question, cancellationToken);

        ModelDraft draft;
        PassageLedger ledger;
        try
        {
            (draft, ledger) = await model.Caller.ExecuteAsync(AttemptAsync, cancellationToken);
        }
        catch (ModelUnavailableException e)
        {
            return await FallbackAsync(ModelUnavailableNote(e.Reason));
        }

        if (draft.NotAnswered)
        {
            var extracted = await extractive.AnswerAsync(question, cancellationToken);
            return extracted.Answered && QuotesOnlyCaptions(extracted)
                ? extracted
                : new Answer(question.Text, false, NotAnsweredText(draft.Explanation), []);
        }

        var grounded = model.Verifier.Verify(draft, ledger, requireCitationPerSentence: false);
        if (grounded.RemovedQuotes > 0 || grounded.RemovedCitations > 0)
            LogRemoved(logger, grounded.RemovedQuotes, grounded.RemovedCitations);
        if (grounded.Citations.Count == 0)
        {
            LogUnverifiable(logger);
            return await FallbackAsync(UnverifiableNote);
        }

        return new Answer(question.Text, true, grounded.Text, grounded.Citations, grounded.Note);

        async ValueTask<(ModelDraft, PassageLedger)> AttemptAsync(CancellationToken token)
        {
            // A fresh ledger per attempt: the numbers the model sees are exactly the ones verified.
            var attemptLedger = new PassageLedger(model.Tokens, GenerativeRequests.PassageBudget(model.Options, model.Tokens, model.Prompts.Answer, question.Text));
            var arguments = new KernelArguments(GenerativeRequests.Settings(model.Options))
            {
                ["question"] = question.Text,
                ["source"] = question.SourceId ?? string.Empty,
                [ArticlesPlugin.LedgerArgument] = attemptLedger,
            };
            var result = await model.Kernel.InvokeAsync(model.Prompts.Answer.Function, arguments, token);
            var parsed = DraftParser.Parse(result.GetValue<string>());
            if (!parsed.NotAnswered && parsed.Sentences.Count == 0)
                throw new MalformedCompletionException("The reply held no sentences.");
            return (parsed, attemptLedger);
        }

        async Task<Answer> FallbackAsync(string note)
        {
            var answer = await extractive.AnswerAsync(question, cancellationToken);
            return answer with { Note = GenerativeRequests.Notes(note, answer.Note) };
        }
    }

    private bool QuotesOnlyCaptions(Answer answer) =>
        answer.Citations.Count > 0 && answer.Citations.All(c =>
            catalog.Find(c.SourceId)?.Paragraphs.FirstOrDefault(p => p.Number == c.Paragraph) is { Kind: ParagraphKind.Caption });

    public static string ModelUnavailableNote(string reason) => $"The language model was unavailable ({reason}), so this is the extractive answer.";

    /// <summary>The model's own "the articles don't say …" line when it is plain prose; quotes or markers there would be unverified.</summary>
    private static string NotAnsweredText(string? explanation)
    {
        var text = explanation?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 300 || text.IndexOfAny(['"', '\u201C', '\u201D', '[', '<']) >= 0)
            return DefaultNotAnswered;
        return text;
    }

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "Removed {Quotes} unverifiable quote(s) and {Citations} citation(s) to missing passages from a model answer")]
    private static partial void LogRemoved(ILogger logger, int quotes, int citations);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Nothing in the model's answer could be verified; answering extractively")]
    private static partial void LogUnverifiable(ILogger logger);
}
