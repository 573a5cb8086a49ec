using System.Numerics.Tensors;
using NewsBot.Embeddings.Local;
using NewsBot.Retrieval;

namespace NewsBot.Tests;

/// <summary>The local models themselves: real ONNX inference, no substitutes.</summary>
public class LocalEmbeddingTests
{
    private const string Question = "Why did the PMO decline the meeting?";
    private const string Answer = "The PMO said that due to the heavy demands of his schedule, he must decline your kind invitation.";
    private const string Unrelated = "Rain is expected across the region this weekend.";

    [Fact]
    public async Task ArcticXs_embeds_a_question_with_its_search_instruction()
    {
        using var generator = new LocalEmbeddingGenerator(LocalEmbeddingModel.ArcticXs, threads: 1);

        var asQuery = (await generator.GenerateAsync([Question], EmbeddingInput.QueryOptions()))[0].Vector.ToArray();
        var asText = (await generator.GenerateAsync([Question]))[0].Vector.ToArray();
        var withInstruction = (await generator.GenerateAsync([LocalEmbeddingModel.ArcticXs.QueryInstruction + Question]))[0].Vector.ToArray();

        Assert.Equal(withInstruction, asQuery);
        Assert.NotEqual(asText, asQuery);
        Assert.Equal(1, TensorPrimitives.Norm(asQuery), 3);
    }

    [Fact]
    public async Task MiniLM_embeds_questions_and_text_alike()
    {
        using var generator = new LocalEmbeddingGenerator(LocalEmbeddingModel.MiniLM, threads: 1);

        var asQuery = (await generator.GenerateAsync([Question], EmbeddingInput.QueryOptions()))[0].Vector.ToArray();
        var asText = (await generator.GenerateAsync([Question]))[0].Vector.ToArray();

        Assert.Equal(asText, asQuery);
    }

    [Theory]
    [InlineData("ArcticXs")]
    [InlineData("MiniLM")]
    public async Task Each_model_puts_the_answer_closer_to_the_question_than_an_unrelated_sentence(string name)
    {
        var model = LocalEmbeddingModel.Find(name)!;
        using var generator = new LocalEmbeddingGenerator(model, threads: 1);

        var question = (await generator.GenerateAsync([Question], EmbeddingInput.QueryOptions()))[0].Vector;
        var texts = await generator.GenerateAsync([Unrelated, Answer]);

        Assert.All(texts, t => Assert.Equal(model.ModelId, t.ModelId));
        Assert.True(TensorPrimitives.Dot(question.Span, texts[1].Vector.Span) > TensorPrimitives.Dot(question.Span, texts[0].Vector.Span) + 0.1);
    }
}
