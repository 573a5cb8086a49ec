using NewsBot.Retrieval;

namespace NewsBot.Answering;

/// <summary>A standardised linear model over named features: <c>Σ weight·(value − mean)/scale + bias</c>.</summary>
public sealed record LinearModel(IReadOnlyList<string> Features, IReadOnlyList<double> Mean, IReadOnlyList<double> Scale, IReadOnlyList<double> Weights, double Bias)
{
    public double Apply(IReadOnlyDictionary<string, double> values)
    {
        var sum = Bias;
        for (var k = 0; k < Features.Count; k++)
            sum += Weights[k] * (values[Features[k]] - Mean[k]) / Scale[k];
        return sum;
    }

    /// <summary>Why this model cannot be applied to <paramref name="known"/> features, or null when it can.</summary>
    public string? Problem(IReadOnlyCollection<string> known)
    {
        if (Features.Count == 0 || Mean.Count != Features.Count || Scale.Count != Features.Count || Weights.Count != Features.Count)
            return "features, mean, scale and weights must be non-empty and of one length";
        if (Features.FirstOrDefault(f => !known.Contains(f)) is { } unknown)
            return $"unknown feature “{unknown}”";
        if (Scale.Any(s => !(s > 0) || double.IsInfinity(s)))
            return "a scale is not a positive number";
        return Mean.Concat(Weights).Append(Bias).Any(v => !double.IsFinite(v)) ? "a mean, weight or bias is not a finite number" : null;
    }
}

/// <summary>
/// How the reader's verdicts and retrieval's evidence are combined (fitted by training/reader/fuse.py on the calibration
/// questions, shipped as <c>fusion.json</c> beside the model): a ranking of the candidates that picks the first quote and,
/// optionally, a question-level answerability model that decides refusal in place of the best candidate's reader probability.
/// </summary>
/// <param name="Ranking">Scores each candidate from <see cref="CandidateFeatures"/>; the highest that passes is quoted first.</param>
/// <param name="Answerability">Scores the question from <see cref="QuestionFeatures"/>; null: the best candidate's reader probability decides.</param>
/// <param name="AnswerThreshold">The least answerability score for an answer (unused without <paramref name="Answerability"/>).</param>
/// <param name="SecondByRanking">Whether the second quote is the next candidate by the ranking rather than by retrieval's order.</param>
public sealed record AnswerFusion(LinearModel Ranking, LinearModel? Answerability, double AnswerThreshold, bool SecondByRanking)
{
    /// <summary>
    /// Least probability of a short answer for the reply to lead with it, chosen on the engine's own answers to the
    /// calibration questions; null: the reader's own calibration decides.
    /// </summary>
    public double? MinShortAnswerProbability { get; init; }

    /// <summary>What a candidate brings, by the names fuse.py fits them under (training/reader/fuse.py's CANDIDATE_FEATURES).</summary>
    public static readonly IReadOnlyList<string> CandidateFeatures =
        ["readerLogit", "readerLogitBelowBest", "relativeScore", "score", "logRank", "dense", "lexical", "context", "coverage", "kindMatch"];

    /// <summary>What the answerability model reads of a question's candidates (fuse.py's QUESTION_FEATURES).</summary>
    public static readonly IReadOnlyList<string> QuestionFeatures =
        ["bestReaderLogit", "maxReaderLogit", "bestRankingScore", "bestShare", "bestCoverage", "bestScore", "topScore"];

    /// <summary>Retrieval's order, for a reader that brings no fitted fusion: the first candidate that passes is quoted.</summary>
    public static AnswerFusion RetrievalOrder { get; } = new(new LinearModel(["logRank"], [0.0], [1.0], [-1.0], 0), null, 0, SecondByRanking: false);

    /// <summary>Why this fusion cannot be applied, or null when it can.</summary>
    public string? Problem() =>
        Ranking.Problem(CandidateFeatures) is { } ranking ? $"ranking: {ranking}"
        : Answerability?.Problem(QuestionFeatures) is { } answerability ? $"answerability: {answerability}"
        : !double.IsFinite(AnswerThreshold) ? "the answer threshold is not a finite number"
        : MinShortAnswerProbability is < 0 or > 1 or double.NaN ? "the short answers' least probability is outside 0–1"
        : null;

    /// <summary>Each candidate's features, in the pool's (retrieval's) order, as fuse.py's candidate_features computes them.</summary>
    public static IReadOnlyList<Dictionary<string, double>> Features(IReadOnlyList<SentenceCandidate> pool, IReadOnlyList<ReaderVerdict> verdicts)
    {
        var top = pool.Max(c => c.Score);
        var logits = verdicts.Select(v => Logit(v.Probability)).ToArray();
        var bestLogit = logits.Max();
        return [.. pool.Select((c, i) => new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["readerLogit"] = logits[i],
            ["readerLogitBelowBest"] = logits[i] - bestLogit,
            ["relativeScore"] = top > 0 ? c.Score / top : 0,
            ["score"] = c.Score,
            ["logRank"] = Math.Log(1 + i),
            ["dense"] = c.Dense,
            ["lexical"] = c.Lexical,
            ["context"] = c.Context,
            ["coverage"] = c.Coverage,
            ["kindMatch"] = c.KindMatch switch { null => 0, true => 1, false => -1 },
        })];
    }

    /// <summary>The candidates' indices from the most to the least likely to answer (ties keep retrieval's order).</summary>
    public int[] Order(IReadOnlyList<Dictionary<string, double>> features, out double[] scores)
    {
        var s = features.Select(Ranking.Apply).ToArray();
        scores = s;
        return [.. Enumerable.Range(0, s.Length).OrderByDescending(i => s[i])];
    }

    /// <summary>The question-level features over the ranking's best candidate <paramref name="best"/>.</summary>
    public static Dictionary<string, double> QuestionFeaturesOf(IReadOnlyList<Dictionary<string, double>> features, double[] scores, int best)
    {
        var max = scores.Max();
        var share = Math.Exp(scores[best] - max) / scores.Sum(s => Math.Exp(s - max));
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["bestReaderLogit"] = features[best]["readerLogit"],
            ["maxReaderLogit"] = features.Max(f => f["readerLogit"]),
            ["bestRankingScore"] = scores[best],
            ["bestShare"] = share,
            ["bestCoverage"] = features[best]["coverage"],
            ["bestScore"] = features[best]["score"],
            ["topScore"] = features.Max(f => f["score"]),
        };
    }

    private static double Logit(double p)
    {
        p = Math.Clamp(p, 1e-6, 1 - 1e-6);
        return Math.Log(p / (1 - p));
    }
}
