using System.Runtime.InteropServices;

namespace NewsBot.Ingestion;

/// <summary>How stores keep one embedding: its float32 values as bytes, in the machine's (little-endian) order.</summary>
public static class VectorBytes
{
    /// <summary>Row <paramref name="row"/> of a row-major matrix of <paramref name="dimensions"/> columns.</summary>
    public static byte[] Row(float[] matrix, int row, int dimensions) =>
        MemoryMarshal.AsBytes(matrix.AsSpan(row * dimensions, dimensions)).ToArray();

    /// <summary>Stored rows back into one row-major matrix of <paramref name="dimensions"/> columns.</summary>
    public static float[] Concat(IReadOnlyCollection<byte[]> rows, int dimensions)
    {
        var result = new float[rows.Count * dimensions];
        var offset = 0;
        foreach (var row in rows)
        {
            var values = MemoryMarshal.Cast<byte, float>(row);
            if (values.Length != dimensions)
                throw new InvalidDataException($"A stored vector has {values.Length} values; the index has {dimensions} dimensions.");
            values.CopyTo(result.AsSpan(offset));
            offset += values.Length;
        }

        return result;
    }
}
