using Microsoft.ML.Tokenizers;
using NewsBot.Generative.Configuration;

namespace NewsBot.Generative.Tokens;

public static class TokenEncodings
{
    public const string Allowed = "o200k_base, cl100k_base";

    public static bool IsKnown(string? encoding) =>
        string.Equals(encoding, "o200k_base", StringComparison.OrdinalIgnoreCase)
        || string.Equals(encoding, "cl100k_base", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Counts tokens the way the configured model does. Tiktoken knows OpenAI model names; local models
/// (llama3, qwen, …) are unknown to it and get the configured encoding, which is close enough for budgeting.
/// </summary>
public sealed class TokenCounter
{
    private readonly Tokenizer _tokenizer;

    public TokenCounter(string modelName, string fallbackEncoding)
    {
        Tokenizer? tokenizer = null;
        if (!string.IsNullOrWhiteSpace(modelName))
        {
            try
            {
                tokenizer = TiktokenTokenizer.CreateForModel(modelName);
            }
            catch (NotSupportedException)
            {
            }
            catch (ArgumentException)
            {
            }
        }

        _tokenizer = tokenizer ?? TiktokenTokenizer.CreateForEncoding(fallbackEncoding.ToLowerInvariant());
        UsesFallbackEncoding = tokenizer is null;
    }

    public TokenCounter(LlmOptions options)
        : this(options.ModelName, options.Encoding)
    {
    }

    /// <summary>Whether the model name was unknown to Tiktoken and the configured encoding is used.</summary>
    public bool UsesFallbackEncoding { get; }

    public int Count(string text) => text.Length == 0 ? 0 : _tokenizer.CountTokens(text);

    /// <summary>
    /// The longest prefix of <paramref name="text"/> within <paramref name="maxTokens"/>, cut back to a word
    /// boundary so a trimmed passage still ends in whole words of the source.
    /// </summary>
    public string Truncate(string text, int maxTokens)
    {
        if (maxTokens <= 0)
            return string.Empty;
        var index = _tokenizer.GetIndexByTokenCount(text, maxTokens, out _, out _);
        if (index >= text.Length)
            return text;
        var cut = text.LastIndexOfAny([' ', '\n', '\t'], Math.Max(0, index - 1));
        return cut <= 0 ? text[..index] : text[..cut].TrimEnd();
    }
}
