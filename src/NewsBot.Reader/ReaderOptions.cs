using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NewsBot.Reader;

/// <summary>The trained reader that picks the quote and decides refusal (section <c>Answering:Reader</c>).</summary>
public sealed class ReaderOptions
{
    public const string Section = "Answering:Reader";

    /// <summary>False answers with retrieval scores and hand-written rules alone, as before the reader.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The model file (<c>reader.onnx</c>, with <c>vocab.txt</c>, <c>reader.json</c> and <c>fusion.json</c> beside it). Unset: the model shipped
    /// next to the program. A relative path resolves against the current directory, like every other path.
    /// </summary>
    public string? ModelPath { get; set; }

    /// <summary>Least probability of the best sentence for an answer; unset: the threshold calibrated in training (reader.json).</summary>
    [Range(0.0, 1.0)]
    public double? MinProbability { get; set; }

    /// <summary>
    /// Least probability of a short answer for the reply to lead with it; unset: the value fitted with the model
    /// (fusion.json, else reader.json); 1 never leads with one.
    /// </summary>
    [Range(0.0, 1.0)]
    public double? MinShortAnswerProbability { get; set; }

    /// <summary>
    /// How many sentences retrieval hands to the reader (it sets <c>Retrieval:Candidates</c>). Six read as well as eight
    /// (which had read as well as 16, at half the reading): on the two held-out validation splits (1,514 answerable, 229
    /// unanswerable questions) support 1,196 against 1,203, first citation 1,140 against 1,142, refusal 122 against 118,
    /// and every public set the same; warm <c>bench</c> p50 about 4 ms less (25.1 / 28.7 against 29.4 / 32.2 ms).
    /// </summary>
    [Range(2, 64)]
    public int Candidates { get; set; } = 6;

    /// <summary>How many candidates are read at once, each by one thread; 0 uses every core.</summary>
    [Range(0, 256)]
    public int Threads { get; set; }

    public string ModelFile => string.IsNullOrWhiteSpace(ModelPath)
        ? Path.Combine(AppContext.BaseDirectory, "models", "reader", "reader.onnx")
        : Path.GetFullPath(ModelPath);

    public string VocabularyFile => Path.Combine(Path.GetDirectoryName(ModelFile)!, "vocab.txt");

    public string SettingsFile => Path.Combine(Path.GetDirectoryName(ModelFile)!, "reader.json");

    public string FusionFile => Path.Combine(Path.GetDirectoryName(ModelFile)!, "fusion.json");
}

/// <summary>
/// Checks at start that the model's files are there and its settings readable, so a missing or damaged model is one
/// line naming the path and the setting rather than a failure at the first question. (Whether the ONNX graph itself
/// loads is known only when it loads, at the first question; that failure is one line too.)
/// </summary>
internal sealed class ReaderOptionsValidator : IValidateOptions<ReaderOptions>
{
    public ValidateOptionsResult Validate(string? name, ReaderOptions options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        var problem = Problem(options);
        return problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(
            $"Answering:Reader:ModelPath: {problem} (point Answering:Reader:ModelPath at reader.onnx, or set Answering:Reader:Enabled=false to answer without the reader).");
    }

    private static string? Problem(ReaderOptions options)
    {
        string path;
        try
        {
            path = options.ModelFile;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"“{options.ModelPath}” is not a valid path";
        }

        if (!File.Exists(path))
            return $"the reader model {path} does not exist";
        if (new FileInfo(path).Length == 0)
            return $"the reader model {path} is empty";
        if (!File.Exists(options.VocabularyFile))
            return $"the reader's vocabulary {options.VocabularyFile} does not exist";
        if (!File.Exists(options.SettingsFile))
            return $"the reader's settings {options.SettingsFile} do not exist";
        try
        {
            ReaderModelSettings.Read(options.SettingsFile);
            if (!File.Exists(options.FusionFile))
                return $"the reader's fusion {options.FusionFile} does not exist";
            ReaderFusionFile.Read(options.FusionFile);
            return null;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }
}
