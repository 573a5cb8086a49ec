using System.Text.Json;
using System.Text.Json.Serialization;

namespace NewsBot.Reader;

/// <summary>
/// The limits and calibrated thresholds the training pipeline wrote next to the model (<c>reader.json</c>):
/// the pairs must be cut exactly as in training, and the thresholds belong to this model's outputs.
/// </summary>
internal sealed record ReaderModelSettings(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("maxQuestionTokens")] int MaxQuestionTokens,
    [property: JsonPropertyName("maxSentenceTokens")] int MaxSentenceTokens,
    [property: JsonPropertyName("maxTitleTokens")] int MaxTitleTokens,
    [property: JsonPropertyName("maxContextTokens")] int MaxContextTokens,
    [property: JsonPropertyName("minProbability")] double MinProbability,
    [property: JsonPropertyName("minSpanProbability")] double MinSpanProbability,
    [property: JsonPropertyName("maxSpanTokens")] int MaxSpanTokens)
{
    public const int SupportedFormat = 1;

    /// <summary>Reads and checks <c>reader.json</c>; a problem is an <see cref="InvalidDataException"/> with a one-line message.</summary>
    public static ReaderModelSettings Read(string path)
    {
        var settings = ReadJson<ReaderModelSettings>(path);

        var problem = settings switch
        {
            null => "it is empty",
            { Format: not SupportedFormat } => $"format {settings.Format} is not {SupportedFormat}",
            { MaxQuestionTokens: <= 0 } or { MaxSentenceTokens: <= 0 } or { MaxTitleTokens: < 0 } or { MaxContextTokens: < 0 } or { MaxSpanTokens: <= 0 }
                => "a token limit is missing or not positive",
            { MinProbability: < 0 or > 1 } or { MinSpanProbability: < 0 or > 1 } => "a threshold is outside 0–1",
            _ => null,
        };
        return problem is null ? settings! : throw new InvalidDataException($"{path}: {problem}");
    }

    /// <summary>Deserialises one of the model's JSON files; invalid JSON is an <see cref="InvalidDataException"/> naming the file.</summary>
    internal static T? ReadJson<T>(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<T>(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON ({e.Message.Split('\n')[0]})");
        }
    }
}
