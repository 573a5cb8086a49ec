using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using System.Threading.Channels;
using NewsBot.Retrieval;
using NewsBot.Sources;

namespace NewsBot.Host.Benchmarks;

/// <summary>
/// A deterministic archive of news-like articles for <c>bench --scale</c>: words drawn with Zipf frequencies from
/// the embedding model's own English vocabulary, sentences of news length (about 21 words, 5–60) with names and
/// numbers, paragraphs of one to three sentences, chunks of four sentences overlapping by one. Vectors are
/// random projections tied to words (a sentence's vector is the rarity-weighted sum of its words' vectors plus its
/// article's topic), so dense search behaves like a real one without hours of embedding.
/// </summary>
public sealed class SyntheticArchive
{
    public const string ModelId = "synthetic-word-projection";
    private const int SentencesPerChunk = 4;

    private readonly string[] _words;
    private readonly double[] _cumulative;
    private readonly float[] _wordVectors;
    private readonly float[] _wordWeights;
    private readonly Dictionary<string, int> _wordIds;
    private readonly int _seed;

    public SyntheticArchive(IEnumerable<string> vocabulary, int sentences, int dimensions = 384, int seed = 17)
    {
        Sentences = sentences;
        Dimensions = dimensions;
        _seed = seed;
        _words = [.. vocabulary.Where(w => w.Length >= 2 && w.All(char.IsAsciiLetterLower)).Distinct(StringComparer.Ordinal)];
        if (_words.Length < 1000)
            throw new InvalidOperationException("The synthetic archive needs a vocabulary of at least 1000 words.");
        _wordIds = new Dictionary<string, int>(StringComparer.Ordinal);
        _cumulative = new double[_words.Length];
        _wordWeights = new float[_words.Length];
        _wordVectors = new float[_words.Length * dimensions];
        var random = new Random(seed);
        double total = 0;
        for (var rank = 0; rank < _words.Length; rank++)
        {
            _wordIds[_words[rank]] = rank;
            total += 1.0 / (rank + 10);
            _cumulative[rank] = total;
            // Rare words carry a sentence's meaning, as IDF weighting would have it.
            _wordWeights[rank] = MathF.Log(rank + 2);
            for (var d = 0; d < dimensions; d++)
                _wordVectors[(rank * dimensions) + d] = (random.NextSingle() * 2) - 1;
        }

        for (var rank = 0; rank < _words.Length; rank++)
            _cumulative[rank] /= total;
    }

    public int Sentences { get; }

    public int Dimensions { get; }

    /// <summary>
    /// The questions made from an article's sentences when <paramref name="count"/> are spread over the whole archive
    /// ("What about" and the sentence's first eight words), each with the article and offset of its sentence.
    /// </summary>
    /// <param name="firstSentence">The article's first sentence's position in the archive.</param>
    public IEnumerable<SyntheticQuestion> QuestionsIn(IndexedArticle article, int firstSentence, int count)
    {
        var step = Math.Max(1, Sentences / count);
        foreach (var sentence in article.Article.Sentences)
        {
            var position = firstSentence + sentence.Index;
            if (position % step != step / 2 || position / step >= count)
                continue;
            var words = sentence.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var text = "What about " + string.Join(' ', words.Take(8)).TrimEnd('.', ',') + "?";
            yield return new SyntheticQuestion(text, article.Article.Id, sentence.Start, Embed(text));
        }
    }

