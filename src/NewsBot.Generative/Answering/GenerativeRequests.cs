using Microsoft.SemanticKernel;
using NewsBot.Generative.Configuration;
using NewsBot.Generative.Prompts;
using NewsBot.Generative.Tokens;

namespace NewsBot.Generative.Answering;

/// <summary>What every generative request shares: execution settings from configuration and the token budget.</summary>
internal static class GenerativeRequests
{
    /// <summary>Room for chat message framing and the parts of the prompt not counted separately.</summary>
    private const int FramingTokens = 64;

    /// <summary>
    /// Model settings come from configuration (Llm:MaxCompletionTokens, Llm:Temperature), not from the prompt
    /// files, so switching providers never needs a prompt edit. SK sends max_tokens as max_completion_tokens.
    /// </summary>
    public static PromptExecutionSettings Settings(LlmOptions options, int? maxTokens = null) => new()
    {
        ExtensionData = new Dictionary<string, object>
        {
            ["max_tokens"] = maxTokens ?? options.MaxCompletionTokens,
            ["temperature"] = options.Temperature,
        },
    };

    /// <summary>Tokens left for passages once the instructions, the other inputs and the completion are counted.</summary>
    public static int PassageBudget(LlmOptions options, TokenCounter tokens, PromptDefinition prompt, params string[] otherInputs) =>
        options.MaxContextTokens
        - options.MaxCompletionTokens
        - tokens.Count(prompt.Config.Template)
        - otherInputs.Sum(tokens.Count)
        - FramingTokens;

    /// <summary>Joins the notes for the reader, skipping empty ones.</summary>
    public static string? Notes(params string?[] notes)
    {
        var parts = notes.Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
        return parts.Count == 0 ? null : string.Join(' ', parts);
    }
}
