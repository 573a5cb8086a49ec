using NewsBot.Retrieval;

namespace NewsBot.Answering;

/// <summary>A sentence put to the reader, in its paragraph (the context the reader reads along with it).</summary>
/// <param name="Title">The article's title.</param>
/// <param name="Paragraph">The sentences of the candidate's paragraph, in order, exactly as in the article.</param>
/// <param name="Index">Which of them is the candidate.</param>
/// <param name="ParagraphKey">The same for candidates of the same paragraph of the same article, and only for them.</param>
public sealed record ReaderCandidate(string Title, IReadOnlyList<string> Paragraph, int Index, string ParagraphKey)
{
    /// <summary>The candidate sentence.</summary>
    public string Sentence => Paragraph[Index];

    /// <summary>The sentence before it in the same paragraph; empty when it opens its paragraph.</summary>
    public string Previous => Index > 0 ? Paragraph[Index - 1] : string.Empty;
}

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
