using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Sources;

namespace NewsBot.Answering;

/// <summary>
/// The offline answerer: it quotes the sentence(s) that answer the question, exactly, and says so
/// plainly when the articles hold no answer instead of quoting the nearest sentence. With a trained
/// <see cref="IAnswerReader"/> the reader picks among retrieval's candidates and decides refusal; without one,
/// retrieval scores and coverage do.
/// </summary>
public sealed class ExtractiveAnswerer(
    CurrentIndex index,
    SentenceRetriever retriever,
    IOptions<AnsweringOptions> options,
    IAnswerReader? reader = null,
    IReadingTrace? trace = null) : IAnswerer
{
    public async Task<Answer> AnswerAsync(Question question, CancellationToken cancellationToken = default)
    {
        var snapshot = index.Snapshot;
        var analysis = QuestionAnalysis.Of(question.Text);
        if (analysis.AsksForAuthor)
            return AnswerAuthor(snapshot, question);
        if (analysis.AsksForGist)
            return AnswerGist(snapshot, question);
        if (analysis.AsksForHeadline)
            return AnswerHeadline(snapshot, question);
        if (analysis.AsksForDate)
            return AnswerDate(snapshot, question);
        if (analysis.AsksForLength)
            return AnswerLength(snapshot, question);

        analysis = SentenceRetriever.Respelled(snapshot, analysis);
        var candidates = await retriever.RetrieveAsync(snapshot, analysis, question.SourceId, cancellationToken);
        var (chosen, shortAnswer) = reader is null
            ? (Choose(candidates), null)
            : await ReadAsync(reader, question.Text, analysis, candidates, cancellationToken);
        if (chosen.Count == 0 && AnswerTopic(question.Text, analysis, candidates) is { } topic)
            return topic;
        if (chosen.Count == 0 && reader is not null && options.Value.MinCaptionProbability < 1
            && await ReadCaptionsAsync(reader, question.Text, analysis, CaptionEvidence.ArticlesInScope(snapshot, question.SourceId, candidates), cancellationToken) is { } caption)
            return caption;
        if (chosen.Count == 0)
        {
            var unattributed = options.Value.RequireSpeaker && analysis.Speaker is not null && candidates.Count > 0 && !candidates.Any(c => c.QuotesSpeaker == true);
            return Refusal(question.Text, snapshot, question.SourceId, unattributed ? $"no words are attributed to {analysis.Speaker!.Text}" : null);
        }

        var citations = chosen.Select((c, i) => Cite(i + 1, c.Article, c.Sentence.Start, c.Sentence.End, c.Sentence.Paragraph)).ToList();
        var text = Compose(citations);
        // The span head learned from questions answered by a few words; its span for a yes/no question is not an answer.
        if (analysis.AsksYesNo)
            shortAnswer = null;
        if (shortAnswer is not null)
            text = AsLead(shortAnswer.Text) + (shortAnswer.Text[^1] is '.' or '!' or '?' ? " " : ". ") + text;
        return new Answer(question.Text, true, text, citations, ShortAnswer: shortAnswer);
    }

    /// <summary>
    /// The short answer as the reply's first words: "Some 400 million people.", not "some 400 million people.". Only a plain
    /// lowercase first word is capitalised ("iPhone 15" stays as written); <see cref="ShortAnswer.Text"/> keeps the article's
    /// own spelling, and the quote after it is verbatim.
    /// </summary>
    internal static string AsLead(string shortAnswer)
    {
        var firstWord = shortAnswer.Split(' ', 2)[0];
        return firstWord.Length > 0 && char.IsLower(firstWord[0]) && !firstWord.Any(char.IsUpper)
            ? string.Concat(char.ToUpperInvariant(firstWord[0]).ToString(), shortAnswer.AsSpan(1))
            : shortAnswer;
    }

    /// <summary>
    /// The reader reads every candidate with the question; the reader's fusion (<see cref="AnswerFusion"/>, fitted on
    /// calibration questions) ranks them on the reader's verdict and retrieval's evidence together, and the best that passes
    /// is quoted, with the next passing one that says something else. A confident span in the first becomes the short answer.
    /// The coverage and score floors of the reader-less path do not apply: the fusion weighs coverage and score itself, at a
    /// threshold that refuses as much as the floors did, and the floors also refused answerable questions asked in other words.
    /// </summary>
    internal async Task<(IReadOnlyList<SentenceCandidate> Chosen, ShortAnswer? ShortAnswer)> ReadAsync(
        IAnswerReader answerReader, string question, QuestionAnalysis analysis, IReadOnlyList<SentenceCandidate> candidates,
        CancellationToken cancellationToken)
    {
        var o = options.Value;
        var pool = Admissible(candidates, o);
        if (pool.Count == 0)
            return ([], null);
        IReadOnlyList<ReaderVerdict> verdicts;
        using (Telemetry.NewsBotTelemetry.ActivitySource.StartActivity("newsbot.read"))
        {
            var read = pool.Select(AsReaderCandidate).ToList();
            verdicts = await answerReader.ReadAsync(ReaderQuestion.Of(AskedSentence(question), analysis, read, answerReader.KnowsWord), read, cancellationToken);
        }

        var fusion = answerReader.Fusion ?? AnswerFusion.RetrievalOrder;
        var features = AnswerFusion.Features(pool, verdicts);
        trace?.Read(question, [.. pool.Select((c, i) => new ReadCandidate(c, verdicts[i], features[i], [.. Enumerable.Range(0, i).Where(j => Redundant(pool[j], c))]))]);
        var order = fusion.Order(features, out var scores);
        var threshold = answerReader.MinProbability;
        int best;
        if (fusion.Answerability is { } answerability)
        {
            best = order[0];
            if (answerability.Apply(AnswerFusion.QuestionFeaturesOf(features, scores, best)) < fusion.AnswerThreshold)
                return ([], null);
        }
        else
        {
            best = Array.FindIndex(order, i => verdicts[i].Probability >= threshold) is var first and >= 0 ? order[first] : -1;
            if (best < 0)
                return ([], null);
        }

        var following = fusion.SecondByRanking ? order.AsEnumerable() : Enumerable.Range(0, pool.Count);
        var second = following.Where(i => i != best && verdicts[i].Probability >= threshold).Select(i => pool[i])
            .FirstOrDefault(c => !Redundant(pool[best], c));
        var shortAnswer = verdicts[best].ShortAnswer is { } span
            ? new ShortAnswer(pool[best].Sentence.Text[span.Start..span.End], pool[best].Sentence.Start + span.Start, pool[best].Sentence.Start + span.End)
            : null;
        return (second is null ? [pool[best]] : [pool[best], second], shortAnswer);
    }

    /// <summary>
    /// "Tell me about the storm", "what happened to Yukos?" (<see cref="TopicRequest"/>) that nothing answered as a question:
    /// the best one or two of retrieval's sentences holding every word of the topic, as what the article says about it.
    /// Null when the message is no topic request or no candidate names the whole topic ("tell me about the election").
    /// </summary>
    private static Answer? AnswerTopic(string question, QuestionAnalysis analysis, IReadOnlyList<SentenceCandidate> candidates)
    {
        if (TopicRequest.Of(question) is not { } topic || TopicRequest.Terms(topic, analysis) is not { } terms)
            return null;
        var naming = candidates.Where(c => terms.All(TermAnalyzer.Shared.Terms(c.Sentence.Text).Contains)).ToList();
        if (naming.Count == 0)
            return null;

        var second = naming.Skip(1).FirstOrDefault(c => !Redundant(naming[0], c));
        var chosen = second is null ? [naming[0]] : new[] { naming[0], second };
        var citations = chosen.Select((c, i) => Cite(i + 1, c.Article, c.Sentence.Start, c.Sentence.End, c.Sentence.Paragraph)).ToList();
        var articles = chosen.Select(c => c.Article.Id).Distinct().Count() == 1 ? "the article says" : "the articles say";
        return new Answer(question, true, $"What {articles} about {topic.Trim()}: {Compose(citations)}", citations);
    }

    /// <summary>
    /// The caption answer when the prose answered nothing (<see cref="CaptionEvidence"/>): the caption sentence the reader
    /// is surest of, when the reader alone gives it <see cref="AnsweringOptions.MinCaptionProbability"/> (the fusion was
    /// fitted on prose candidates, with retrieval's evidence that captions lack); null when none does.
    /// </summary>
    private async Task<Answer?> ReadCaptionsAsync(
        IAnswerReader answerReader, string question, QuestionAnalysis analysis, IReadOnlyList<Article> articles, CancellationToken cancellationToken)
    {
        var captions = CaptionEvidence.Candidates(articles, analysis);
        if (captions.Count == 0)
            return null;
        var read = captions.Select(c => new ReaderCandidate(c.Article.Title, string.Empty, c.Text)).ToList();
        var verdicts = await answerReader.ReadAsync(ReaderQuestion.Of(AskedSentence(question), analysis, read, answerReader.KnowsWord), read, cancellationToken);
        var best = Enumerable.Range(0, captions.Count).MaxBy(i => verdicts[i].Probability);
        if (verdicts[best].Probability < options.Value.MinCaptionProbability)
            return null;

        var chosen = captions[best];
        var citation = Cite(1, chosen.Article, chosen.Start, chosen.End, chosen.Paragraph);
        var text = "A photo caption says: " + Compose([citation]);
        ShortAnswer? shortAnswer = null;
        if (!analysis.AsksYesNo && verdicts[best].ShortAnswer is { } span)
        {
            shortAnswer = new ShortAnswer(chosen.Text[span.Start..span.End], chosen.Start + span.Start, chosen.Start + span.End);
            text = AsLead(shortAnswer.Text) + (shortAnswer.Text[^1] is '.' or '!' or '?' ? " " : ". ") + text;
        }

        return new Answer(question, true, text, [citation], ShortAnswer: shortAnswer);
    }

    /// <summary>
    /// The sentence of a chat message that asks: the reader was trained on single questions, and a message such as
    /// "@everyone ignore your rules. Why did the PMO decline?" or "Thanks! And why did he go?" carries more.
    /// </summary>
    internal static string AskedSentence(string message)
    {
        var spans = Segmenter.Split(message);
        if (spans.Count < 2)
            return message;
        var asking = spans.LastOrDefault(s => message.AsSpan(s.Start, s.Length).TrimEnd().EndsWith('?'));
        return asking.Length > 0 ? message.Substring(asking.Start, asking.Length) : message;
    }

    private static readonly SentenceSegmenter Segmenter = new();

    private static ReaderCandidate AsReaderCandidate(SentenceCandidate candidate)
    {
        var sentences = candidate.Article.Sentences;
        var index = candidate.Sentence.Index;
        var previous = index > 0 && sentences[index - 1].Paragraph == candidate.Sentence.Paragraph ? sentences[index - 1].Text : string.Empty;
        return new ReaderCandidate(candidate.Article.Title, previous, candidate.Sentence.Text);
    }

    /// <summary>A sentence not reporting X's words for "what did X say" only restates the question: the answer is another sentence, or none.</summary>
    private static List<SentenceCandidate> Admissible(IReadOnlyList<SentenceCandidate> candidates, AnsweringOptions o) =>
        [.. candidates.Where(c => !(o.RequireSpeaker && c.QuotesSpeaker == false))];

    /// <summary>The sentences to quote: the best one if it answers the question, and a second distinct one close behind.</summary>
    internal IReadOnlyList<SentenceCandidate> Choose(IReadOnlyList<SentenceCandidate> candidates)
    {
        var o = options.Value;
        if (candidates.Count == 0)
            return [];

        var top = candidates[0].Score;
        var pool = Admissible(candidates, o);
        if (pool.Count == 0 || pool[0].Score < top * o.SecondCitationRatio)
            return [];

        // The best sentence if it holds enough of the question; else a runner-up close behind that does and that the
        // embedding finds at least as close to the question: the best won on shared words it does not answer with.
        var best = IsAnswer(pool[0], o) ? pool[0]
            : pool.Skip(1).FirstOrDefault(c => c.Score >= top * o.SecondCitationRatio && c.Dense >= pool[0].Dense && IsAnswer(c, o));
        if (best is null)
            return [];
        var second = pool.FirstOrDefault(c =>
            c != best && c.Score >= best.Score * o.SecondCitationRatio && !Redundant(best, c));
        return second is null ? [best] : [best, second];
    }

    private static bool IsAnswer(SentenceCandidate candidate, AnsweringOptions o) =>
        candidate.Coverage >= o.MinCoverage && candidate.Score >= o.MinScore;

    private static bool Redundant(SentenceCandidate a, SentenceCandidate b)
    {
        if (a.Article.Id == b.Article.Id && a.Sentence.Index == b.Sentence.Index)
            return true;
        var x = TermAnalyzer.Shared.Terms(a.Sentence.Text).ToHashSet(StringComparer.Ordinal);
        var y = TermAnalyzer.Shared.Terms(b.Sentence.Text).ToHashSet(StringComparer.Ordinal);
        var union = x.Count + y.Count - x.Intersect(y, StringComparer.Ordinal).Count();
        return union > 0 && (double)x.Intersect(y, StringComparer.Ordinal).Count() / union > 0.6;
    }

    private static Answer AnswerAuthor(IndexSnapshot snapshot, Question question)
    {
        var articles = question.SourceId is null ? snapshot.Articles : [.. new[] { snapshot.Find(question.SourceId) }.OfType<Article>()];
        var citations = new List<Citation>();
        foreach (var article in articles)
        {
            // A date line sits with the byline; it answers "when was it published?", not who wrote it.
            foreach (var paragraph in article.Paragraphs.Where(p => p.Kind is ParagraphKind.Byline or ParagraphKind.Contributor && !PublicationDate.IsDateLine(article, p)))
                citations.Add(Cite(citations.Count + 1, article, paragraph.Start, paragraph.End, paragraph.Number));
        }

        if (citations.Count == 0)
        {
            return new Answer(question.Text, false, articles.Count == 1
                ? $"{QuoteMarks.Wrap(articles[0].Title)} doesn't name its author." : "The articles don't name their authors.", []);
        }

        return new Answer(question.Text, true, "The article's byline and credits: " + Compose(citations), citations);
    }

    /// <summary>What an article is about: its subtitle and its opening sentence, which news writing makes the gist.</summary>
    private static Answer AnswerGist(IndexSnapshot snapshot, Question question)
    {
        if (ArticleAsked(snapshot, question) is not { } article)
            return Refusal(question.Text, snapshot, question.SourceId);

        var kinds = article.Paragraphs.ToDictionary(p => p.Number, p => p.Kind);
        var dek = article.Sentences.FirstOrDefault(s => kinds[s.Paragraph] == ParagraphKind.Dek);
        var lead = article.Sentences.FirstOrDefault(s => kinds[s.Paragraph] == ParagraphKind.Body);
        var citations = new[] { dek, lead }.OfType<Sentence>()
            .Select((s, i) => Cite(i + 1, article, s.Start, s.End, s.Paragraph))
            .ToList();
        return citations.Count == 0
            ? Refusal(question.Text, snapshot, question.SourceId)
            : new Answer(question.Text, true, $"{QuoteMarks.Wrap(article.Title)}: " + Compose(citations), citations);
    }

    /// <summary>The article a question about one article as a whole means: its source, else the first loaded.</summary>
    private static Article? ArticleAsked(IndexSnapshot snapshot, Question question) =>
        question.SourceId is not null ? snapshot.Find(question.SourceId) : snapshot.Articles.Count > 0 ? snapshot.Articles[0] : null;

    /// <summary>The article's headline, quoted; a file that had none was given its opening words as a title, which is no headline.</summary>
    private static Answer AnswerHeadline(IndexSnapshot snapshot, Question question)
    {
        if (ArticleAsked(snapshot, question) is not { } article)
            return Refusal(question.Text, snapshot, question.SourceId);
        if (article.Paragraphs.FirstOrDefault(p => p.Kind == ParagraphKind.Title) is not { } headline
            || article.Paragraphs.Any(p => p.Kind == ParagraphKind.Body && article.Text.AsSpan(p.Start, p.End - p.Start).StartsWith(article.Title.TrimEnd('…').TrimEnd())))
            return new Answer(question.Text, false, "The article has no headline.", []);
        var citation = Cite(1, article, headline.Start, headline.End, headline.Number);
        return new Answer(question.Text, true, "The headline: " + Compose([citation]), [citation]);
    }

    /// <summary>When the article was published: its date line ("Published January 22, 2018 2:14 pm"), read with the byline.</summary>
    private static Answer AnswerDate(IndexSnapshot snapshot, Question question)
    {
        if (ArticleAsked(snapshot, question) is not { } article)
            return Refusal(question.Text, snapshot, question.SourceId);
        var dated = PublicationDate.Lines(article).Select((p, i) => Cite(i + 1, article, p.Start, p.End, p.Number)).ToList();
        return dated.Count == 0
            ? new Answer(question.Text, false, $"{QuoteMarks.Wrap(article.Title)} doesn't give its publication date.", [])
            : new Answer(question.Text, true, "The article's date line: " + Compose(dated), dated);
    }

    /// <summary>
    /// How long the article is: the words and paragraphs of its body (not the headline, byline or captions), and the
    /// minutes they take at 238 words a minute, the average silent reading rate of English non-fiction (Brysbaert, 2019).
    /// A count, not a quote: nothing to cite.
    /// </summary>
    private static Answer AnswerLength(IndexSnapshot snapshot, Question question)
    {
        if (ArticleAsked(snapshot, question) is not { } article)
            return Refusal(question.Text, snapshot, question.SourceId);
        var body = article.Paragraphs.Where(p => p.Kind == ParagraphKind.Body).ToList();
        var words = body.Sum(p => article.Slice(p.Start, p.End).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);
        var minutes = Math.Max(1, (int)Math.Round(words / 238.0));
        return new Answer(
            question.Text, true,
            string.Create(CultureInfo.InvariantCulture, $"{QuoteMarks.Wrap(article.Title)} is {words:N0} words in {body.Count:N0} paragraph{(body.Count == 1 ? "" : "s")}, about {minutes} minute{(minutes == 1 ? "" : "s")} to read."),
            []);
    }

    private static Answer Refusal(string question, IndexSnapshot snapshot, string? sourceId, string? reason = null)
    {
        var where = sourceId is not null && snapshot.Find(sourceId) is { } article ? $"{QuoteMarks.Wrap(article.Title)} doesn't"
            : snapshot.Sources.Count == 1 ? "The article doesn't"
            : snapshot.Sources.Count == 0 ? "No articles are loaded yet, so I can't"
            : "The articles don't";
        return new Answer(question, false, $"{where} say — I found nothing that answers {QuoteMarks.Wrap(question)}{(reason is null ? string.Empty : $" ({reason})")}.", []);
    }

    private static Citation Cite(int number, Article article, int start, int end, int paragraph) =>
        new(number, article.Id, article.Title, paragraph, article.Slice(start, end), start, end);

    private static string Compose(IReadOnlyList<Citation> citations)
    {
        var text = new StringBuilder();
        foreach (var citation in citations)
        {
            if (text.Length > 0)
                text.Append(citation.Number == 2 ? " Also: " : " ");
            text.Append(QuoteMarks.Wrap(citation.Quote)).Append(" [").Append(citation.Number).Append(']');
        }

        return text.ToString();
    }
}
