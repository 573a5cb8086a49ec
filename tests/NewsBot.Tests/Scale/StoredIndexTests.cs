using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Retrieval.Ann;
using NewsBot.Sources;
using NewsBot.Tests.Support;

namespace NewsBot.Tests.Scale;

/// <summary>
/// Loading streams a store's version article by article; past the threshold it maps the approximate index saved for
/// exactly that content and reads no sentence vector. Run once per store.
/// </summary>
public abstract class StoredIndexTests : IAsyncLifetime
{
    protected const int Dimensions = 16;

    private static readonly string[] Words =
    [
        "council", "budget", "harbour", "festival", "volunteers", "mayor", "rain", "region", "weekend", "school",
        "teachers", "strike", "bridge", "repairs", "river", "flood", "police", "report", "hospital", "nurses",
        "election", "candidate", "museum", "exhibition", "train", "station", "delay", "farmers", "market", "prices",
    ];

    private readonly string _annFolder = Directory.CreateTempSubdirectory("newsbot-stored-ann-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        Directory.Delete(_annFolder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A fresh, empty store.</summary>
    protected abstract Task<IIndexStore> CreateStoreAsync();

    [Fact]
    public async Task A_version_streams_back_exactly_as_it_was_stored_in_id_order()
    {
        var store = await CreateStoreAsync();
        // Ids past U+FFFF sort differently as UTF-16 and as code points: the stream and the snapshot agree on the latter.
        var archive = Archive(["b-story", "a-story", "x\uFB00", "x\U0001D538", "c-story"], sentencesEach: 4, seed: 1);
        await store.ApplyAsync(new IndexChangeSet("m", Dimensions, archive, [], ReplaceAll: false));
        var changed = Archive(["b-story"], sentencesEach: 5, seed: 2);
        await store.ApplyAsync(new IndexChangeSet("m", Dimensions, changed, ["c-story"], ReplaceAll: false));
        var expected = archive.Where(a => a.Article.Id is not ("b-story" or "c-story")).Concat(changed)
            .OrderBy(a => a.Article.Id, SourceIdOrder.Instance).ToList();

        await using var reader = await store.OpenReadAsync();
        var read = new List<IndexedArticle>();
        await foreach (var source in reader.ReadAsync(StoredVectors.All))
            read.Add(source);

        Assert.Equal("m", reader.EmbeddingModelId);
        Assert.Equal(Dimensions, reader.Dimensions);
        Assert.Equal(["a-story", "b-story", "x\uFB00", "x\U0001D538"], reader.Contents.Select(c => c.Id));
        Assert.Equal(expected.Select(e => new StoredSource(e.Article.Id, e.Article.ContentHash, e.Article.Sentences.Count, e.Chunks.Count)), reader.Contents);
        Assert.Equal(expected.Count, read.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (want, got) = (expected[i], read[i]);
            Assert.Equal(
                (want.Article.Id, want.Article.Path, want.Article.ContentHash, want.Article.Title, want.Article.Dek, want.Article.Byline, want.Article.Text),
                (got.Article.Id, got.Article.Path, got.Article.ContentHash, got.Article.Title, got.Article.Dek, got.Article.Byline, got.Article.Text));
            Assert.Equal(want.Article.Contributors, got.Article.Contributors);
            Assert.Equal(want.Article.Paragraphs, got.Article.Paragraphs);
            Assert.Equal(want.Article.Sentences, got.Article.Sentences);
            Assert.Equal(want.Chunks, got.Chunks);
            Assert.Equal(want.SentenceVectors, got.SentenceVectors);
            Assert.Equal(want.ChunkVectors, got.ChunkVectors);
            Assert.Equal(want.Terms, got.Terms);
        }
    }

    [Fact]
    public async Task Vectors_left_out_are_not_read_and_a_reader_keeps_its_version_while_another_is_published()
    {
        var store = await CreateStoreAsync();
        await store.ApplyAsync(new IndexChangeSet("m", Dimensions, Archive(["a", "b"], 3, seed: 3), [], ReplaceAll: false));

        await using var reader = await store.OpenReadAsync();
        await store.ApplyAsync(new IndexChangeSet("m", Dimensions, Archive(["c"], 3, seed: 4), ["a"], ReplaceAll: false));
        var read = new List<IndexedArticle>();
        await foreach (var source in reader.ReadAsync(StoredVectors.Chunks))
            read.Add(source);

        Assert.Equal(["a", "b"], read.Select(r => r.Article.Id));
        Assert.All(read, r => Assert.Empty(r.SentenceVectors));
        Assert.All(read, r => Assert.Equal(r.Chunks.Count * Dimensions, r.ChunkVectors.Length));
        await using var next = await store.OpenReadAsync();
        Assert.Equal(["b", "c"], next.Contents.Select(c => c.Id));
        Assert.True(next.Version > reader.Version);
    }

    [Theory]
    [InlineData(1_000_000)]
    [InlineData(10)]
    public async Task A_snapshot_loaded_from_the_store_ranks_as_one_built_in_memory(int threshold)
    {
        var store = await CreateStoreAsync();
        var archive = Archive([.. Enumerable.Range(0, 12).Select(i => $"n{i:D2}")], 6, seed: 5);
        // Half the articles carry no stored terms (as stored before terms were): they are analysed at load.
        archive = [.. archive.Select((a, i) => i % 2 == 0 ? a : a with { Terms = null })];
        await store.ApplyAsync(new IndexChangeSet("m", Dimensions, archive, [], ReplaceAll: false));
        var factory = Factory(threshold);

        var inMemory = factory.Build("m", Dimensions, archive);
        IndexSnapshot loaded;
        await using (var reader = await store.OpenReadAsync())
            loaded = await factory.LoadAsync(reader);

        Assert.Equal(threshold < 72, loaded.Approximate is not null);
        Assert.Equal(inMemory.Fingerprint, loaded.Fingerprint);
        Assert.Equal(inMemory.Describe(), loaded.Describe());
        foreach (var (question, vector) in Questions(archive))
            Assert.Equal(await RankAsync(inMemory, question, vector), await RankAsync(loaded, question, vector));
    }

    [Fact]
    public async Task Past_the_threshold_a_restart_maps_the_saved_index_and_reads_no_sentence_vector()
    {
        var store = new RecordingStore(await CreateStoreAsync());
        var archive = Archive([.. Enumerable.Range(0, 10).Select(i => $"n{i:D2}")], 5, seed: 6);
        await store.ApplyAsync(new IndexChangeSet("m", Dimensions, archive, [], ReplaceAll: false));

        var first = await LoadAsync(store, Factory(10));
        var saved = Assert.Single(Directory.GetFiles(_annFolder, "*.usearch"));
        var written = File.GetLastWriteTimeUtc(saved);
        var second = await LoadAsync(store, Factory(10));

        Assert.Equal([StoredVectors.All, StoredVectors.Chunks], store.Requested);
        Assert.Equal(written, File.GetLastWriteTimeUtc(saved));
        Assert.Equal(first.Fingerprint, second.Fingerprint);
        foreach (var (question, vector) in Questions(archive))
            Assert.Equal(await RankAsync(first, question, vector), await RankAsync(second, question, vector));
    }

    [Fact]
    public async Task A_new_version_updates_the_previous_index_to_rank_as_one_built_whole_and_the_stale_file_is_removed()
    {
        var store = await CreateStoreAsync();
        var original = Archive([.. Enumerable.Range(0, 10).Select(i => $"n{i:D2}")], 5, seed: 7);
        await store.ApplyAsync(new IndexChangeSet("m", Dimensions, original, [], ReplaceAll: false));
        var before = await LoadAsync(store, Factory(10));
        var stale = Assert.Single(Directory.GetFiles(_annFolder, "*.usearch"));

        // A changed article, and a new one whose id sorts before five kept ones: their sentences all move.
        var changes = Archive(["n03", "n035"], 5, seed: 8);
        await store.ApplyAsync(new IndexChangeSet("m", Dimensions, changes, [], ReplaceAll: false));
        var logs = new List<string>();
        var after = await LoadAsync(store, Factory(10, logs));
        var builtWhole = await LoadAsync(store, Factory(10, folder: Path.Combine(_annFolder, "whole")));

        Assert.Contains("(10 added, 5 removed, ", Assert.Single(logs), StringComparison.Ordinal);
        Assert.NotEqual(before.Fingerprint, after.Fingerprint);
        var current = Assert.Single(Directory.GetFiles(_annFolder, "*.usearch"));
        Assert.NotEqual(stale, current);
        Assert.Contains(after.Fingerprint[..24], current, StringComparison.Ordinal);
        foreach (var (question, vector) in Questions([.. changes, .. original.Skip(4)]))
            Assert.Equal(await RankAsync(builtWhole, question, vector), await RankAsync(after, question, vector));
    }

    [Fact]
    public async Task A_read_that_fails_midway_fails_the_load_with_its_own_error()
    {
        var store = await CreateStoreAsync();
        await store.ApplyAsync(new IndexChangeSet("m", Dimensions, Archive([.. Enumerable.Range(0, 6).Select(i => $"n{i:D2}")], 3, seed: 11), [], ReplaceAll: false));
        await using var reader = new FailingReader(await store.OpenReadAsync(), after: 2);

        await Assert.ThrowsAsync<IndexStoreDamagedException>(() => Factory(1_000_000).LoadAsync(reader));
    }

    private IndexSnapshotFactory Factory(int threshold, List<string>? logs = null, string? folder = null) => new(
        Options.Create(new RetrievalOptions { AnnThreshold = threshold }),
        new UsearchDenseIndexFactory(
            Options.Create(new AnnOptions { Directory = folder ?? _annFolder }),
            logs is null ? NullLogger<UsearchDenseIndexFactory>.Instance : new ListLogger<UsearchDenseIndexFactory>(logs)));

    private static async Task<IndexSnapshot> LoadAsync(IIndexStore store, IndexSnapshotFactory factory)
    {
        await using var reader = await store.OpenReadAsync();
        return await factory.LoadAsync(reader);
    }

    /// <summary>The top candidates' article, sentence and score, rounded past what quantization may change.</summary>
    private static async Task<List<(string, int, double)>> RankAsync(IndexSnapshot index, string question, float[] vector)
    {
        var retriever = new SentenceRetriever(new FixedEmbedding(vector), Options.Create(new RetrievalOptions()));
        var ranked = await retriever.RetrieveAsync(index, QuestionAnalysis.Of(question), null, CancellationToken.None);
        return [.. ranked.Take(5).Select(c => (c.Article.Id, c.Sentence.Index, Math.Round(c.Score, 4)))];
    }

    private static IEnumerable<(string Question, float[] Vector)> Questions(List<IndexedArticle> archive)
    {
        for (var q = 0; q < 6; q++)
        {
            var source = archive[(q * 5) % archive.Count];
            var sentence = source.Article.Sentences[q % source.Article.Sentences.Count];
            yield return ("What about " + string.Join(' ', sentence.Text.Split(' ').Take(4)) + "?",
                source.SentenceVectors.AsSpan(sentence.Index * Dimensions, Dimensions).ToArray());
        }
    }

    /// <summary>
    /// Articles of made-up local news: a headline, then a paragraph per sentence of eight words; chunks of two
    /// sentences overlapping by one; each vector the normalised sum of its words' vectors; terms analysed.
    /// </summary>
    protected static List<IndexedArticle> Archive(IReadOnlyList<string> ids, int sentencesEach, int seed)
    {
        var random = new Random(seed);
        var sources = new List<IndexedArticle>();
        foreach (var id in ids)
        {
            var title = $"Local news from {Words[random.Next(Words.Length)]} {id}";
            var text = new StringBuilder(title);
            var paragraphs = new List<Paragraph> { new(1, ParagraphKind.Title, 0, title.Length) };
            var sentences = new List<Sentence>();
            var sentenceVectors = new float[sentencesEach * Dimensions];
            for (var s = 0; s < sentencesEach; s++)
            {
                var words = Enumerable.Range(0, 8).Select(_ => Words[random.Next(Words.Length)]).ToArray();
                var sentence = char.ToUpperInvariant(words[0][0]) + string.Join(' ', words)[1..] + ".";
                text.Append("\n\n");
                var start = text.Length;
                text.Append(sentence);
                paragraphs.Add(new Paragraph(paragraphs.Count + 1, ParagraphKind.Body, start, text.Length));
                sentences.Add(new Sentence(s, paragraphs.Count, start, text.Length, sentence));
                var vector = sentenceVectors.AsSpan(s * Dimensions, Dimensions);
                foreach (var word in words)
                    TensorPrimitives.Add(vector, WordVector(word), vector);
                TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
            }

            var chunks = new List<Chunk>();
            var chunkVectors = new List<float>();
            for (var first = 0; first < sentencesEach - 1 || chunks.Count == 0; first++)
            {
                var last = Math.Min(first + 1, sentencesEach - 1);
                chunks.Add(new Chunk(chunks.Count, first, last, sentences[first].Start, sentences[last].End, 20));
                var vector = new float[Dimensions];
                for (var s = first; s <= last; s++)
                    TensorPrimitives.Add(vector, sentenceVectors.AsSpan(s * Dimensions, Dimensions), vector);
                TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
                chunkVectors.AddRange(vector);
            }

            var body = text.ToString();
            var article = new Article(id, $"/seeds/{id}.txt", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))),
                title, null, null, [], body, paragraphs, sentences);
            sources.Add(new IndexedArticle(article, chunks, sentenceVectors, [.. chunkVectors]) { Terms = ArticleTerms.Of(article) });
        }

        return sources;
    }

    private static float[] WordVector(string word)
    {
        var random = new Random(Array.IndexOf(Words, word) + 1);
        return [.. Enumerable.Range(0, Dimensions).Select(_ => (random.NextSingle() * 2) - 1)];
    }

    /// <summary>Embeds every question as the one vector a test chose.</summary>
    private sealed class FixedEmbedding(float[] vector) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(vector))));

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>A real store that notes which vectors each load asked for.</summary>
    private sealed class RecordingStore(IIndexStore inner) : IIndexStore
    {
        public List<StoredVectors> Requested { get; } = [];

        public async Task<IStoredIndexReader> OpenReadAsync(CancellationToken cancellationToken = default) =>
            new RecordingReader(await inner.OpenReadAsync(cancellationToken), Requested);

        public Task<long> ApplyAsync(IndexChangeSet changes, CancellationToken cancellationToken = default) => inner.ApplyAsync(changes, cancellationToken);

        public Task<StoredVersion> CurrentVersionAsync(CancellationToken cancellationToken = default) => inner.CurrentVersionAsync(cancellationToken);

        public Task<IAsyncDisposable?> AcquireIngestLockAsync(bool wait, CancellationToken cancellationToken = default) => inner.AcquireIngestLockAsync(wait, cancellationToken);

        public Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => inner.WaitForChangeAsync(timeout, cancellationToken);

        public Task<bool> RepairAsync(IndexStoreDamagedException damage, CancellationToken cancellationToken = default) => inner.RepairAsync(damage, cancellationToken);
    }

    /// <summary>A real reader whose stream breaks after some articles, as a store damaged mid-way does.</summary>
    private sealed class FailingReader(IStoredIndexReader inner, int after) : IStoredIndexReader
    {
        public string? EmbeddingModelId => inner.EmbeddingModelId;

        public int Dimensions => inner.Dimensions;

        public long Version => inner.Version;

        public string Publication => inner.Publication;

        public IReadOnlyList<StoredSource> Contents => inner.Contents;

        public async IAsyncEnumerable<IndexedArticle> ReadAsync(StoredVectors vectors, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var read = 0;
            await foreach (var source in inner.ReadAsync(vectors, cancellationToken))
            {
                if (read++ == after)
                    throw new IndexStoreDamagedException("damaged mid-way");
                yield return source;
            }
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class RecordingReader(IStoredIndexReader inner, List<StoredVectors> requested) : IStoredIndexReader
    {
        public string? EmbeddingModelId => inner.EmbeddingModelId;

        public int Dimensions => inner.Dimensions;

        public long Version => inner.Version;

        public string Publication => inner.Publication;

        public IReadOnlyList<StoredSource> Contents => inner.Contents;

        public IAsyncEnumerable<IndexedArticle> ReadAsync(StoredVectors vectors, CancellationToken cancellationToken = default)
        {
            requested.Add(vectors);
            return inner.ReadAsync(vectors, cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
