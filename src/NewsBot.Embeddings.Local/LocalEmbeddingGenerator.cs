using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using NewsBot.Retrieval;
using SentenceTransformers;

namespace NewsBot.Embeddings.Local;

/// <summary>
/// Sentence embeddings from a <see cref="LocalEmbeddingModel"/>: L2-normalised vectors computed on this
/// machine. Texts embedded as questions (<see cref="EmbeddingInput.Query"/>) get the model's query instruction.
/// </summary>
public sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    // With texts sorted by length, batches of 8–32 measured alike on two cores; 16 keeps memory small.
    private const int BatchSize = 16;

    private readonly Lazy<ISentenceEncoder> _encoder;
    private readonly EmbeddingGeneratorMetadata _metadata;

    public LocalEmbeddingGenerator(LocalEmbeddingModel model, int threads = 0)
    {
        Model = model;
        _metadata = new EmbeddingGeneratorMetadata($"SentenceTransformers.{model.Name}", null, model.ModelId, model.Dimensions);
        var intraOpThreads = threads > 0 ? threads : Math.Max(1, Environment.ProcessorCount);
        // The ONNX session loads lazily: commands that only read the index never pay for it.
        _encoder = new Lazy<ISentenceEncoder>(() => model.CreateEncoder(SessionOptions(intraOpThreads)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public LocalEmbeddingModel Model { get; }

    /// <summary>Loads the model now rather than at the first text to embed.</summary>
    public void Load() => _ = _encoder.Value;

    /// <summary>
    /// ONNX Runtime's threads wait for each other by sleeping, not spinning: with the cores shared (another process,
    /// the reader), spinning threads made a question's embedding 3× slower (80 ms against 27 ms on two cores at a load average
    /// of 17) and burnt twice the CPU; on long ingest batches the wake-ups are lost in the work.
    /// </summary>
    private static SessionOptions SessionOptions(int intraOpThreads)
    {
        var options = new SessionOptions { IntraOpNumThreads = intraOpThreads, InterOpNumThreads = 1 };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var inputs = values as IReadOnlyList<string> ?? values.ToList();
        var prefix = EmbeddingInput.IsQuery(options) ? Model.QueryInstruction : string.Empty;
        // The encoder pads every text of a batch to the longest one, so texts of similar length are
        // batched together (measured: 105 → 280 texts/s on two cores) and put back in input order after.
        var order = Enumerable.Range(0, inputs.Count).OrderBy(i => inputs[i].Length).ToArray();
        var vectors = new float[inputs.Count][];
        var encoder = _encoder.Value;
        for (var offset = 0; offset < order.Length; offset += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.AsSpan(offset, Math.Min(BatchSize, order.Length - offset)).ToArray();
            var encoded = encoder.Encode([.. batch.Select(i => prefix + inputs[i])], cancellationToken);
            for (var k = 0; k < batch.Length; k++)
                vectors[batch[k]] = encoded[k];
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        foreach (var vector in vectors)
            result.Add(new Embedding<float>(vector) { ModelId = Model.ModelId });

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        if (_encoder.IsValueCreated && _encoder.Value is IDisposable disposable)
            disposable.Dispose();
    }
}
