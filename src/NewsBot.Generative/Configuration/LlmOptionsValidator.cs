using Microsoft.Extensions.Options;
using NewsBot.Generative.Tokens;

namespace NewsBot.Generative.Configuration;

/// <summary>
/// Checks the "Llm" section at start-up; each failure is one line naming the key, and never echoes the API key.
/// </summary>
public sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    /// <summary>A question must be answered within 45 s: condensation (≤ 8 s) + model phase + extractive fallback.</summary>
    public const double MaxDeadlineSeconds = 35;

    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        var errors = new List<string>();
        ValidateConnection("Llm", options, errors);
        // Checked whatever the provider: a bad value is an error before the model is switched on, and remote
        // embeddings (Llm:Embeddings) use Llm:TimeoutSeconds with the chat model off.
        if (options.TimeoutSeconds is not (> 0 and <= 300))
            errors.Add($"Llm:TimeoutSeconds: {options.TimeoutSeconds} must be more than 0 and at most 300.");
        if (options.DeadlineSeconds is not (> 0 and <= MaxDeadlineSeconds))
            errors.Add($"Llm:DeadlineSeconds: {options.DeadlineSeconds} must be more than 0 and at most {MaxDeadlineSeconds} (questions are answered within 45 s).");
        if (options.MaxRetries is < 0 or > 10)
            errors.Add($"Llm:MaxRetries: {options.MaxRetries} must be between 0 and 10.");
        if (options.RetryDelaySeconds is not (>= 0 and <= 30))
            errors.Add($"Llm:RetryDelaySeconds: {options.RetryDelaySeconds} must be between 0 and 30.");
        if (options.MaxCompletionTokens is < 16 or > 100_000)
            errors.Add($"Llm:MaxCompletionTokens: {options.MaxCompletionTokens} must be between 16 and 100000.");
        if (options.MaxContextTokens < options.MaxCompletionTokens + 512 || options.MaxContextTokens > 2_000_000)
            errors.Add($"Llm:MaxContextTokens: {options.MaxContextTokens} must leave at least 512 tokens beyond Llm:MaxCompletionTokens ({options.MaxCompletionTokens}).");
        if (options.Temperature is not (>= 0 and <= 2))
            errors.Add($"Llm:Temperature: {options.Temperature} must be between 0 and 2.");
        if (!TokenEncodings.IsKnown(options.Encoding))
            errors.Add($"Llm:Encoding: '{options.Encoding}' is not one of {TokenEncodings.Allowed}.");
        if (string.IsNullOrWhiteSpace(options.PromptsDirectory))
            errors.Add("Llm:PromptsDirectory: must name a folder of prompt templates.");
        if (options.Passages is < 1 or > 50)
            errors.Add($"Llm:Passages: {options.Passages} must be between 1 and 50.");

        var embeddings = options.Embeddings;
        ValidateConnection("Llm:Embeddings", embeddings, errors);
        if (embeddings.Dimensions is < 1 or > 16_384)
            errors.Add($"Llm:Embeddings:Dimensions: {embeddings.Dimensions} must be between 1 and 16384.");

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Checks a provider connection: the provider's name, and what that provider requires.</summary>
    private static void ValidateConnection(string section, ProviderConnection connection, List<string> errors)
    {
        if (!ProviderNames.TryParse(connection.Provider, out var provider))
        {
            errors.Add($"{section}:Provider: '{connection.Provider}' is not one of {ProviderNames.Allowed}.");
            return;
        }

        if (provider == LlmProvider.None)
            return;

        var (model, deployment, endpoint, apiKey) = (connection.Model, connection.Deployment, connection.Endpoint, connection.ApiKey);
        if (provider == LlmProvider.AzureOpenAI)
        {
            if (string.IsNullOrWhiteSpace(deployment) && string.IsNullOrWhiteSpace(model))
                errors.Add($"{section}:Deployment: required for azureopenai (or set {section}:Model).");
        }
        else if (string.IsNullOrWhiteSpace(model))
        {
            errors.Add($"{section}:Model: required for {provider.ToString().ToLowerInvariant()}.");
        }

        var needsEndpoint = provider is LlmProvider.AzureOpenAI or LlmProvider.OpenAICompatible;
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            if (needsEndpoint)
                errors.Add($"{section}:Endpoint: required for {(provider == LlmProvider.AzureOpenAI ? "azureopenai (https://NAME.openai.azure.com)" : "openai-compatible (e.g. http://localhost:11434/v1)")}.");
        }
        else if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{section}:Endpoint: '{endpoint}' is not an absolute http(s) address.");
        }

        if (provider is LlmProvider.OpenAI or LlmProvider.AzureOpenAI && string.IsNullOrWhiteSpace(apiKey))
            errors.Add($"{section}:ApiKey: required for {(provider == LlmProvider.OpenAI ? "openai" : "azureopenai")} (set it in the environment, e.g. NEWSBOT__{section.Replace(":", "__", StringComparison.Ordinal)}__ApiKey).");
    }
}
