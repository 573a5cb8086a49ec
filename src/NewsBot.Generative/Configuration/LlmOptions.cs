namespace NewsBot.Generative.Configuration;

/// <summary>Which kind of model provider answers questions; <see cref="None"/> keeps the offline extractive mode.</summary>
public enum LlmProvider
{
    None,
    OpenAI,
    AzureOpenAI,
    OpenAICompatible,
}

/// <summary>
/// The "Llm" configuration section. Everything about the model provider is configuration: no recompiling
/// to switch between OpenAI, Azure OpenAI and a local OpenAI-compatible server (Ollama, vLLM, LM Studio, llama.cpp).
/// </summary>
public sealed class LlmOptions : ProviderConnection
{
    public const string SectionName = "Llm";

    /// <summary>Time allowed for one request to the provider.</summary>
    public double TimeoutSeconds { get; set; } = 20;

    /// <summary>Time allowed for all attempts of one answer or summary together; the extractive answer follows within it.</summary>
    public double DeadlineSeconds { get; set; } = 35;

    /// <summary>Retries after a timeout, 429, 5xx or unusable completion.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>First backoff delay; doubled on each retry (with jitter), or the provider's Retry-After when longer.</summary>
    public double RetryDelaySeconds { get; set; } = 1;

    /// <summary>The prompt (instructions, passages, question) and the completion must fit in this many tokens.</summary>
    public int MaxContextTokens { get; set; } = 8000;

    /// <summary>Upper bound on the completion, sent as max_completion_tokens.</summary>
    public int MaxCompletionTokens { get; set; } = 600;

    /// <summary>Sampling temperature; low values keep quotes close to the text.</summary>
    public double Temperature { get; set; } = 0.1;

    /// <summary>Tiktoken encoding for model names the tokenizer does not know (local models): o200k_base or cl100k_base.</summary>
    public string Encoding { get; set; } = "o200k_base";

    /// <summary>Folder of the prompt templates; relative paths resolve against the current directory, then the program folder.</summary>
    public string PromptsDirectory { get; set; } = "prompts";

    /// <summary>Passages asked from retrieval for one answer (fewer may fit the token budget).</summary>
    public int Passages { get; set; } = 6;

    /// <summary>Optional remote embeddings, configured like the chat model.</summary>
    public EmbeddingOptions Embeddings { get; set; } = new();

}

/// <summary>The "Llm:Embeddings" section: remote embeddings instead of the local model. Switching model re-embeds the index.</summary>
public sealed class EmbeddingOptions : ProviderConnection
{
    /// <summary>Requested vector size, for models that can shorten their embeddings; null keeps the model's own.</summary>
    public int? Dimensions { get; set; }
}

/// <summary>Where a model is served and how to reach it: the part the chat model and remote embeddings share.</summary>
public abstract class ProviderConnection
{
    /// <summary>none (default) | openai | azureopenai | openai-compatible.</summary>
    public string Provider { get; set; } = "none";

    /// <summary>Model name (OpenAI, OpenAI-compatible); for Azure the deployment name may be given instead.</summary>
    public string? Model { get; set; }

    /// <summary>Base address: required for Azure (https://NAME.openai.azure.com) and OpenAI-compatible servers (http://host:port/v1).</summary>
    public string? Endpoint { get; set; }

    /// <summary>Required for openai and azureopenai, optional for openai-compatible. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Azure deployment name; defaults to <see cref="Model"/>.</summary>
    public string? Deployment { get; set; }

    /// <summary>Azure api-version; empty uses the version-less /openai/v1 API, set it for the classic deployments API.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>The parsed <see cref="Provider"/>; validation guarantees it parses.</summary>
    public LlmProvider ProviderKind => ProviderNames.TryParse(Provider, out var kind) ? kind : LlmProvider.None;

    /// <summary>The model name sent to the provider.</summary>
    public string ModelName => ProviderKind == LlmProvider.AzureOpenAI && !string.IsNullOrWhiteSpace(Deployment)
        ? Deployment!
        : Model ?? string.Empty;

    public override string ToString() =>
        $"Provider={Provider}, Model={ModelName}, Endpoint={Endpoint}, ApiKey={(string.IsNullOrEmpty(ApiKey) ? "(none)" : "(set)")}";
}

public static class ProviderNames
{
    public const string Allowed = "none, openai, azureopenai, openai-compatible";

    public static bool TryParse(string? value, out LlmProvider kind)
    {
        kind = (value ?? string.Empty).Trim().ToUpperInvariant() switch
        {
            "" or "NONE" => LlmProvider.None,
            "OPENAI" => LlmProvider.OpenAI,
            "AZUREOPENAI" or "AZURE-OPENAI" or "AZURE" => LlmProvider.AzureOpenAI,
            "OPENAI-COMPATIBLE" or "OPENAICOMPATIBLE" => LlmProvider.OpenAICompatible,
            _ => (LlmProvider)(-1),
        };
        return Enum.IsDefined(kind);
    }
}
