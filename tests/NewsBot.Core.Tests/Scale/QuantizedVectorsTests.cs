using System.Numerics.Tensors;
using NewsBot.Retrieval;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Scale;

public class QuantizedVectorsTests
{
    [Fact]
    public void Vectors_come_back_in_their_direction_and_dot_products_hold()
    {
        var vectors = new QuantizedVectors(48);
        var originals = Enumerable.Range(0, 2100).Select(i => RandomUnit(48, i)).ToList();
        foreach (var pair in originals.Chunk(3))
            vectors.Add(pair.SelectMany(v => v).ToArray());
        vectors.Trim();

        var back = new float[48];
        var query = RandomUnit(48, 9999);
        for (var i = 0; i < originals.Count; i += 97)
        {
            vectors.CopyVector(i, back);
            Assert.True(TensorPrimitives.CosineSimilarity(originals[i], back) > 0.999, $"vector {i}: {TensorPrimitives.CosineSimilarity(originals[i], back)}");
            Assert.Equal(TensorPrimitives.Dot(originals[i], query), vectors.Dot(i, query), 0.01);
        }

        Assert.Equal(2100, vectors.Count);
    }
}
