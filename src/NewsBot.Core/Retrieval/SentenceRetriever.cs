using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using NewsBot.Sources;

namespace NewsBot.Retrieval;

/// <summary>A sentence that may answer a question, with the evidence for it.</summary>
/// <param name="Score">Fused relevance; higher is better.</param>
/// <param name="Lexical">BM25, scaled so the best sentence in scope scores 1.</param>
/// <param name="Dense">Cosine similarity of question and sentence embeddings.</param>
/// <param name="Context">Best cosine similarity of the question with a chunk holding the sentence.</param>
/// <param name="Coverage">Share of the question's content (IDF-weighted) found in the sentence, the one before it or the title.</param>
/// <param name="KindMatch">Whether the sentence holds the kind of answer asked for; null when none in particular.</param>
/// <param name="QuotesSpeaker">For "What did X say?", whether the sentence reports X's words; null for other questions.</param>
public sealed record SentenceCandidate(
    Article Article,
    Sentence Sentence,
    double Score,
    double Lexical,
    double Dense,
    double Context,
    double Coverage,
    bool? KindMatch,
    bool? QuotesSpeaker = null);

/// <summary>Weights of the hybrid ranking, calibrated with the <c>eval</c> command.</summary>
public sealed class RetrievalOptions
{
    public const string Section = "Retrieval";

    public double LexicalWeight { get; set; } = 0.30;

    /// <summary>
    /// Weight of the question–sentence cosine. The default suits ArcticXs, whose cosines span a narrow band
    /// (about 0.5–0.85 between a question and article sentences); with MiniLM, whose cosines spread wider, 0.4 measured best.
    /// </summary>
    public double DenseWeight { get; set; } = 3.0;

    public double ContextWeight { get; set; } = 0.15;

    public double CoverageWeight { get; set; } = 0.25;

    public double AnswerKindWeight { get; set; } = 0.08;

    /// <summary>
    /// Subtracted from a sentence that adds fewer than <see cref="MinNewTerms"/> content terms to the
    /// question: a headline-like line that restates the question cannot answer it.
    /// </summary>
    public double RestatementPenalty { get; set; } = 0.3;

    public int MinNewTerms { get; set; } = 4;

    /// <summary>How many sentences retrieval hands to the answerer.</summary>
    public int Candidates { get; set; } = 12;
}

