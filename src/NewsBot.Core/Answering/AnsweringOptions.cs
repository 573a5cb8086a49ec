using System.ComponentModel.DataAnnotations;

namespace NewsBot.Answering;

/// <summary>Limits and thresholds of question answering (section <c>Answering</c>).</summary>
public sealed class AnsweringOptions
{
    public const string Section = "Answering";

    /// <summary>Longest question accepted, in characters.</summary>
    [Range(10, 4000)]
    public int MaxQuestionLength { get; set; } = 500;

    /// <summary>
    /// Without the reader: the least share of a question's content (IDF-weighted terms) the best sentence and its context
    /// must hold for the question to count as answered. With the reader, its fusion weighs coverage instead.
    /// </summary>
    [Range(0.0, 1.0)]
    public double MinCoverage { get; set; } = 0.2;

    /// <summary>
    /// Without the reader: the least fused retrieval score of the best sentence for an answer, a floor under which nothing
    /// is related (with the default weights an answering sentence scores 2–3.3). With the reader, its fusion weighs it.
    /// </summary>
    [Range(0.0, 10.0)]
    public double MinScore { get; set; } = 1.5;

    /// <summary>
    /// "What did X say?" quotes only sentences reporting X's words (X named with a verb of saying, or "he said" right
    /// after X is named); with none close to the best sentence, the question is refused rather than misattributed.
    /// </summary>
    public bool RequireSpeaker { get; set; } = true;

    /// <summary>
    /// With the reader: when the article's prose answers nothing, a photo caption is quoted instead only if the reader gives
    /// it at least this probability. Its probabilities are calibrated, so the default 0.5 quotes a caption the reader finds
    /// more likely than not to answer: the question was already refused once, and a date in a caption ("… in Moscow,
    /// January 30, 2017") looks like an answer to "When was the company founded?" at the reader's usual threshold. 1 never
    /// quotes captions.
    /// </summary>
    [Range(0.0, 1.0)]
    public double MinCaptionProbability { get; set; } = 0.5;

    /// <summary>A second quote is cited when its score is at least this share of the first one's.</summary>
    [Range(0.0, 1.0)]
    public double SecondCitationRatio { get; set; } = 0.85;
}
