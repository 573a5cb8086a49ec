using NewsBot.Retrieval;

namespace NewsBot.Answering;

/// <summary>A sentence put to the reader, with the little context it reads along with it.</summary>
/// <param name="Title">The article's title.</param>
/// <param name="Previous">The sentence before it in the same paragraph; empty when it opens its paragraph.</param>
/// <param name="Sentence">The candidate sentence, exactly as in the article.</param>
public sealed record ReaderCandidate(string Title, string Previous, string Sentence);

/// <summary>A short answer inside a sentence: <c>Sentence[Start..End]</c>, and how sure the reader is of it.</summary>
public sealed record SpanInSentence(int Start, int End, double Probability);

/// <summary>The reader's verdict on one candidate.</summary>
/// <param name="Probability">Calibrated probability that the sentence answers the question.</param>
/// <param name="ShortAnswer">A confident short answer inside the sentence, or null.</param>
public sealed record ReaderVerdict(double Probability, SpanInSentence? ShortAnswer);

/// <summary>
/// A trained reading model: it reads the question with each candidate sentence and says which answers it.
/// Implemented outside Core (ONNX Runtime), so Core stays free of platform code.
/// </summary>
public interface IAnswerReader
{
    /// <summary>Below this probability the best sentence does not answer the question and the answerer refuses.</summary>
    double MinProbability { get; }

    /// <summary>How its verdicts combine with retrieval's evidence (fitted with the model); null: candidates are taken in retrieval's order.</summary>
    AnswerFusion? Fusion { get; }

    /// <summary>
    /// Whether the reader's vocabulary holds <paramref name="word"/> whole: a lowercase word it does not ("agncies") is most
    /// often a typo, and is read as the candidates spell the word retrieval took it for.
    /// </summary>
    bool KnowsWord(string word);

    /// <summary>One verdict per candidate, in the candidates' order.</summary>
    Task<IReadOnlyList<ReaderVerdict>> ReadAsync(string question, IReadOnlyList<ReaderCandidate> candidates, CancellationToken cancellationToken);
}

/// <summary>A candidate as the reader's answerer weighed it: retrieval's evidence, the reader's verdict and the fusion's features.</summary>
/// <param name="RedundantWith">Indices of earlier candidates that say the same (which a second quote must not repeat).</param>
public sealed record ReadCandidate(SentenceCandidate Candidate, ReaderVerdict Verdict, IReadOnlyDictionary<string, double> Features, IReadOnlyList<int> RedundantWith);

/// <summary>
/// A diagnostic: receives each question's read candidates, in retrieval's order (<c>eval --candidates FILE</c> writes them
/// for training/reader/fuse.py, which fits <see cref="AnswerFusion"/> on them). Not registered in normal runs.
/// </summary>
public interface IReadingTrace
{
    void Read(string question, IReadOnlyList<ReadCandidate> candidates);
}
