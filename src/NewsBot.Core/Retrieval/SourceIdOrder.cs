namespace NewsBot.Retrieval;

/// <summary>
/// The order an index holds its articles in: by the Unicode code points of their ids, which is the byte order of
/// their UTF-8 that SQLite (binary collation) and PostgreSQL (<c>COLLATE "C"</c>) sort by, so a store can stream
/// articles in the order a snapshot needs. It differs from ordinal UTF-16 order only past U+FFFF.
/// </summary>
public sealed class SourceIdOrder : IComparer<string>
{
    public static SourceIdOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
            return x is null ? (y is null ? 0 : -1) : 1;
        var common = x.AsSpan().CommonPrefixLength(y);
        if (common == x.Length || common == y.Length)
            return x.Length.CompareTo(y.Length);
        var (a, b) = (x[common], y[common]);
        // A surrogate stands for a code point above every other UTF-16 unit.
        return char.IsSurrogate(a) == char.IsSurrogate(b) ? a.CompareTo(b) : char.IsSurrogate(a) ? 1 : -1;
    }
}
