using Microsoft.Extensions.AI;

namespace NewsBot.Retrieval;

/// <summary>
/// Marks texts embedded as search questions rather than as article text. Models trained for asymmetric
/// search (arctic-embed, e5, Cohere, Voyage) embed the two differently; others ignore the mark. It travels
/// as <c>input_type</c> in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>, the name those
/// providers' APIs use.
/// </summary>
public static class EmbeddingInput
{
    public const string PropertyName = "input_type";

    public const string Query = "query";

    public static EmbeddingGenerationOptions QueryOptions() =>
        new() { AdditionalProperties = new AdditionalPropertiesDictionary { [PropertyName] = Query } };

    public static bool IsQuery(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(PropertyName, out var value) == true && Query.Equals(value as string, StringComparison.Ordinal);
}
