using System.Text.Json.Serialization;
using NewsBot.Answering;

namespace NewsBot.Reader;

/// <summary>
/// <c>fusion.json</c> beside the model: how its verdicts combine with retrieval's evidence, as training/reader/fuse.py
/// fitted it on the calibration questions. It belongs to this model's probabilities, so it ships and loads with it.
/// </summary>
internal static class ReaderFusionFile
{
    public const int SupportedFormat = 1;

    /// <summary>Reads and checks <c>fusion.json</c>; a problem is an <see cref="InvalidDataException"/> with a one-line message.</summary>
    public static AnswerFusion Read(string path)
    {
        var document = ReaderModelSettings.ReadJson<FusionDocument>(path);

        var problem = document switch
        {
            null => "it is empty",
            { Format: not SupportedFormat } => $"format {document.Format} is not {SupportedFormat}",
            { Ranking: null } => "it has no ranking",
            { SecondCitation: not ("retrieval" or "ranking") } => $"secondCitation “{document.SecondCitation}” is neither retrieval nor ranking",
            _ => null,
        };
        var fusion = problem is null ? document!.ToFusion() : null;
        problem ??= fusion!.Problem();
        return problem is null ? fusion! : throw new InvalidDataException($"{path}: {problem}");
    }

    private sealed record FusionDocument(
        [property: JsonPropertyName("format")] int Format,
        [property: JsonPropertyName("ranking")] ModelDocument? Ranking,
        [property: JsonPropertyName("answerability")] ModelDocument? Answerability,
        [property: JsonPropertyName("secondCitation")] string? SecondCitation,
        [property: JsonPropertyName("shortAnswer")] ShortAnswerDocument? ShortAnswer)
    {
        public AnswerFusion ToFusion() => new(Ranking!.ToModel(), Answerability?.ToModel(), Answerability?.Threshold ?? 0, SecondCitation == "ranking")
        {
            MinShortAnswerProbability = ShortAnswer?.MinProbability,
        };
    }

    private sealed record ShortAnswerDocument([property: JsonPropertyName("minProbability")] double MinProbability);

    private sealed record ModelDocument(
        [property: JsonPropertyName("features")] string[]? Features,
        [property: JsonPropertyName("mean")] double[]? Mean,
        [property: JsonPropertyName("scale")] double[]? Scale,
        [property: JsonPropertyName("weights")] double[]? Weights,
        [property: JsonPropertyName("bias")] double Bias,
        [property: JsonPropertyName("threshold")] double Threshold)
    {
        public LinearModel ToModel() => new(Features ?? [], Mean ?? [], Scale ?? [], Weights ?? [], Bias);
    }
}
