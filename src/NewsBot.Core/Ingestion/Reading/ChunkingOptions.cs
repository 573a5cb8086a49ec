using Microsoft.Extensions.Options;

namespace NewsBot.Ingestion;

/// <summary>How articles are cut into passages for embedding.</summary>
public sealed class ChunkingOptions
{
    /// <summary>Configuration section the host binds.</summary>
    public const string Section = "Ingestion:Chunking";

    /// <summary>Most tokens in a chunk, counted with the embedding model's tokenizer (special tokens included).</summary>
    public int MaxTokens { get; set; } = 128;

    /// <summary>Sentences repeated at the start of the next chunk, so a fact on a boundary is whole in one chunk.</summary>
    public int OverlapSentences { get; set; } = 1;
}

/// <summary>Rejects chunk settings that could not produce sensible chunks.</summary>
public sealed class ChunkingOptionsValidator : IValidateOptions<ChunkingOptions>
{
    public ValidateOptionsResult Validate(string? name, ChunkingOptions options)
    {
        var errors = new List<string>();
        if (options.MaxTokens is < 16 or > 8192)
            errors.Add($"{ChunkingOptions.Section}:MaxTokens must be between 16 and 8192 (was {options.MaxTokens}).");
        if (options.OverlapSentences is < 0 or > 10)
            errors.Add($"{ChunkingOptions.Section}:OverlapSentences must be between 0 and 10 (was {options.OverlapSentences}).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
