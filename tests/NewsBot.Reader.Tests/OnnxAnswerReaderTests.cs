using Microsoft.Extensions.Options;
using NewsBot.Answering;

namespace NewsBot.Reader.Tests;

public class OnnxAnswerReaderTests
{
    /// <summary>
    /// The expected scores are PyTorch's on the weights as exported (int8 matrices, fp16 embeddings), so what is left
    /// is ONNX Runtime quantizing the activations at run time: at most 0.16 of a logit for the shipped model on these
    /// pairs. Probabilities are compared in logit space, where the error does not shrink near 0 or 1, with room for 0.3.
    /// A wrong pair layout or tokenization moves them by whole units.
    /// </summary>
    private const double LogitTolerance = 0.3;

    private static double Logit(double p) => Math.Log(Math.Clamp(p, 1e-7, 1 - 1e-7) / (1 - Math.Clamp(p, 1e-7, 1 - 1e-7)));

    [Fact]
    public async Task The_exported_model_scores_the_pipelines_fixed_pairs_as_the_training_framework_did()
    {
        var examples = ExpectedScores.Load();
        foreach (var group in examples.GroupBy(e => e.Question))
        {
            var candidates = group.Select(e => e.Candidate).ToList();
            var verdicts = await ShippedModel.Reader.ReadAsync(group.Key, candidates, CancellationToken.None);
            foreach (var (example, verdict) in group.Zip(verdicts))
            {
                Assert.True(Math.Abs(Logit(example.Probability) - Logit(verdict.Probability)) <= LogitTolerance,
                    $"“{example.Question}” / “{example.Candidate.Sentence}”: expected {example.Probability:F4}, got {verdict.Probability:F4}");
            }
        }
    }

    [Fact]
    public async Task Short_answers_are_verbatim_slices_of_the_sentence_as_the_pipeline_found_them()
    {
        // The pipeline wrote its short answers at reader.json's threshold; the engine's own (fusion.json) may be stricter.
        using var reader = new OnnxAnswerReader(Options.Create(new ReaderOptions { Threads = 2, MinShortAnswerProbability = ShippedModel.Settings.MinSpanProbability }));
        var agreed = 0;
        var examples = ExpectedScores.Load();
        foreach (var example in examples)
        {
            var verdict = Assert.Single(await reader.ReadAsync(example.Question, [example.Candidate], CancellationToken.None));
            if (verdict.ShortAnswer is { } span)
            {
                var text = example.Candidate.Sentence[span.Start..span.End];
                Assert.Equal(text.Trim(), text);
                Assert.True(text.Length < example.Candidate.Sentence.Trim().Length);
                if (text == example.ShortAnswer)
                    agreed++;
            }
            else if (example.ShortAnswer is null)
            {
                agreed++;
            }
        }

        // A span probability sitting right at the threshold may fall either side after quantization; no more than one may.
        Assert.True(agreed >= examples.Count - 1, $"{agreed} of {examples.Count} short answers agree");
    }

    [Fact]
    public async Task A_short_answer_is_led_with_from_the_setting_else_the_fusions_else_the_models_threshold()
    {
        using var never = new OnnxAnswerReader(Options.Create(new ReaderOptions { Threads = 2, MinShortAnswerProbability = 1 }));
        using var always = new OnnxAnswerReader(Options.Create(new ReaderOptions { Threads = 2, MinShortAnswerProbability = 0 }));
        var examples = ExpectedScores.Load();
        var question = examples[0].Question;
        var candidates = examples.Where(e => e.Question == question).Select(e => e.Candidate).ToList();

        var unshown = await never.ReadAsync(question, candidates, CancellationToken.None);
        var shown = await always.ReadAsync(question, candidates, CancellationToken.None);

        Assert.All(unshown, v => Assert.Null(v.ShortAnswer));
        Assert.All(shown, v => Assert.NotNull(v.ShortAnswer));
        Assert.Equal(ShippedModel.Reader.Fusion.MinShortAnswerProbability ?? ShippedModel.Settings.MinSpanProbability, ShippedModel.Reader.MinShortAnswerProbability);
    }

