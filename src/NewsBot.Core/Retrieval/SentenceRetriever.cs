using System.ComponentModel.DataAnnotations;
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

    [Range(0.0, 100.0)]
    public double LexicalWeight { get; set; } = 0.30;

    /// <summary>
    /// Weight of the question–sentence cosine. The default suits ArcticXs, whose cosines span a narrow band
    /// (about 0.5–0.85 between a question and article sentences); with MiniLM, whose cosines spread wider, 0.4 measured best.
    /// </summary>
    [Range(0.0, 100.0)]
    public double DenseWeight { get; set; } = 3.0;

    [Range(0.0, 100.0)]
    public double ContextWeight { get; set; } = 0.15;

    [Range(0.0, 100.0)]
    public double CoverageWeight { get; set; } = 0.25;

    [Range(0.0, 100.0)]
    public double AnswerKindWeight { get; set; } = 0.08;

    /// <summary>
    /// Subtracted from a sentence that adds fewer than <see cref="MinNewTerms"/> content terms to the
    /// question: a headline-like line that restates the question cannot answer it.
    /// </summary>
    [Range(0.0, 100.0)]
    public double RestatementPenalty { get; set; } = 0.3;

    [Range(0, 50)]
    public int MinNewTerms { get; set; } = 4;

    /// <summary>How many sentences retrieval hands to the answerer.</summary>
    [Range(2, 200)]
    public int Candidates { get; set; } = 12;

    /// <summary>
    /// Past this many sentences, dense search uses an approximate index and only the best sentences by BM25 and by
    /// that index are ranked; at or below it every sentence is, exactly.
    /// </summary>
    [Range(1_000, int.MaxValue)]
    public int AnnThreshold { get; set; } = 20_000;
}

