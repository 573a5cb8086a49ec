using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using NewsBot.Answering;
using NewsBot.Generative.Answering;
using NewsBot.Generative.Configuration;
using NewsBot.Generative.Grounding;
using NewsBot.Generative.Plugins;
using NewsBot.Generative.Prompts;
using NewsBot.Generative.Resilience;
using NewsBot.Generative.Tokens;
using NewsBot.Retrieval;
using NewsBot.Sources;
using NewsBot.Summaries;

namespace NewsBot.Generative.Summaries;

/// <summary>
/// Summarises an article with the language model from its numbered paragraphs (leading paragraphs first,
/// as news puts key facts first, trimmed to the token budget). Every sentence must cite a paragraph and every
/// quote must be the article's text, else the sentence is dropped; with nothing left, the extractive summary.
/// </summary>
public sealed partial class GenerativeSummarizer(
    GroundedModel model,
    [FromKeyedServices(AnswererKeys.Extractive)] ISummarizer extractive,
    ILogger<GenerativeSummarizer> logger) : ISummarizer
{
    public const string UnverifiableNote = "The language model's summary could not be verified against the article, so this is the extractive summary.";

    public async Task<Summary> SummarizeAsync(Article article, SummaryLength length, CancellationToken cancellationToken = default)
    {
        var paragraphs = article.Paragraphs
            .Where(p => p.Kind is ParagraphKind.Body or ParagraphKind.Dek)
            .Select(p => new Passage(article.Id, article.Title, p.Number, p.Start, p.End, article.Slice(p.Start, p.End)))
            .ToList();

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

        var grounded = draft.NotAnswered ? null : model.Verifier.Verify(draft, ledger, requireCitationPerSentence: true);
        if (grounded is null || grounded.Citations.Count == 0)
        {
            LogUnverifiable(logger, article.Id);
            return await FallbackAsync(UnverifiableNote);
        }

        return new Summary(article.Id, article.Title, grounded.Text, grounded.Citations, grounded.Note);

        async ValueTask<(ModelDraft, PassageLedger)> AttemptAsync(CancellationToken token)
        {
            var attemptLedger = new PassageLedger(model.Tokens, GenerativeRequests.PassageBudget(model.Options, model.Tokens, model.Prompts.Summary, article.Title));
            var arguments = new KernelArguments(GenerativeRequests.Settings(model.Options))
            {
                ["title"] = article.Title,
                ["passages"] = attemptLedger.Admit(paragraphs),
                ["sentences"] = length.SentenceCount().ToString(CultureInfo.InvariantCulture),
                [ArticlesPlugin.LedgerArgument] = attemptLedger,
            };
            var result = await model.Kernel.InvokeAsync(model.Prompts.Summary.Function, arguments, token);
            var parsed = DraftParser.Parse(result.GetValue<string>());
            if (!parsed.NotAnswered && parsed.Sentences.Count == 0)
                throw new MalformedCompletionException("The reply held no sentences.");
            return (parsed, attemptLedger);
        }

        async Task<Summary> FallbackAsync(string note)
        {
            var summary = await extractive.SummarizeAsync(article, length, cancellationToken);
            return summary with { Note = GenerativeRequests.Notes(note, summary.Note) };
        }
    }

    public static string ModelUnavailableNote(string reason) => $"The language model was unavailable ({reason}), so this is the extractive summary.";

    [LoggerMessage(EventId = 4120, Level = LogLevel.Warning, Message = "Nothing in the model's summary of {SourceId} could be verified; summarising extractively")]
    private static partial void LogUnverifiable(ILogger logger, string sourceId);
}