    [Fact]
    public async Task Every_candidate_gets_a_verdict_in_order_and_an_empty_batch_needs_no_model()
    {
        var reader = new OnnxAnswerReader(Options.Create(new ReaderOptions { ModelPath = "/nonexistent/reader.onnx" }));
        Assert.Empty(await reader.ReadAsync("Why?", [], CancellationToken.None));

        ReaderCandidate[] candidates =
        [
            new("Netanyahu turns down meeting with Kaspersky", string.Empty, "The Prime Minister's Office said he could not meet because of the heavy demands of his schedule."),
            new("Netanyahu turns down meeting with Kaspersky", string.Empty, "Kaspersky Lab is based in Moscow."),
        ];
        var verdicts = await ShippedModel.Reader.ReadAsync("Why did the PMO decline the meeting?", candidates, CancellationToken.None);
        Assert.Equal(2, verdicts.Count);
        Assert.True(verdicts[0].Probability > verdicts[1].Probability);
        var alone = await ShippedModel.Reader.ReadAsync("Why did the PMO decline the meeting?", [candidates[1]], CancellationToken.None);
        // Activations are quantized per run, and every candidate is read in a run of its own: no other candidate or
        // padding moves its score.
        Assert.Equal(verdicts[1], alone[0]);
    }

    [Fact]
    public void A_missing_model_is_one_line_naming_the_path_and_the_setting()
    {
        var path = Path.Combine(Path.GetTempPath(), "newsbot-no-model", "reader.onnx");
        var result = new ReaderOptionsValidator().Validate(null, new ReaderOptions { ModelPath = path });

        Assert.True(result.Failed);
        var message = Assert.Single(result.Failures!);
        Assert.Contains(path, message, StringComparison.Ordinal);
        Assert.StartsWith("Answering:Reader:ModelPath: ", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
        Assert.True(new ReaderOptionsValidator().Validate(null, new ReaderOptions { ModelPath = path, Enabled = false }).Succeeded);
    }

    [Fact]
    public async Task A_corrupt_model_is_one_line_naming_the_path_and_the_setting()
    {
        var folder = Directory.CreateTempSubdirectory("newsbot-corrupt-model-").FullName;
        try
        {
            File.Copy(ShippedModel.Options.VocabularyFile, Path.Combine(folder, "vocab.txt"));
            File.Copy(ShippedModel.Options.SettingsFile, Path.Combine(folder, "reader.json"));
            File.Copy(ShippedModel.Options.FusionFile, Path.Combine(folder, "fusion.json"));
            var path = Path.Combine(folder, "reader.onnx");
            var bytes = await File.ReadAllBytesAsync(ShippedModel.Options.ModelFile);
            await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 3)]);
            var options = new ReaderOptions { ModelPath = path };
            Assert.True(new ReaderOptionsValidator().Validate(null, options).Succeeded);

            using var reader = new OnnxAnswerReader(Options.Create(options));
            var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
                reader.ReadAsync("Why?", [new ReaderCandidate("T", string.Empty, "Because.")], CancellationToken.None));

            Assert.StartsWith($"Answering:Reader:ModelPath: {path} ", error.Message, StringComparison.Ordinal);
            Assert.Contains("Answering:Reader:Enabled=false", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Damaged_settings_are_named_at_start()
    {
        var folder = Directory.CreateTempSubdirectory("newsbot-bad-settings-").FullName;
        try
        {
            File.Copy(ShippedModel.Options.VocabularyFile, Path.Combine(folder, "vocab.txt"));
            File.WriteAllText(Path.Combine(folder, "reader.onnx"), "x");
            File.WriteAllText(Path.Combine(folder, "reader.json"), "{\"format\": 1, \"maxQuestionTokens\": ");
            var result = new ReaderOptionsValidator().Validate(null, new ReaderOptions { ModelPath = Path.Combine(folder, "reader.onnx") });

            var message = Assert.Single(result.Failures!);
            Assert.Contains(Path.Combine(folder, "reader.json"), message, StringComparison.Ordinal);
            Assert.StartsWith("Answering:Reader:ModelPath: ", message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