/// <summary>
/// Hybrid sentence retrieval: BM25 and dense cosine similarity at sentence level, the surrounding
/// chunk's similarity for context, the share of the question's content present, and whether the
/// sentence holds the kind of answer asked for, fused linearly. Up to <see cref="RetrievalOptions.AnnThreshold"/>
/// sentences every sentence is ranked; past it only the best by BM25 and by approximate dense search are.
/// </summary>
public sealed class SentenceRetriever(
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    IOptions<RetrievalOptions> options)
{
    // Past the threshold, how many sentences each side proposes to the full ranking.
    private const int LexicalPool = 200;
    private const int DensePool = 100;

    public async Task<IReadOnlyList<SentenceCandidate>> RetrieveAsync(
        IndexSnapshot index,
        QuestionAnalysis question,
        string? sourceId,
        CancellationToken cancellationToken)
    {
        using var activity = Telemetry.NewsBotTelemetry.ActivitySource.StartActivity("newsbot.retrieve");
        if (index.SentenceCount == 0)
            return [];

        var scope = sourceId is null ? null : index.SourceIndex(sourceId);
        if (sourceId is not null && scope is null)
            return [];

        ReadOnlyMemory<float> queryVector;
        using (Telemetry.NewsBotTelemetry.ActivitySource.StartActivity("newsbot.embed"))
            queryVector = (await embeddings.GenerateAsync([question.Text], EmbeddingInput.QueryOptions(), cancellationToken))[0].Vector;
        using (Telemetry.NewsBotTelemetry.ActivitySource.StartActivity("newsbot.rank"))
            return Rank(index, question, queryVector.Span, scope);
    }

    internal IReadOnlyList<SentenceCandidate> Rank(IndexSnapshot index, QuestionAnalysis question, ReadOnlySpan<float> queryVector, int? scope)
    {
        var o = options.Value;
        question = Respelled(index, question);
        var pool = index.Approximate is null ? ExactPool(index, question, scope) : ApproximatePool(index, question, queryVector, scope);
        var maxLexical = 0f;
        foreach (var (_, lexical) in pool)
            maxLexical = Math.Max(maxLexical, lexical);

        var questionTermIds = question.Terms.Select(index.Lexical.TermId).Where(id => id >= 0).ToHashSet();
        var questionIdf = question.ContentTerms.Distinct(StringComparer.Ordinal).Select(t => CoverageTerm.Of(index, question, t)).ToArray();
        var candidates = new List<SentenceCandidate>(pool.Count);
        foreach (var (i, lexical) in pool)
        {
            var (source, sentenceIndex) = index.SentenceRefs[i];
            var article = index.Articles[source];
            var sentence = article.Sentences[sentenceIndex];
            var dense = index.SentenceSimilarity(i, queryVector);
            var context = dense;
            foreach (var c in index.ChunksOf(i))
                context = Math.Max(context, index.ChunkSimilarity(c, queryVector));

            var coverage = Coverage(index, i, source, sentence, question, questionIdf);
            var kindMatch = AnswerKindDetector.Holds(question.Expects, sentence.Text, question.Text);
            var lexicalShare = maxLexical > 0 ? lexical / maxLexical : 0;
            var newTerms = 0;
            foreach (var id in index.TermIdsOf(i))
                newTerms += questionTermIds.Contains(id) ? 0 : 1;
            var restates = newTerms < o.MinNewTerms;
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

    /// <summary>Every sentence in scope, with its BM25 score: exact retrieval.</summary>
    private static List<(int Sentence, float Lexical)> ExactPool(IndexSnapshot index, QuestionAnalysis question, int? scope)
    {
        var lexical = new float[index.SentenceCount];
        index.Lexical.Score(question.Terms.ToList(), lexical);
        var pool = new List<(int, float)>(index.SentenceCount);
        for (var i = 0; i < lexical.Length; i++)
        {
            if (index.Answers[i] && (scope is null || index.SentenceRefs[i].Source == scope))
                pool.Add((i, lexical[i]));
        }

        return pool;
    }

    /// <summary>
    /// Past the threshold: the best sentences by BM25 (from the posting lists) and by dense similarity (from the
    /// approximate index), which the full ranking then orders; within one article, all of its sentences.
    /// The best BM25 score in scope is among them, so lexical scores scale exactly as in exact retrieval.
    /// </summary>
    private static List<(int Sentence, float Lexical)> ApproximatePool(IndexSnapshot index, QuestionAnalysis question, ReadOnlySpan<float> queryVector, int? scope)
    {
        var terms = question.Terms.ToList();
        var pool = new List<(int, float)>();
        if (scope is { } source)
        {
            var first = index.FirstSentenceOf(source);
            for (var i = first; i < first + index.Articles[source].Sentences.Count; i++)
            {
                if (index.Answers[i])
                    pool.Add((i, index.Lexical.ScoreOf(terms, i)));
            }

            return pool;
        }

        var seen = new HashSet<int>();
        foreach (var (sentence, score) in index.Lexical.Top(terms, LexicalPool, i => index.Answers[i]))
        {
            seen.Add(sentence);
            pool.Add((sentence, score));
        }

        foreach (var hit in index.Approximate!.Search(queryVector, DensePool))
        {
            if (index.Answers[hit.Sentence] && seen.Add(hit.Sentence))
                pool.Add((hit.Sentence, index.Lexical.ScoreOf(terms, hit.Sentence)));
        }

        return pool;
    }

    /// <summary>
    /// The question with each term that no sentence or title holds replaced by the one it was most likely meant as
    /// (<see cref="LexicalIndex.NearestSpelling"/>): people type fast, and "the Hawaiin volcano" or "Jacques Couer" would
    /// otherwise match nothing by its words and hold little of the question's content. Acronyms are left alone. The
    /// reader reads the names meant too (<see cref="Answering.ReaderQuestion"/>), from <see cref="QuestionAnalysis.Respellings"/>.
    /// A question already respelled is returned as it is.
    /// </summary>
    internal static QuestionAnalysis Respelled(IndexSnapshot index, QuestionAnalysis question)
    {
        if (question.Respellings is not null)
            return question;
        Dictionary<string, string>? respelled = null;
        foreach (var term in question.Terms.Distinct(StringComparer.Ordinal))
        {
            if (respelled?.Count >= MaxRespelledTerms)
                break;
            if (question.AcronymTerms?.Contains(term) == true)
                continue;
            // Titles are looked through only for a term that would change: most terms are held, and this runs per question.
            if (index.Lexical.NearestSpelling(term) is { } nearest && !index.TitleTerms.Any(title => title.Contains(term, StringComparer.Ordinal)))
                (respelled ??= new(StringComparer.Ordinal))[term] = nearest;
        }

        if (respelled is null)
            return question with { Respellings = NoRespellings };
        string Fix(string term) => respelled.GetValueOrDefault(term, term);
        return question with
        {
            Terms = [.. question.Terms.Select(Fix)],
            AnswerTypeTerms = question.AnswerTypeTerms is null ? null : [.. question.AnswerTypeTerms.Select(Fix)],
            NameTerms = question.NameTerms is null ? null : question.NameTerms.Select(Fix).ToHashSet(StringComparer.Ordinal),
            Speaker = question.Speaker is null ? null : Respelled(index, question.Speaker),
            Respellings = respelled,
        };
    }

    private static readonly IReadOnlyDictionary<string, string> NoRespellings = new Dictionary<string, string>();

    // Bounds the vocabulary scans a question of many unknown words can cost.
    private const int MaxRespelledTerms = 4;

    private static string? Previous(SentenceCandidate candidate) =>
        candidate.Sentence.Index > 0 ? candidate.Article.Sentences[candidate.Sentence.Index - 1].Text : null;

    /// <summary>
    /// The IDF-weighted share of the question's content terms that the sentence, the one before it in its paragraph or
    /// the title holds, as <see cref="NameMatching.Meets"/> decides: exactly, a name in a derived form, or an acronym
    /// spelled out.
    /// </summary>
    /// <remarks>
    /// Every sentence in scope is weighed, so terms and their derived forms are compared as ids of the index; only an
    /// acronym needs the sentence's wording.
    /// </remarks>
    private static double Coverage(
        IndexSnapshot index, int global, int source, Sentence sentence, QuestionAnalysis question, CoverageTerm[] questionIdf)
    {
        if (questionIdf.Length == 0)
            return 0;
        var article = index.Articles[source];
        var hasPrevious = sentence.Index > 0 && index.SentenceRefs[global - 1].Source == source
            && article.Sentences[sentence.Index - 1].Paragraph == sentence.Paragraph;
        var terms = index.TermIdsOf(global);
        var previousTerms = hasPrevious ? index.TermIdsOf(global - 1) : [];
        var titleTerms = index.TitleTerms[source];
        double found = 0, total = 0;
        foreach (var term in questionIdf)
        {
            total += term.Idf;
            var meets = HoldsAny(terms, term.Ids) || HoldsAny(previousTerms, term.Ids) || HoldsAny(titleTerms, term.Forms)
                || (term.Acronym is { } acronym && (NameMatching.SpellsAcronym(acronym, sentence.Text) || NameMatching.SpellsAcronym(acronym, article.Title)
                    || (hasPrevious && NameMatching.SpellsAcronym(acronym, article.Sentences[sentence.Index - 1].Text))));
            if (meets)
                found += term.Idf;
        }

        return total > 0 ? found / total : 0;
    }

    private static bool HoldsAny(ReadOnlySpan<int> termIds, int[] ids)
    {
        foreach (var id in ids)
        {
            if (termIds.BinarySearch(id) >= 0)
                return true;
        }

        return false;
    }

    private static bool HoldsAny(IReadOnlyList<string> terms, string[] wanted)
    {
        for (var i = 0; i < terms.Count; i++)
        {
            if (Array.IndexOf(wanted, terms[i]) >= 0)
                return true;
        }

        return false;
    }

    /// <summary>A content term of the question, with what counts as meeting it.</summary>
    /// <param name="Forms">The term and, for a name, its derived forms.</param>
    /// <param name="Ids">The ids in the index of those of <paramref name="Forms"/> that some sentence holds.</param>
    /// <param name="Acronym">For an acronym of the question, its letters, which a written-out name may spell.</param>
    private sealed record CoverageTerm(double Idf, string[] Forms, int[] Ids, string? Acronym)
    {
        public static CoverageTerm Of(IndexSnapshot index, QuestionAnalysis question, string term)
        {
            string[] forms = question.NameTerms?.Contains(term) == true ? [term, .. NameMatching.DerivedForms(term)] : [term];
            return new CoverageTerm(
                index.Lexical.Idf(term),
                forms,
                [.. forms.Select(index.Lexical.TermId).Where(id => id >= 0)],
                question.AcronymTerms?.Contains(term) == true ? term.ToUpperInvariant() : null);
        }
    }
}