/// <summary>
/// Hybrid sentence retrieval: BM25 and dense cosine similarity at sentence level, the surrounding
/// chunk's similarity for context, the share of the question's content present, and whether the
/// sentence holds the kind of answer asked for, fused linearly. Exact search: at the sizes NewsBot
/// serves a scan of the vectors takes microseconds; <see cref="IndexSnapshot"/> is the seam for an ANN index.
/// </summary>
public sealed class SentenceRetriever(
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    IOptions<RetrievalOptions> options)
{
    public async Task<IReadOnlyList<SentenceCandidate>> RetrieveAsync(
        IndexSnapshot index,
        QuestionAnalysis question,
        string? sourceId,
        CancellationToken cancellationToken)
    {
        if (index.SentenceCount == 0)
            return [];

        var scope = sourceId is null ? null : index.SourceIndex(sourceId);
        if (sourceId is not null && scope is null)
            return [];

        var queryVector = (await embeddings.GenerateAsync([question.Text], EmbeddingInput.QueryOptions(), cancellationToken))[0].Vector;
        return Rank(index, question, queryVector.Span, scope);
    }

    internal IReadOnlyList<SentenceCandidate> Rank(IndexSnapshot index, QuestionAnalysis question, ReadOnlySpan<float> queryVector, int? scope)
    {
        var o = options.Value;
        var count = index.SentenceCount;
        var lexical = new float[count];
        index.Lexical.Score(question.Terms.ToList(), lexical);

        var chunkSimilarity = new float[index.ChunkCount];
        for (var c = 0; c < chunkSimilarity.Length; c++)
            chunkSimilarity[c] = TensorPrimitives.Dot(queryVector, index.ChunkMatrix.AsSpan(c * index.Dimensions, index.Dimensions));

        var maxLexical = 0f;
        for (var i = 0; i < count; i++)
        {
            if (InScope(index, i, scope))
                maxLexical = Math.Max(maxLexical, lexical[i]);
        }

        var questionTerms = question.Terms.ToHashSet(StringComparer.Ordinal);
        var questionIdf = question.ContentTerms.Distinct(StringComparer.Ordinal).Select(t => (Term: t, Idf: index.Lexical.Idf(t))).ToArray();
        var candidates = new List<SentenceCandidate>(count);
        for (var i = 0; i < count; i++)
        {
            if (!InScope(index, i, scope))
                continue;
            var (source, sentenceIndex) = index.SentenceRefs[i];
            var article = index.Sources[source].Article;
            var sentence = article.Sentences[sentenceIndex];
            var dense = TensorPrimitives.Dot(queryVector, index.SentenceMatrix.AsSpan(i * index.Dimensions, index.Dimensions));
            var context = dense;
            foreach (var c in index.ChunksOfSentence[i])
                context = Math.Max(context, chunkSimilarity[c]);

            var coverage = Coverage(index, i, source, sentence, question, questionIdf);
            var kindMatch = AnswerKindDetector.Holds(question.Expects, sentence.Text, question.Text);
            var lexicalShare = maxLexical > 0 ? lexical[i] / maxLexical : 0;
            var restates = index.SentenceTermSets[i].Count(t => !questionTerms.Contains(t)) < o.MinNewTerms;
            var score = (o.LexicalWeight * lexicalShare) + (o.DenseWeight * dense) + (o.ContextWeight * context)
                + (o.CoverageWeight * coverage) + (o.AnswerKindWeight * (kindMatch switch { true => 1, false => -1, null => 0 }))
                - (restates ? o.RestatementPenalty : 0);
            candidates.Add(new SentenceCandidate(article, sentence, score, lexicalShare, dense, context, coverage, kindMatch));
        }

        candidates.Sort((a, b) => b.Score.CompareTo(a.Score));
        var top = candidates.Count > o.Candidates ? candidates.GetRange(0, o.Candidates) : candidates;
        // Read only for the sentences handed on: the regular expressions cost more than the rest of the ranking.
        if (question.Speaker is { } speaker)
            top = [.. top.Select(c => c with { QuotesSpeaker = Attribution.Attributes(speaker, c.Sentence.Text, Previous(c)) })];
        return top;
    }

    private static string? Previous(SentenceCandidate candidate) =>
        candidate.Sentence.Index > 0 ? candidate.Article.Sentences[candidate.Sentence.Index - 1].Text : null;

    private static bool InScope(IndexSnapshot index, int sentence, int? scope) =>
        index.Answers[sentence] && (scope is null || index.SentenceRefs[sentence].Source == scope);

    private static double Coverage(
        IndexSnapshot index, int global, int source, Sentence sentence, QuestionAnalysis question, (string Term, double Idf)[] questionIdf)
    {
        if (questionIdf.Length == 0)
            return 0;
        var article = index.Sources[source].Article;
        var hasPrevious = sentence.Index > 0 && index.SentenceRefs[global - 1].Source == source
            && article.Sentences[sentence.Index - 1].Paragraph == sentence.Paragraph;
        (IReadOnlyCollection<string> Terms, string Text)[] places = hasPrevious
            ? [(index.SentenceTermSets[global], sentence.Text), (index.SentenceTermSets[global - 1], article.Sentences[sentence.Index - 1].Text), (index.TitleTerms[source], article.Title)]
            : [(index.SentenceTermSets[global], sentence.Text), (index.TitleTerms[source], article.Title)];
        double found = 0, total = 0;
        foreach (var (term, idf) in questionIdf)
        {
            total += idf;
            if (places.Any(p => NameMatching.Meets(question, term, p.Terms, p.Text)))
                found += idf;
        }

        return total > 0 ? found / total : 0;
    }
}