    /// <summary>The articles in id order, generated on another thread while the caller consumes them.</summary>
    public IEnumerable<IndexedArticle> Articles(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<IndexedArticle>(new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var article in Generate(cancellationToken))
                        await channel.Writer.WriteAsync(article.Article, cancellationToken);
                    channel.Writer.Complete();
                }
                catch (Exception e)
                {
                    channel.Writer.Complete(e);
                }
            },
            cancellationToken);
        while (channel.Reader.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
        {
            while (channel.Reader.TryRead(out var article))
                yield return article;
        }

        producer.GetAwaiter().GetResult();
    }

    /// <summary>The synthetic embedding of any text: the rarity-weighted sum of its known words' vectors, unit length.</summary>
    public float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        foreach (var word in text.ToLowerInvariant().Split([' ', ',', '.', '?', '!', ';', ':', '"'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (_wordIds.TryGetValue(word, out var id))
                AddWord(vector, id);
        }

        Normalize(vector);
        return vector;
    }

    private IEnumerable<(IndexedArticle Article, int FirstSentence)> Generate(CancellationToken cancellationToken)
    {
        var random = new Random(_seed + 1);
        var produced = 0;
        for (var number = 0; produced < Sentences; number++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(Sentences - produced, 10 + random.Next(41));
            yield return (Article(number, count, random), produced);
            produced += count;
        }
    }

    private IndexedArticle Article(int number, int sentenceCount, Random random)
    {
        var topic = new float[Dimensions];
        for (var d = 0; d < Dimensions; d++)
            topic[d] = (random.NextSingle() * 2) - 1;
        Normalize(topic);

        var text = new StringBuilder();
        var title = SentenceText(random, 6 + random.Next(6), out _).TrimEnd('.');
        text.Append(title);
        var paragraphs = new List<Paragraph> { new(1, ParagraphKind.Title, 0, title.Length) };
        var sentences = new List<Sentence>(sentenceCount);
        var sentenceVectors = new float[sentenceCount * Dimensions];
        while (sentences.Count < sentenceCount)
        {
            text.Append("\n\n");
            var paragraphStart = text.Length;
            var inParagraph = Math.Min(sentenceCount - sentences.Count, 1 + random.Next(3));
            for (var k = 0; k < inParagraph; k++)
            {
                if (k > 0)
                    text.Append(' ');
                var sentenceText = SentenceText(random, WordCount(random), out var wordIds);
                var vector = sentenceVectors.AsSpan(sentences.Count * Dimensions, Dimensions);
                foreach (var wordId in wordIds)
                    AddWord(vector, wordId);
                Normalize(vector);
                TensorPrimitives.MultiplyAdd(topic, 0.5f, vector, vector);
                Normalize(vector);
                sentences.Add(new Sentence(sentences.Count, paragraphs.Count + 1, text.Length, text.Length + sentenceText.Length, sentenceText));
                text.Append(sentenceText);
            }

            paragraphs.Add(new Paragraph(paragraphs.Count + 1, ParagraphKind.Body, paragraphStart, text.Length));
        }

        var chunks = new List<Chunk>();
        var chunkVectors = new List<float>();
        for (var first = 0; first < sentenceCount; first += SentencesPerChunk - 1)
        {
            var last = Math.Min(sentenceCount - 1, first + SentencesPerChunk - 1);
            var vector = new float[Dimensions];
            for (var s = first; s <= last; s++)
                TensorPrimitives.Add(vector, sentenceVectors.AsSpan(s * Dimensions, Dimensions), vector);
            Normalize(vector);
            chunkVectors.AddRange(vector);
            chunks.Add(new Chunk(chunks.Count, first, last, sentences[first].Start, sentences[last].End, (last - first + 1) * 28));
            if (last == sentenceCount - 1)
                break;
        }

        var id = string.Create(CultureInfo.InvariantCulture, $"a{number:D8}");
        var article = new Article(id, $"synthetic/{id}.txt", string.Create(CultureInfo.InvariantCulture, $"synthetic-{_seed}-{number}"),
            title, null, null, [], text.ToString(), paragraphs, sentences);
        return new IndexedArticle(article, chunks, sentenceVectors, [.. chunkVectors]);
    }

    /// <summary>News sentence lengths: about 21 words, rarely under 8 or over 40.</summary>
    private static int WordCount(Random random)
    {
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Math.Clamp((int)Math.Round(21 + (8 * normal)), 5, 60);
    }

    private string SentenceText(Random random, int words, out List<int> wordIds)
    {
        wordIds = new List<int>(words);
        var text = new StringBuilder();
        for (var w = 0; w < words; w++)
        {
            if (w > 0)
                text.Append(w % 9 == 8 && random.Next(3) == 0 ? ", " : " ");
            var roll = random.Next(100);
            if (roll < 3)
            {
                text.Append(random.Next(2) == 0 ? (1950 + random.Next(77)).ToString(CultureInfo.InvariantCulture) : (2 + random.Next(500)).ToString(CultureInfo.InvariantCulture));
                continue;
            }

            var id = Word(random);
            wordIds.Add(id);
            var word = _words[id];
            // The first word, and about one in twelve after it, is capitalised: sentence starts and names.
            text.Append(w == 0 || roll < 11 ? char.ToUpperInvariant(word[0]) + word[1..] : word);
        }

        return text.Append('.').ToString();
    }

    private int Word(Random random)
    {
        var at = Array.BinarySearch(_cumulative, random.NextDouble());
        return Math.Min(_words.Length - 1, at < 0 ? ~at : at);
    }

    private void AddWord(Span<float> vector, int id) =>
        TensorPrimitives.MultiplyAdd(_wordVectors.AsSpan(id * Dimensions, Dimensions), _wordWeights[id], vector, vector);

    private static void Normalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
            TensorPrimitives.Divide(vector, norm, vector);
    }
}

/// <summary>A question of the synthetic archive, where the sentence it was made from lies, and its synthetic embedding.</summary>
public sealed record SyntheticQuestion(string Text, string SourceId, int Start, float[] Vector);
