using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using NewsBot.Chat;
using NewsBot.Generative.Answering;
using NewsBot.Generative.Configuration;
using NewsBot.Generative.Prompts;
using NewsBot.Generative.Resilience;

namespace NewsBot.Generative.Chat;

/// <summary>
/// Rewrites a follow-up ("and the Americans?") into a standalone question with the language model, using the
/// condensation prompt and the last few turns. One short attempt: on any failure, or a reply that does not
/// look like a question, the question is used unchanged, so condensing never costs the answer its time.
/// </summary>
public sealed partial class ModelQuestionCondenser : IQuestionCondenser
{
    /// <summary>Condensing happens before answering; together they stay within 45 s.</summary>
    public static readonly TimeSpan MaxCondenseTime = TimeSpan.FromSeconds(8);

    private const int TurnsShown = 4;
    private const int AnswerCharsShown = 400;
    private const int MaxCompletionTokens = 120;

    private readonly Kernel _kernel;
    private readonly PromptLibrary _prompts;
    private readonly ModelCaller _caller;
    private readonly LlmOptions _options;
    private readonly ILogger<ModelQuestionCondenser> _logger;

    public ModelQuestionCondenser(Kernel kernel, PromptLibrary prompts, IOptions<LlmOptions> options, TimeProvider timeProvider, ILogger<ModelQuestionCondenser> logger)
    {
        _kernel = kernel;
        _prompts = prompts;
        _options = options.Value;
        _logger = logger;
        var timeout = TimeSpan.FromSeconds(Math.Min(_options.TimeoutSeconds, MaxCondenseTime.TotalSeconds));
        _caller = new ModelCaller(timeout, timeout, maxRetries: 0, TimeSpan.Zero, timeProvider, logger);
    }

    public async Task<string> CondenseAsync(string question, IReadOnlyList<ConversationTurn> history, CancellationToken cancellationToken = default)
    {
        if (history.Count == 0 || string.IsNullOrWhiteSpace(question))
            return question;

        var arguments = new KernelArguments(GenerativeRequests.Settings(_options, MaxCompletionTokens))
        {
            ["history"] = FormatHistory(history),
            ["question"] = question,
        };

        string? reply;
        try
        {
            reply = await _caller.ExecuteAsync(
                async token => (await _kernel.InvokeAsync(_prompts.Condense.Function, arguments, token)).GetValue<string>(),
                cancellationToken);
        }
        catch (ModelUnavailableException e)
        {
            LogFailed(_logger, e.Reason);
            return question;
        }

        var condensed = Clean(reply);
        return condensed is null || condensed.Length > Math.Max(500, question.Length * 4) ? question : condensed;
    }

    private static string FormatHistory(IReadOnlyList<ConversationTurn> history)
    {
        var text = new StringBuilder();
        foreach (var turn in history.TakeLast(TurnsShown))
        {
            var answer = turn.Answer.Length > AnswerCharsShown ? turn.Answer[..AnswerCharsShown] + "…" : turn.Answer;
            text.Append(CultureInfo.InvariantCulture, $"Q: {turn.Question}\nA: {answer}\n");
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>The first non-empty line, without a "Standalone question:" label or wrapping quotes.</summary>
    private static string? Clean(string? reply)
    {
        var line = reply?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        if (line is null)
            return null;
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && colon < 30 && line[..colon].Contains("question", StringComparison.OrdinalIgnoreCase))
            line = line[(colon + 1)..].Trim();
        line = line.Trim('"', '\u201C', '\u201D', '*', ' ');
        return line.Length == 0 ? null : line;
    }

    [LoggerMessage(EventId = 4130, Level = LogLevel.Information, Message = "Could not condense a follow-up question ({Reason}); using it unchanged")]
    private static partial void LogFailed(ILogger logger, string reason);
}
