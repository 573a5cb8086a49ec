using NewsBot.Answering;

namespace NewsBot.Reader.Tests;

public class ReaderFusionFileTests
{
    private const string Ranking = "\"ranking\": {\"features\": [\"readerLogit\", \"logRank\"], \"mean\": [0.5, 1], \"scale\": [2, 0.5], \"weights\": [1.5, -0.25], \"bias\": 0.1}";

    [Fact]
    public void The_shipped_fusion_loads_and_ranks_on_features_core_computes()
    {
        var fusion = ReaderFusionFile.Read(ShippedModel.Options.FusionFile);

        Assert.Null(fusion.Problem());
        Assert.All(fusion.Ranking.Features, f => Assert.Contains(f, AnswerFusion.CandidateFeatures));
        Assert.Equal(fusion.Ranking.Weights, ShippedModel.Reader.Fusion.Ranking.Weights);
    }

    [Fact]
    public void A_fitted_file_becomes_the_models_it_describes()
    {
        var fusion = Read($"{{\"format\": 1, {Ranking}, \"secondCitation\": \"ranking\", " +
            "\"answerability\": {\"features\": [\"bestShare\"], \"mean\": [0], \"scale\": [1], \"weights\": [3], \"bias\": -1, \"threshold\": 0.25}, " +
            "\"shortAnswer\": {\"minProbability\": 0.35, \"precision\": 0.9}}");
        var withoutShortAnswers = Read($"{{\"format\": 1, {Ranking}, \"secondCitation\": \"retrieval\"}}");

        Assert.True(fusion.SecondByRanking);
        Assert.Equal(["readerLogit", "logRank"], fusion.Ranking.Features);
        Assert.Equal(0.1 + (1.5 * (2.5 - 0.5) / 2) + (-0.25 * (0 - 1) / 0.5), fusion.Ranking.Apply(new Dictionary<string, double> { ["readerLogit"] = 2.5, ["logRank"] = 0 }), 12);
        Assert.NotNull(fusion.Answerability);
        Assert.Equal(0.25, fusion.AnswerThreshold);
        Assert.Equal(0.35, fusion.MinShortAnswerProbability);
        Assert.Null(withoutShortAnswers.MinShortAnswerProbability);
    }

    [Theory]
    [InlineData("{\"format\": 1, \"ranking\": ", "is not valid JSON")]
    [InlineData("{\"format\": 2, " + Ranking + ", \"secondCitation\": \"retrieval\"}", "format 2 is not 1")]
    [InlineData("{\"format\": 1, \"secondCitation\": \"retrieval\"}", "it has no ranking")]
    [InlineData("{\"format\": 1, " + Ranking + ", \"secondCitation\": \"best\"}", "secondCitation “best”")]
    [InlineData("{\"format\": 1, \"ranking\": {\"features\": [\"shoeSize\"], \"mean\": [0], \"scale\": [1], \"weights\": [1], \"bias\": 0}, \"secondCitation\": \"retrieval\"}", "ranking: unknown feature “shoeSize”")]
    [InlineData("{\"format\": 1, \"ranking\": {\"features\": [\"dense\", \"lexical\"], \"mean\": [0], \"scale\": [1], \"weights\": [1], \"bias\": 0}, \"secondCitation\": \"retrieval\"}", "of one length")]
    [InlineData("{\"format\": 1, \"ranking\": {\"features\": [\"dense\"], \"mean\": [0], \"scale\": [0], \"weights\": [1], \"bias\": 0}, \"secondCitation\": \"retrieval\"}", "a scale is not a positive number")]
    [InlineData("{\"format\": 1, " + Ranking + ", \"secondCitation\": \"retrieval\", \"answerability\": {\"features\": [\"dense\"], \"mean\": [0], \"scale\": [1], \"weights\": [1], \"bias\": 0}}", "answerability: unknown feature “dense”")]
    [InlineData("{\"format\": 1, " + Ranking + ", \"secondCitation\": \"retrieval\", \"shortAnswer\": {\"minProbability\": 1.5}}", "the short answers' least probability is outside 0–1")]
    public void A_damaged_file_is_one_line_naming_it(string json, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() => Read(json));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains("fusion.json", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_missing_or_damaged_fusion_is_named_at_start_with_the_setting()
    {
        var folder = Directory.CreateTempSubdirectory("newsbot-fusion-").FullName;
        try
        {
            File.Copy(ShippedModel.Options.VocabularyFile, Path.Combine(folder, "vocab.txt"));
            File.Copy(ShippedModel.Options.SettingsFile, Path.Combine(folder, "reader.json"));
            File.WriteAllText(Path.Combine(folder, "reader.onnx"), "x");
            var options = new ReaderOptions { ModelPath = Path.Combine(folder, "reader.onnx") };
            var fusion = Path.Combine(folder, "fusion.json");

            var missing = Assert.Single(new ReaderOptionsValidator().Validate(null, options).Failures!);
            File.WriteAllText(fusion, "{\"format\": 1}");
            var damaged = Assert.Single(new ReaderOptionsValidator().Validate(null, options).Failures!);
            File.Copy(ShippedModel.Options.FusionFile, fusion, overwrite: true);

            Assert.All([missing, damaged], m => Assert.StartsWith("Answering:Reader:ModelPath: ", m, StringComparison.Ordinal));
            Assert.All([missing, damaged], m => Assert.Contains(fusion, m, StringComparison.Ordinal));
            Assert.Contains("does not exist", missing, StringComparison.Ordinal);
            Assert.Contains("it has no ranking", damaged, StringComparison.Ordinal);
            Assert.True(new ReaderOptionsValidator().Validate(null, options).Succeeded);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static AnswerFusion Read(string json)
    {
        var folder = Directory.CreateTempSubdirectory("newsbot-fusion-file-").FullName;
        var path = Path.Combine(folder, "fusion.json");
        File.WriteAllText(path, json);
        try
        {
            return ReaderFusionFile.Read(path);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
