using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Retrieval;
using NewsBot.Sources;
using NewsBot.Telemetry;

namespace NewsBot.Ingestion;

/// <summary>Progress of one reload, for progress bars and log lines.</summary>
/// <param name="Stage">"read" (one file, <paramref name="Item"/>), "embed" (texts embedded so far; reported once with
/// <paramref name="Done"/> = 0 before the first batch, so a display knows that slow work is ahead) or "wait" (for another ingest).</param>
public sealed record IngestionProgress(string Stage, int Done, int Total, string? Item = null)
{
    /// <summary>For the "embed" stage: how many new or changed articles the texts come from.</summary>
    public int Articles { get; init; }
}

/// <summary>
/// Brings the served index in line with the seeds folder: unchanged files are reused as stored, changed
/// and new ones are read, chunked, analysed and embedded, deleted ones disappear, and a change of embedding model
/// re-embeds everything. The change is persisted first and the new version then loaded back from the store and
/// served, so a failure before the store publishes leaves both the stored and the served index as they were,
/// and one after it leaves the previous index served until the next reload or refresh.
/// </summary>
public sealed partial class Ingestor(
    CurrentIndex current,
    IndexSnapshotFactory snapshots,
    IIndexStore store,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    ArticleReader reader,
    Chunker chunker,
    IOptions<IngestionOptions> options,
    IndexHealth health,
    TimeProvider time,
    ILogger<Ingestor> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// What a stored article's hash carries after the file's SHA-256: the reading rules' version and the chunking settings
    /// it was read with, so that a file read under other rules or cut into other chunks is read again.
    /// </summary>
    private readonly string _readingTag = $"/r{ArticleReader.RulesVersion}c{chunker.Settings}";

    // The store version the served snapshot came from; null until the store was first read.
    private StoredVersion? _loadedVersion;

    // The store holds vectors of another model: the next reload must replace all of it, not just what it re-reads.
    private bool _storeFromOtherModel;

    // A version found damaged by a process that may not repair it, and the damage last reported: a follower keeps serving
    // what it holds and neither reads that version again nor repeats the warning until something else is published.
    private StoredVersion? _damagedVersion;
    private string? _reportedDamage;

    // The store was found rebuilt and not yet published again while this process serves articles; said once per rebuild.
    private bool _waitingForRebuild;

    // What the store holds after this process repaired it, while the index served stays the one held before the damage:
    // the reload compares the seeds folder with it, so that what the repair lost is embedded again. Null once served.
    private StoredState? _repairedStore;

    public string EmbeddingModelId =>
        embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? embeddings.GetType().FullName ?? "unknown";

    /// <summary>Serves the stored index, if any, without touching the seeds folder or the model.</summary>
    public Task LoadStoredAsync(CancellationToken cancellationToken = default) => RefreshAsync(cancellationToken);

    /// <summary>
    /// Serves the store's current version if it is not the one served already (another process published
    /// it), without touching the seeds folder; reports what changed.
    /// </summary>
    public async Task<ReloadReport> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await RefreshCoreAsync(holdsIngestLock: false, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Re-reads the seeds folder and publishes the result; concurrent calls run one after another. When
    /// another process is ingesting into the same store, this serves what it last published instead of
    /// waiting for it; a follower (<c>Ingestion:Enabled</c> = false) only ever does that.
    /// </summary>
    public Task<ReloadReport> ReloadAsync(IProgress<IngestionProgress>? progress = null, CancellationToken cancellationToken = default) =>
        ReloadAsync(progress, waitForOtherIngest: false, cancellationToken);

    /// <param name="waitForOtherIngest">When another process holds the ingest lock, wait for it (reported as stage "wait") and ingest after it.</param>
    public async Task<ReloadReport> ReloadAsync(IProgress<IngestionProgress>? progress, bool waitForOtherIngest, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!options.Value.Enabled)
                return await RefreshCoreAsync(holdsIngestLock: false, cancellationToken);
            return await IngestAsync(progress, waitForOtherIngest, cancellationToken);
        }
        catch (Exception e) when (e is IndexRefreshException or IOException or UnauthorizedAccessException or InvalidOperationException or IndexStoreUnavailableException)
        {
            // The failures the worker and the verbs report with their message: the health endpoint shows the same line.
            if (e is IndexStoreUnavailableException or IndexStoreDamagedException)
                health.StoreFailed(e);
            if (options.Value.Enabled)
                health.IngestFailed(e.Message);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ReloadReport> IngestAsync(IProgress<IngestionProgress>? progress, bool waitForOtherIngest, CancellationToken cancellationToken)
    {
        SeedsFolder(); // before the lock: a missing folder must not leave a data folder behind
        var ingestLock = await store.AcquireIngestLockAsync(wait: false, cancellationToken);
        if (ingestLock is null)
        {
            LogIngestElsewhere(logger);
            if (!waitForOtherIngest)
                return await RefreshCoreAsync(holdsIngestLock: false, cancellationToken);
            progress?.Report(new IngestionProgress("wait", 0, 0));
            ingestLock = await store.AcquireIngestLockAsync(wait: true, cancellationToken)
                ?? throw new InvalidOperationException("The index store gave no ingest lock although asked to wait for it.");
        }

        await using (ingestLock)
        {
            // Start from what the store serves now: another process may have published since this one loaded.
            await RefreshCoreAsync(holdsIngestLock: true, cancellationToken);
            return await ReloadCoreAsync(progress, cancellationToken);
        }
    }

    /// <param name="holdsIngestLock">Damage found is repaired (and what it lost embedded again by the reload that follows);
    /// without the lock it is reported, and what is served stays served.</param>
    private async Task<ReloadReport> RefreshCoreAsync(bool holdsIngestLock, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        StoredVersion? latest = null;
        var repaired = false;
        try
        {
            if (_loadedVersion is { } loaded)
            {
                try
                {
                    latest = await store.CurrentVersionAsync(cancellationToken);
                }
                catch (IndexStoreDamagedException e) when (holdsIngestLock)
                {
                    // The check reads every table and column of the index, the load only what it serves: a column lost that
                    // the load does not read would fail the reload's writes. Repaired now, before the load reads the store.
                    await RepairAsync(e, cancellationToken);
                    repaired = true;
                }

                if (latest == loaded)
                {
                    health.Confirmed();
                    return Unchanged(current.Snapshot, started);
                }

                if (!holdsIngestLock && latest == _damagedVersion)
                {
                    // Still damaged; said again in case an outage was reported in between.
                    health.CannotFollow(IndexProblemKind.Damaged, _reportedDamage!);
                    return Unchanged(current.Snapshot, started);
                }
            }

            var report = await LoadCurrentVersionAsync(holdsIngestLock, repaired, started, cancellationToken);
            (_damagedVersion, _reportedDamage) = (null, null);
            return report;
        }
        catch (IndexStoreDamagedException e) when (!holdsIngestLock && (current.Loaded || options.Value.Enabled))
        {
            // Only the ingest lock's holder repairs the store (a process with nothing served yet is about to take it).
            _damagedVersion = latest;
            health.StoreFailed(e);
            if (current.Loaded && e.Message != _reportedDamage)
                LogDamagedStillServing(logger, e.Message, current.Version);
            _reportedDamage = e.Message;
            return Unchanged(current.Snapshot, started);
        }
    }

    /// <param name="repaired">The store was repaired already, before the load.</param>
    private async Task<ReloadReport> LoadCurrentVersionAsync(bool repair, bool repaired, long started, CancellationToken cancellationToken)
    {
        var previous = current.Snapshot;
        var (snapshot, stored, storedModel, repairedByLoad) = await LoadFromStoreAsync(repair, cancellationToken);
        repaired |= repairedByLoad;
        var version = stored.Number;
        // The store holds less than it will once the ingest publishes: no version (its tables rebuilt, its file set aside) or,
        // after a repair, a version without the damaged articles. Serving it would refuse questions the index in memory
        // answers, so that stays served; with nothing in memory, an empty rebuilt store is not served either (/healthz stays
        // 503) until the ingest publishes.
        var serving = previous.Articles.Count > 0;
        if (snapshot is not null && (version == 0 ? serving || repaired : repaired && serving))
            return repair ? KeepServingThroughRepair(new StoredState(snapshot, version), repaired, started) : KeepServingThroughRebuild(started);

        _waitingForRebuild = false;
        _storeFromOtherModel = storedModel is not null && storedModel != EmbeddingModelId;
        if (_storeFromOtherModel)
        {
            _loadedVersion = stored;
            _repairedStore = null;
            LogStoreFromOtherModel(logger, storedModel!, EmbeddingModelId);
            if (!current.Loaded)
                Serve(IndexSnapshot.Empty, version);
            return Unchanged(current.Snapshot, started);
        }

        Serve(snapshot!, version);
        _loadedVersion = stored;
        if (snapshot!.Articles.Count > 0)
            LogLoadedStored(logger, snapshot.Articles.Count, version);

        var before = previous.Articles.ToDictionary(a => a.Id, a => a.ContentHash, StringComparer.Ordinal);
        var after = snapshot.Articles.ToDictionary(a => a.Id, a => a.ContentHash, StringComparer.Ordinal);
        var added = after.Keys.Count(id => !before.ContainsKey(id));
        var updated = after.Count(a => before.TryGetValue(a.Key, out var hash) && hash != a.Value);
        var removed = before.Keys.Count(id => !after.ContainsKey(id));
        return new ReloadReport(added, updated, removed, after.Count - added - updated, snapshot.SentenceCount, snapshot.ChunkCount, [], time.GetElapsedTime(started))
        {
            Version = version,
            FromStore = true,
        };
    }

    /// <summary>
    /// The store has no published version, yet this process serves articles it published: the ingest lock's holder rebuilt
    /// the damaged store and is embedding again what it held (a seeds folder emptied on purpose publishes a version of its
    /// own). Serving the empty store would refuse every question until the holder publishes; the index in memory is whole.
    /// </summary>
    private ReloadReport KeepServingThroughRebuild(long started)
    {
        health.CannotFollow(IndexProblemKind.Repairing,
            $"the index store is being rebuilt by the process holding the ingest lock and holds no published version yet; still answering from index version {current.Version}");
        if (!_waitingForRebuild)
            LogRebuildingStillServing(logger, current.Version);
        _waitingForRebuild = true;
        return Unchanged(current.Snapshot, started);
    }

    /// <summary>
    /// This process holds the ingest lock and is about to embed again what the store lost (<paramref name="stored"/> is what
    /// it holds now): it goes on answering from the index in memory, whole, until the reload publishes.
    /// </summary>
    /// <param name="repaired">The load just repaired the store, and the health already names the damage.</param>
    private ReloadReport KeepServingThroughRepair(StoredState stored, bool repaired, long started)
    {
        _repairedStore = stored;
        _storeFromOtherModel = false;
        if (!repaired)
            health.CannotFollow(IndexProblemKind.Repairing, "the index store holds no published version; embedding the seeds folder again");
        if (current.Snapshot.Articles.Count > 0)
            LogRepairingStillServing(logger, current.Version);
        return Unchanged(current.Snapshot, started);
    }

    /// <summary>
    /// The store's current version as a snapshot, or only its version and model when they are another model's; whether
    /// damage was repaired to read it. With <paramref name="repair"/>, damage the store finds is repaired and the store read
    /// again, until it reads whole.
    /// </summary>
    private async Task<(IndexSnapshot? Snapshot, StoredVersion Version, string? Model, bool Repaired)> LoadFromStoreAsync(bool repair, CancellationToken cancellationToken)
    {
        for (var repaired = false; ; repaired = true)
        {
            IndexStoreDamagedException damage;
            try
            {
                var (snapshot, version, model) = await LoadCurrentAsync();
                return (snapshot, version, model, repaired);
            }
            catch (IndexStoreDamagedException e) when (repair)
            {
                damage = e;
            }

            // Each repair leaves out what it found damaged, so this ends with the store whole (at worst empty).
            await RepairAsync(damage, cancellationToken);
        }

        async Task<(IndexSnapshot?, StoredVersion, string?)> LoadCurrentAsync()
        {
            await using var stored = await store.OpenReadAsync(cancellationToken);
            var version = new StoredVersion(stored.Version, stored.Publication);
            if (stored.EmbeddingModelId is { } model && model != EmbeddingModelId)
                return (null, version, model);
            return (await snapshots.LoadAsync(stored, cancellationToken), version, stored.EmbeddingModelId);
        }
    }

    /// <summary>Has the ingest lock's holder repair what <paramref name="damage"/> found; rethrows it where nothing was left to repair.</summary>
    private async Task RepairAsync(IndexStoreDamagedException damage, CancellationToken cancellationToken)
    {
        health.CannotFollow(IndexProblemKind.Repairing, damage.Message);
        if (!await store.RepairAsync(damage, cancellationToken))
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(damage);
    }

    /// <summary>Serves <paramref name="snapshot"/>; the health's load time moves only when another index is swapped in.</summary>
    private void Serve(IndexSnapshot snapshot, long version)
    {
        var swapped = !current.Loaded || !ReferenceEquals(snapshot, current.Snapshot) || version != current.Version;
        current.Publish(snapshot, version);
        _repairedStore = null;
        if (swapped)
            health.Loaded();
        else
            health.Confirmed();
    }

    private ReloadReport Unchanged(IndexSnapshot snapshot, long started) =>
        new(0, 0, 0, snapshot.Articles.Count, snapshot.SentenceCount, snapshot.ChunkCount, [], time.GetElapsedTime(started))
        {
            Version = current.Version,
            FromStore = true,
        };

    private string SeedsFolder()
    {
        var folder = Path.GetFullPath(options.Value.SeedsPath);
        return Directory.Exists(folder) ? folder
            : throw new DirectoryNotFoundException($"The seeds folder {folder} {(File.Exists(folder) ? "is a file, not a folder" : "does not exist")} (set Ingestion:SeedsPath).");
    }

    private async Task<ReloadReport> ReloadCoreAsync(IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var settings = options.Value;
        var folder = SeedsFolder();

        // After a repair, what the store holds: what the repair lost is embedded again, though the index served still has it.
        var (previous, previousVersion) = _repairedStore ?? new StoredState(current.Snapshot, current.Version);
        var modelChanged = _storeFromOtherModel || (previous.Articles.Count > 0 && previous.EmbeddingModelId != EmbeddingModelId);
        var old = modelChanged ? [] : previous.Articles.ToDictionary(a => a.Id, StringComparer.Ordinal);

        var toEmbed = new List<(Article Article, IReadOnlyList<Chunk> Chunks)>();
        var relocated = new List<(Article Article, IReadOnlyList<Chunk> Chunks)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unchanged = 0;
        var unread = 0;
        var problems = new List<SourceProblem>();
        var files = new List<string>();
        try
        {
            foreach (var subfolder in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
                problems.Add(new SourceProblem(subfolder, "it is a folder; only the files directly in the seeds folder are read"));
            foreach (var file in Directory.EnumerateFiles(folder).Where(ArticleReader.CanRead).Order(StringComparer.Ordinal))
            {
                // A reload (which an admin can trigger from chat) must never read outside the configured folder.
                if (LinksOutside(file, folder) is { } target)
                {
                    problems.Add(new SourceProblem(file, $"it links to {target}, outside the seeds folder"));
                    continue;
                }

                files.Add(file);
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Not one bad file but the whole folder: nothing can be told apart from a deletion, so nothing is published.
            throw new IndexRefreshException($"cannot read the seeds folder {folder} ({IndexRefreshException.Reason(e)})", e);
        }

        for (var i = 0; i < files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = files[i];
            var id = Path.GetFileNameWithoutExtension(file);
            progress?.Report(new IngestionProgress("read", i, files.Count, Path.GetFileName(file)));
            if (!seen.Add(id))
            {
                unread++;
                problems.Add(new SourceProblem(file, $"another file already has the id '{id}'"));
                continue;
            }

            old.TryGetValue(id, out var existing);
            try
            {
                var info = new FileInfo(file);
                if (info.Length > settings.MaxFileBytes)
                    throw new SourceFormatException(file, $"it is {info.Length:N0} bytes; the limit is {settings.MaxFileBytes:N0} (Ingestion:MaxFileBytes)");
                // A named pipe, socket or device also reports no length, and opening one would block the reload until
                // something writes to it; an empty file has nothing to read either way.
                if (info.Length == 0)
                    throw new SourceFormatException(file, "file is empty (or not a regular file)");
                var bytes = await File.ReadAllBytesAsync(file, cancellationToken);
                var fileHash = Convert.ToHexStringLower(SHA256.HashData(bytes));
                var hash = fileHash + _readingTag;
                if (existing is not null && existing.ContentHash == hash && existing.Path == file)
                {
                    unchanged++;
                    continue;
                }

                var article = reader.Read(file, bytes, out var encoding) with { ContentHash = hash };
                if (encoding == SourceEncoding.Windows1252)
                    LogReadAsWindows1252(logger, file);
                (existing is not null && IsSameFile(existing.ContentHash, fileHash) ? relocated : toEmbed).Add((article, chunker.Split(article)));
            }
            catch (Exception e) when (e is SourceFormatException or IOException or UnauthorizedAccessException)
            {
                var reason = e is SourceFormatException format ? format.Reason : e.Message;
                unread++;
                problems.Add(new SourceProblem(file, reason));
                LogSkipped(logger, file, reason);
                // A file that broke is neither re-embedded nor removed: the store keeps serving its last good version.
            }
        }

        var moved = relocated.Count == 0 ? [] : await WithStoredVectorsAsync(relocated, toEmbed, cancellationToken);
        var embedded = await EmbedAsync(toEmbed, progress, cancellationToken);
        var embeddedSentences = embedded.Sum(e => e.Article.Sentences.Count);
        embedded.AddRange(moved);
        var removed = old.Keys.Where(id => !seen.Contains(id)).ToList();
        var added = embedded.Count(e => !old.ContainsKey(e.Article.Id));
        var updated = embedded.Count - added;
        var dimensions = embedded.Count > 0 ? DimensionsOf(embedded) : previous.Dimensions;

        var (snapshot, version) = (previous, previousVersion);
        if (embedded.Count > 0 || removed.Count > 0 || modelChanged)
        {
            await store.ApplyAsync(new IndexChangeSet(EmbeddingModelId, dimensions, embedded, removed, modelChanged), cancellationToken);
            _storeFromOtherModel = false;
            // Served as every other process serves it, streamed back from the store: the unchanged articles' vectors
            // are never all in memory at once, and their stored terms need no analysis.
            (var loaded, var stored, _, _) = await LoadFromStoreAsync(repair: true, cancellationToken);
            snapshot = loaded ?? IndexSnapshot.Empty;
            (version, _loadedVersion) = (stored.Number, stored);
        }

        Serve(snapshot, version);
        // Some broken files are the folder's business (the report lists them); none read at all is a failed ingest.
        if (files.Count > 0 && unread == files.Count)
        {
            var first = problems.First(p => files.Contains(p.Path));
            health.IngestFailed($"none of the {files.Count} seed files could be read ({Path.GetFileName(first.Path)}: {first.Reason})");
        }
        else
            health.Ingested();
        var report = new ReloadReport(
            added, updated, removed.Count, unchanged,
            snapshot.SentenceCount, snapshot.ChunkCount, problems, time.GetElapsedTime(started))
        {
            Version = version,
        };
        RecordIngest(report, embeddedSentences);
        LogReloaded(logger, report.Added, report.Updated, report.Removed, report.Unchanged, report.Problems.Count, report.Elapsed.TotalMilliseconds, version);
        return report;
    }

    /// <summary>
    /// Articles whose file moved (the seeds folder did, or the file was renamed within it) with their text unchanged, or
    /// that were read again under newer reading rules or other chunking settings: where their sentences and chunks came out
    /// the same, the stored vectors still hold, so they are stored again without embedding them again.
    /// Any the store no longer holds in the same shape go to <paramref name="toEmbed"/>.
    /// </summary>
    private async Task<List<IndexedArticle>> WithStoredVectorsAsync(
        List<(Article Article, IReadOnlyList<Chunk> Chunks)> relocated,
        List<(Article Article, IReadOnlyList<Chunk> Chunks)> toEmbed,
        CancellationToken cancellationToken)
    {
        var wanted = relocated.ToDictionary(r => r.Article.Id, StringComparer.Ordinal);
        var reused = new List<IndexedArticle>(relocated.Count);
        await using (var stored = await store.OpenReadAsync(cancellationToken))
        {
            if (stored.EmbeddingModelId == EmbeddingModelId)
            {
                await foreach (var source in stored.ReadAsync(StoredVectors.All, cancellationToken))
                {
                    if (!wanted.Remove(source.Article.Id, out var moved))
                        continue;
                    if (EmbedsTheSameTexts(source, moved.Article, moved.Chunks))
                    {
                        var terms = source.Terms is { } t && t.Fits(moved.Article) ? t : ArticleTerms.Of(moved.Article);
                        reused.Add(new IndexedArticle(moved.Article, moved.Chunks, source.SentenceVectors, source.ChunkVectors) { Terms = terms });
                    }
                    else
                    {
                        toEmbed.Add(moved);
                    }
                    if (wanted.Count == 0)
                        break;
                }
            }
        }

        toEmbed.AddRange(wanted.Values);
        return reused;
    }

    /// <summary>Whether a stored hash is of these file bytes, under any reading rules (an index from before the tag holds the bare hash).</summary>
    private static bool IsSameFile(string storedHash, string fileHash) =>
        storedHash.StartsWith(fileHash, StringComparison.Ordinal)
        && (storedHash.Length == fileHash.Length || storedHash[fileHash.Length] == '/');

    /// <summary>Whether the stored vectors embed exactly this article's sentences and chunks (a file read another way would not).</summary>
    private static bool EmbedsTheSameTexts(IndexedArticle stored, Article article, IReadOnlyList<Chunk> chunks) =>
        stored.SentenceVectors.Length > 0
        && stored.Article.Sentences.Select(s => s.Text).SequenceEqual(article.Sentences.Select(s => s.Text), StringComparer.Ordinal)
        && stored.Chunks.Select(c => stored.Article.Slice(c.Start, c.End)).SequenceEqual(chunks.Select(c => article.Slice(c.Start, c.End)), StringComparer.Ordinal);

    private async Task<List<IndexedArticle>> EmbedAsync(
        List<(Article Article, IReadOnlyList<Chunk> Chunks)> items,
        IProgress<IngestionProgress>? progress,
        CancellationToken cancellationToken)
    {
        var texts = new List<string>();
        foreach (var (article, chunks) in items)
        {
            texts.AddRange(article.Sentences.Select(s => s.Text));
            texts.AddRange(chunks.Select(c => article.Slice(c.Start, c.End)));
        }

        var vectors = new List<float[]>(texts.Count);
        var batch = options.Value.EmbeddingBatchSize;
        if (texts.Count > 0)
            progress?.Report(new IngestionProgress("embed", 0, texts.Count) { Articles = items.Count });
        for (var offset = 0; offset < texts.Count; offset += batch)
        {
            var slice = texts.GetRange(offset, Math.Min(batch, texts.Count - offset));
            GeneratedEmbeddings<Embedding<float>> generated;
            try
            {
                generated = await embeddings.GenerateAsync(slice, cancellationToken: cancellationToken);
            }
            catch (EmbeddingUnavailableException e)
            {
                // Like an unreadable seeds folder: nothing is stored, and the last good index is served if there is one.
                throw new IndexRefreshException($"cannot embed the articles: {e.Message}", e);
            }

            vectors.AddRange(generated.Select(g => g.Vector.ToArray()));
            progress?.Report(new IngestionProgress("embed", Math.Min(offset + batch, texts.Count), texts.Count) { Articles = items.Count });
        }

        var result = new List<IndexedArticle>(items.Count);
        var next = 0;
        foreach (var (article, chunks) in items)
        {
            var sentenceVectors = vectors.GetRange(next, article.Sentences.Count).SelectMany(v => v).ToArray();
            next += article.Sentences.Count;
            var chunkVectors = vectors.GetRange(next, chunks.Count).SelectMany(v => v).ToArray();
            next += chunks.Count;
            result.Add(new IndexedArticle(article, chunks, sentenceVectors, chunkVectors) { Terms = ArticleTerms.Of(article) });
        }

        return result;
    }

    private static void RecordIngest(ReloadReport report, int embeddedSentences)
    {
        NewsBotTelemetry.IngestDuration.Record(report.Elapsed.TotalSeconds);
        NewsBotTelemetry.IngestedSources.Add(report.Added, new KeyValuePair<string, object?>("change", "added"));
        NewsBotTelemetry.IngestedSources.Add(report.Updated, new KeyValuePair<string, object?>("change", "updated"));
        NewsBotTelemetry.IngestedSources.Add(report.Removed, new KeyValuePair<string, object?>("change", "removed"));
        NewsBotTelemetry.IngestedSentences.Add(embeddedSentences);
    }

    /// <summary>The final target of a symbolic link that leaves <paramref name="folder"/>; null for a plain file or a link inside it.</summary>
    private static string? LinksOutside(string file, string folder)
    {
        var target = File.ResolveLinkTarget(file, returnFinalTarget: true);
        if (target is null)
            return null;
        var full = Path.GetFullPath(target.FullName);
        return full.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? null : full;
    }

    private static int DimensionsOf(IEnumerable<IndexedArticle> sources)
    {
        foreach (var s in sources)
        {
            if (s.Article.Sentences.Count > 0)
                return s.SentenceVectors.Length / s.Article.Sentences.Count;
            if (s.Chunks.Count > 0)
                return s.ChunkVectors.Length / s.Chunks.Count;
        }

        return 0;
    }

    /// <summary>A version of the store as loaded: its snapshot and number.</summary>
    private sealed record StoredState(IndexSnapshot Snapshot, long Version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded the stored index version {Version}: {Sources} sources, no re-embedding")]
    private static partial void LogLoadedStored(ILogger logger, int sources, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}; still answering from index version {Version} in memory until an ingest repairs it")]
    private static partial void LogDamagedStillServing(ILogger logger, string reason, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The index store is being rebuilt by the process holding the ingest lock; still answering from index version {Version} in memory until it publishes the rebuilt index")]
    private static partial void LogRebuildingStillServing(ILogger logger, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Still answering from index version {Version} in memory until the index embedded again from the seeds folder is published")]
    private static partial void LogRepairingStillServing(ILogger logger, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Another process is ingesting into the index store; serving the index it last published")]
    private static partial void LogIngestElsewhere(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored index was embedded with {StoredModel}, this process embeds with {Model} (Embeddings:Model, or Llm:Embeddings:Model with a remote provider): it cannot serve it until an ingest with this model replaces it")]
    private static partial void LogStoreFromOtherModel(ILogger logger, string storedModel, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Read {File} as Windows-1252: it is not valid UTF-8. If its accents or quotation marks look wrong in answers, save it as UTF-8")]
    private static partial void LogReadAsWindows1252(ILogger logger, string file);

    // Debug: the callers report skipped files once each (ingest prints them, the worker logs them).
    [LoggerMessage(Level = LogLevel.Debug, Message = "Skipped {File}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reloaded sources: {Added} added, {Updated} updated, {Removed} removed, {Unchanged} unchanged, {Problems} problems in {ElapsedMs:F0} ms; index version {Version}")]
    private static partial void LogReloaded(ILogger logger, int added, int updated, int removed, int unchanged, int problems, double elapsedMs, long version);
}
