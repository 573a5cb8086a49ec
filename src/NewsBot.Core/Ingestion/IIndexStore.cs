using NewsBot.Retrieval;

namespace NewsBot.Ingestion;

/// <summary>
/// Where the index persists between runs, so a restart serves questions without re-embedding, and
/// several processes can serve one index. Every change publishes a new, complete index version: a
/// reader sees the previous version or the new one, never a half-written one.
/// </summary>
/// <remarks>
/// Failures to reach the store surface as <see cref="IndexStoreUnavailableException"/>, whose message is
/// safe to show (it never holds a password).
/// </remarks>
public interface IIndexStore
{
    /// <summary>
    /// Opens the current version for reading, as one consistent snapshot that later publications do not change,
    /// until the reader is disposed. Damage found raises <see cref="IndexStoreDamagedException"/>, here or while reading.
    /// </summary>
    Task<IStoredIndexReader> OpenReadAsync(CancellationToken cancellationToken = default);

    /// <summary>Applies a change set and makes the result current at once; returns the new version.</summary>
    Task<long> ApplyAsync(IndexChangeSet changes, CancellationToken cancellationToken = default);

    /// <summary>
    /// The version that <see cref="OpenReadAsync"/> would open now (<see cref="StoredVersion.None"/> for an empty store); cheap.
    /// Tables or columns of the index found missing raise <see cref="IndexStoreDamagedException"/>, so that the ingest lock's
    /// holder repairs them before it writes.
    /// </summary>
    Task<StoredVersion> CurrentVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the store's single ingest lock, so only one process ingests at a time. Without
    /// <paramref name="wait"/> it returns null at once when another holder has it. The lock is released
    /// on dispose, and by the store itself when its holder dies.
    /// </summary>
    Task<IAsyncDisposable?> AcquireIngestLockAsync(bool wait, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns when another process may have published a version, or after <paramref name="timeout"/> at
    /// the latest; callers compare <see cref="CurrentVersionAsync"/> afterwards.
    /// </summary>
    Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Repairs the damage a read reported, so that what it lost is embedded again by the ingest that follows: the
    /// damaged articles are left out of a new current version, damaged tables rebuilt empty (no version published until
    /// that ingest publishes), or a damaged file set aside. Only the holder of the ingest lock calls it. Returns false when
    /// there was nothing left to repair (the damage is then reported as it is).
    /// </summary>
    Task<bool> RepairAsync(IndexStoreDamagedException damage, CancellationToken cancellationToken = default);
}

/// <summary>
/// One published version of a store, open for reading: what it holds is known at once, and its articles are read one
/// at a time, so loading a large archive never holds every article's vectors at once.
/// </summary>
public interface IStoredIndexReader : IAsyncDisposable
{
    /// <summary>The model the stored vectors came from, or null for an empty store.</summary>
    string? EmbeddingModelId { get; }

    int Dimensions { get; }

    /// <summary>The published version being read; 0 for an empty store.</summary>
    long Version { get; }

    /// <summary>Which publication of <see cref="Version"/> is read (see <see cref="StoredVersion"/>); empty for an empty store.</summary>
    string Publication { get; }

    /// <summary>Every article of the version, in <see cref="SourceIdOrder"/>, with its version and size.</summary>
    IReadOnlyList<StoredSource> Contents { get; }

    /// <summary>
    /// The articles of <see cref="Contents"/>, in the same order, with their stored terms when the store has them.
    /// Vectors left out of <paramref name="vectors"/> come as empty arrays. Read once.
    /// </summary>
    IAsyncEnumerable<IndexedArticle> ReadAsync(StoredVectors vectors, CancellationToken cancellationToken = default);
}

/// <summary>
/// A published version of a store: its number, and the publication that made it current. A store rebuilt from nothing
/// (its file deleted, its tables dropped) counts versions again from 1, so a follower compares both to find a new index.
/// </summary>
/// <param name="Publication">Tells this publication apart from any other of the same number; empty for no publication.</param>
public sealed record StoredVersion(long Number, string Publication)
{
    public static StoredVersion None { get; } = new(0, string.Empty);
}

/// <summary>What a stored version holds of one article, known before its rows are read.</summary>
public sealed record StoredSource(string Id, string ContentHash, int Sentences, int Chunks);

/// <summary>Which vectors <see cref="IStoredIndexReader.ReadAsync"/> reads.</summary>
[Flags]
public enum StoredVectors
{
    None = 0,
    Sentences = 1,
    Chunks = 2,
    All = Sentences | Chunks,
}

/// <param name="Upserts">Sources added or changed, replacing any stored rows of the same id.</param>
/// <param name="Removals">Ids of sources to delete.</param>
/// <param name="ReplaceAll">Drop everything stored first (the embedding model changed).</param>
public sealed record IndexChangeSet(
    string EmbeddingModelId,
    int Dimensions,
    IReadOnlyList<IndexedArticle> Upserts,
    IReadOnlyList<string> Removals,
    bool ReplaceAll);

/// <summary>The index store cannot be reached or refused the login; the message names the setting to check.</summary>
/// <param name="IsConfigurationError">The settings are wrong (password, database name), as opposed to an outage.</param>
public sealed class IndexStoreUnavailableException(string message, bool isConfigurationError, Exception? innerException = null)
    : Exception(message, innerException)
{
    public bool IsConfigurationError { get; } = isConfigurationError;
}

/// <summary>
/// The store found itself damaged: a stored article that cannot be read back (a vector of the wrong length), or a table
/// or column missing. The message names what is damaged and how to rebuild it, never a password. The store stays as it
/// is until the ingest lock's holder calls <see cref="IIndexStore.RepairAsync"/>; other processes keep serving what they hold.
/// </summary>
/// <param name="sourceId">The damaged article, when the damage is one article's rather than the tables'.</param>
public sealed class IndexStoreDamagedException(string message, Exception? innerException = null, string? sourceId = null)
    : IOException(message, innerException)
{
    public string? SourceId { get; } = sourceId;
}

/// <summary>What a store with nothing published reads as.</summary>
public sealed class EmptyStoredIndex : IStoredIndexReader
{
    public static EmptyStoredIndex Instance { get; } = new();

    public string? EmbeddingModelId => null;

    public int Dimensions => 0;

    public long Version => 0;

    public string Publication => string.Empty;

    public IReadOnlyList<StoredSource> Contents => [];

    public IAsyncEnumerable<IndexedArticle> ReadAsync(StoredVectors vectors, CancellationToken cancellationToken = default) =>
        AsyncEnumerable.Empty<IndexedArticle>();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
