using System.Numerics.Tensors;
using Cloud.Unum.USearch;

namespace NewsBot.Retrieval.Ann;

/// <summary>An HNSW index (USearch, cosine) keyed by the snapshot's sentence positions.</summary>
internal sealed class UsearchDenseIndex(USearchIndex index, int count) : IApproximateDenseIndex
{
    // A lock per search keeps concurrent questions within USearch's per-thread contexts; a search takes well under a millisecond.
    private readonly Lock _gate = new();

    public int Count => count;

    /// <summary>Candidates weighed per search, as USearch applies it.</summary>
    internal int ExpansionSearch
    {
        get
        {
            lock (_gate)
                return UsearchNative.ExpansionSearch(index);
        }
    }

    public IReadOnlyList<DenseHit> Search(ReadOnlySpan<float> query, int count)
    {
        var vector = query.ToArray();
        ulong[] keys;
        float[] distances;
        lock (_gate)
            index.Search(vector, count, out keys, out distances);
        var hits = new DenseHit[keys.Length];
        for (var i = 0; i < hits.Length; i++)
            hits[i] = new DenseHit(checked((int)keys[i]), 1 - distances[i]);
        return hits;
    }

    public void CopyVector(int sentence, Span<float> destination)
    {
        float[] vector;
        lock (_gate)
        {
            if (index.Get((ulong)sentence, out vector) < 1)
                throw new ArgumentOutOfRangeException(nameof(sentence), sentence, "The approximate index holds no such sentence.");
        }

        // Quantized storage keeps the direction, not the length: cosine similarity needs the unit vector back.
        var norm = TensorPrimitives.Norm(vector);
        TensorPrimitives.Divide(vector, norm > 0 ? norm : 1, destination);
    }
}
