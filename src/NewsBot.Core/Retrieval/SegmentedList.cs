namespace NewsBot.Retrieval;

/// <summary>
/// An append-only list kept in fixed segments: growing never copies what is already there, so building an index
/// of tens of millions of entries needs their memory once, not the two or three times a doubling list needs.
/// </summary>
internal sealed class SegmentedList<T>
{
    private const int SegmentBits = 16;
    private const int SegmentLength = 1 << SegmentBits;
    private readonly List<T[]> _segments = [];

    public long Count { get; private set; }

    public T this[long index] => _segments[(int)(index >> SegmentBits)][index & (SegmentLength - 1)];

    public void Add(T value)
    {
        var at = (int)(Count & (SegmentLength - 1));
        if (at == 0)
            _segments.Add(new T[SegmentLength]);
        _segments[^1][at] = value;
        Count++;
    }

    public T[] ToArray()
    {
        var result = new T[Count];
        for (var s = 0; s < _segments.Count; s++)
        {
            var length = (int)Math.Min(SegmentLength, Count - ((long)s << SegmentBits));
            _segments[s].AsSpan(0, length).CopyTo(result.AsSpan(s << SegmentBits));
        }

        return result;
    }
}
