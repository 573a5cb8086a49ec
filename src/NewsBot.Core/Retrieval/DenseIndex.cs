using System.Numerics.Tensors;

namespace NewsBot.Retrieval;

/// <summary>A sentence found by dense search, with its cosine similarity to the question.</summary>
public readonly record struct DenseHit(int Sentence, float Similarity);

/// <summary>
/// Dense search over an index's sentence vectors once the archive passes <c>Retrieval:AnnThreshold</c>: it holds
/// the vectors (quantized) in place of the snapshot's exact matrix. Keys are the snapshot's sentence positions.
/// </summary>
public interface IApproximateDenseIndex
{
    int Count { get; }

    /// <summary>The sentences nearest the query by cosine similarity, best first (approximately).</summary>
    IReadOnlyList<DenseHit> Search(ReadOnlySpan<float> query, int count);

    /// <summary>The stored vector of a sentence, unit length, into <paramref name="destination"/>.</summary>
    void CopyVector(int sentence, Span<float> destination);
}

/// <summary>The vectors an approximate index is built from, read one at a time.</summary>
public interface IDenseVectorSource
{
    int Count { get; }

    int Dimensions { get; }

    void CopyVector(int index, Span<float> destination);
}

/// <summary>
/// Builds the approximate index of a snapshot, or loads the one persisted for the same content.
/// </summary>
/// <remarks>
/// The fingerprint names the index's content (model, articles and their versions): an index persisted under another
/// fingerprint is stale and never used for this content.
/// </remarks>
public interface IApproximateDenseIndexFactory
{
    /// <summary>The index persisted for this content, or null when there is none that can be used.</summary>
    IApproximateDenseIndex? TryOpen(string fingerprint, int count, int dimensions);

    /// <summary>
    /// The index persisted for this content, else one made from the vectors (and persisted): with a
    /// <paramref name="layout"/>, by bringing the previous content's index up to date when few articles changed,
    /// otherwise built whole.
    /// </summary>
    IApproximateDenseIndex Open(string fingerprint, IDenseVectorSource vectors, DenseIndexLayout? layout = null);
}

/// <summary>
/// Whose sentences an approximate index holds, article by article in snapshot order (an article's sentences take the
/// next positions), so that the index of one snapshot can be brought up to date for the next.
/// </summary>
/// <remarks>An article is the same in two snapshots when its id, content hash and sentence count are, under one embedding model.</remarks>
public sealed record DenseIndexLayout(string EmbeddingModelId, IReadOnlyList<DenseIndexArticle> Articles);

/// <summary>An article in a <see cref="DenseIndexLayout"/>.</summary>
public sealed record DenseIndexArticle(string Id, string ContentHash, int Sentences);

/// <summary>
/// Vectors kept as signed bytes with one scale per vector (its largest magnitude maps to 127): a quarter of the
/// memory of floats, and cosine similarities within about 0.003 of the exact ones for 384-dimension embeddings.
/// </summary>
/// <param name="capacity">How many vectors to allocate room for at once, when known.</param>
internal sealed class QuantizedVectors(int dimensions, int capacity = 1024) : IDenseVectorSource
{
    private sbyte[] _codes = new sbyte[dimensions * Math.Max(1, capacity)];
    private float[] _scales = new float[Math.Max(1, capacity)];

    public int Count { get; private set; }

    public int Dimensions => dimensions;

    public void Add(ReadOnlySpan<float> vectors)
    {
        Span<float> scaled = stackalloc float[dimensions];
        for (var offset = 0; offset + dimensions <= vectors.Length; offset += dimensions)
        {
            if (Count == _scales.Length)
            {
                Array.Resize(ref _scales, _scales.Length * 2);
                Array.Resize(ref _codes, _codes.Length * 2);
            }

            var vector = vectors.Slice(offset, dimensions);
            var largest = Math.Abs(TensorPrimitives.MaxMagnitude(vector));
            var scale = largest > 0 ? largest / 127f : 1f;
            // Scaled by the largest magnitude, every value rounds into -127..127.
            TensorPrimitives.Divide(vector, scale, scaled);
            TensorPrimitives.Round(scaled, scaled);
            var codes = _codes.AsSpan(Count * dimensions, dimensions);
            for (var d = 0; d < codes.Length; d++)
                codes[d] = (sbyte)scaled[d];
            _scales[Count++] = scale;
        }
    }

    public void CopyVector(int index, Span<float> destination)
    {
        var codes = _codes.AsSpan(index * dimensions, dimensions);
        var scale = _scales[index];
        for (var d = 0; d < dimensions; d++)
            destination[d] = codes[d] * scale;
    }

    public float Dot(int index, ReadOnlySpan<float> query)
    {
        var codes = _codes.AsSpan(index * dimensions, dimensions);
        var sum = 0f;
        for (var d = 0; d < dimensions; d++)
            sum += codes[d] * query[d];
        return sum * _scales[index];
    }

    /// <summary>Releases the spare capacity left by growth once every vector is in.</summary>
    public QuantizedVectors Trim()
    {
        Array.Resize(ref _codes, Count * dimensions);
        Array.Resize(ref _scales, Count);
        return this;
    }
}

/// <summary>
/// Exact search over quantized vectors: what the snapshot uses past the threshold when no approximate index is
/// registered (the ANN project adds one), so Core alone still serves a large archive, only slower.
/// </summary>
internal sealed class QuantizedScanIndex(QuantizedVectors vectors) : IApproximateDenseIndex
{
    public int Count => vectors.Count;

    public IReadOnlyList<DenseHit> Search(ReadOnlySpan<float> query, int count)
    {
        var best = new PriorityQueue<int, float>(count + 1);
        for (var i = 0; i < vectors.Count; i++)
        {
            best.Enqueue(i, vectors.Dot(i, query));
            if (best.Count > count)
                best.Dequeue();
        }

        var hits = new DenseHit[best.Count];
        for (var i = hits.Length - 1; i >= 0; i--)
        {
            best.TryDequeue(out var sentence, out var similarity);
            hits[i] = new DenseHit(sentence, similarity);
        }

        return hits;
    }

    public void CopyVector(int sentence, Span<float> destination) => vectors.CopyVector(sentence, destination);
}
