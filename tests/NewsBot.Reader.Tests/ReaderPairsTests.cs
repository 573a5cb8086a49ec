using System.Text.Json;
using NewsBot.Answering;

namespace NewsBot.Reader.Tests;

public class ReaderPairsTests
{
    private static readonly ReaderPairs Pairs = new(ShippedModel.Tokenizer, ShippedModel.Settings);

    private static int[] Ids(string text) => ShippedModel.Tokenizer.Tokenize(text).Ids;

    [Fact]
    public void A_pair_is_question_then_sentence_then_title_and_the_end_of_the_previous_sentence()
    {
        var candidate = new ReaderCandidate("Netanyahu declines meeting", "The request came in May.", "The PMO cited his schedule.");

        var pair = Pairs.Build(Pairs.Question("Why did the PMO decline?"), candidate);

        int[] expected = [101, .. Ids("Why did the PMO decline?"), 102, .. Ids(candidate.Sentence), 102, .. Ids(candidate.Title), .. Ids(candidate.Previous), 102];
        Assert.Equal(expected, pair.InputIds);
        var firstSegment = Ids("Why did the PMO decline?").Length + 2;
        Assert.Equal(firstSegment, pair.SentenceStart);
        Assert.Equal([.. Enumerable.Repeat(0, firstSegment), .. Enumerable.Repeat(1, expected.Length - firstSegment)], pair.TokenTypeIds);
        Assert.Equal(Ids(candidate.Sentence).Length, pair.SentenceOffsets.Length);
    }

    [Fact]
    public void Long_pieces_are_cut_to_the_models_limits_and_the_previous_sentence_keeps_its_end()
    {
        var settings = ShippedModel.Settings;
        var longText = string.Join(' ', Enumerable.Range(0, 150).Select(i => $"word{i % 10}"));
        var title = "A title that goes on and on " + longText;
        var previous = "Earlier things happened and then at last " + longText + " finally ended";
        var candidate = new ReaderCandidate(title, previous, longText);

        var pair = Pairs.Build(Pairs.Question(longText), candidate);

        var question = Ids(longText)[..settings.MaxQuestionTokens];
        var sentence = Ids(longText)[..settings.MaxSentenceTokens];
        var titleIds = Ids(title)[..settings.MaxTitleTokens];
        var previousIds = Ids(previous);
        var tail = previousIds[^(settings.MaxContextTokens - settings.MaxTitleTokens)..];
        int[] expected = [101, .. question, 102, .. sentence, 102, .. titleIds, .. tail, 102];
        Assert.Equal(expected, pair.InputIds);
        Assert.Equal(Ids("finally ended"), tail[^Ids("finally ended").Length..]);
        Assert.Equal(settings.MaxSentenceTokens, pair.SentenceOffsets.Length);
    }

    [Fact]
    public void A_sentence_opening_its_paragraph_has_the_title_alone_as_context()
    {
        var pair = Pairs.Build(Pairs.Question("Who?"), new ReaderCandidate("Title", string.Empty, "Someone did."));

        Assert.Equal([101, .. Ids("Who?"), 102, .. Ids("Someone did."), 102, .. Ids("Title"), 102], pair.InputIds);
    }

    [Fact]
    public void Pairs_match_the_training_pipeline_on_its_fixed_examples()
    {
        foreach (var example in ExpectedScores.Load())
        {
            var pair = Pairs.Build(Pairs.Question(example.Question), example.Candidate);
            Assert.True(example.InputIds.SequenceEqual(pair.InputIds), $"input ids differ for “{example.Question}” / “{example.Candidate.Sentence}”");
        }
    }
}

/// <summary>Pairs written by the training pipeline with its inputs and PyTorch's outputs (models/reader/expected-scores.json).</summary>
internal sealed record ExpectedScores(string Question, ReaderCandidate Candidate, int[] InputIds, double Probability, string? ShortAnswer)
{
    public static IReadOnlyList<ExpectedScores> Load()
    {
        using var file = File.OpenRead(ShippedModel.Fixture("expected-scores.json"));
        using var json = JsonDocument.Parse(file);
        var examples = json.RootElement.EnumerateArray().Select(e => new ExpectedScores(
            e.GetProperty("question").GetString()!,
            new ReaderCandidate(e.GetProperty("title").GetString()!, e.GetProperty("previous").GetString()!, e.GetProperty("sentence").GetString()!),
            [.. e.GetProperty("inputIds").EnumerateArray().Select(i => i.GetInt32())],
            e.GetProperty("probability").GetDouble(),
            e.TryGetProperty("shortAnswer", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null)).ToList();
        Assert.True(examples.Count >= 4, "expected-scores.json holds too few examples");
        return examples;
    }
}
