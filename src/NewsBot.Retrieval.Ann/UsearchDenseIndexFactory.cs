using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using System.Reflection;
using System.Text.Json;
using Cloud.Unum.USearch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NewsBot.Retrieval.Ann;

/// <summary>
/// Builds a snapshot's HNSW index in parallel and saves it beside the store under the snapshot's fingerprint, with a
/// check file (fingerprint, size, XXH3 of the bytes) written before it; later opens of the same content, in this
/// process or another on the same folder, map the saved file instead of rebuilding. A file of another fingerprint is
/// stale: never used for this content, deleted once a newer index is saved. A file that fails its check is set aside
/// (renamed, with one warning) before USearch ever reads it, and rebuilt.
/// </summary>
public sealed partial class UsearchDenseIndexFactory(
    IOptions<AnnOptions> options, ILogger<UsearchDenseIndexFactory> logger, TimeProvider? time = null) : IApproximateDenseIndexFactory
{
    private const string FilePrefix = "newsbot-ann-";
    private const string FileExtension = ".usearch";
    private const string CheckExtension = ".check";
    private const string BuildingExtension = ".building";
    private static readonly TimeSpan BuildLockPollInterval = TimeSpan.FromMilliseconds(250);

    // A temporary file untouched this long belongs to a build that died; younger ones may be another process's build.
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(6);

    // USearchIndex reserves room one vector at a time when adding, which makes a large build quadratic and serial;
    // reserving the whole capacity first lets adds run in parallel. The wrapper keeps that call private.
    private static readonly MethodInfo? IncreaseCapacity =
        typeof(USearchIndex).GetMethod("IncreaseCapacity", BindingFlags.NonPublic | BindingFlags.Instance);

    // Candidates weighed when checking that each added sentence can be found (Relink).
    private const int CheckExpansion = 16;
    private const float IdenticalDistance = 1e-6f;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public IApproximateDenseIndex? TryOpen(string fingerprint, int count, int dimensions)
    {
        var path = PathOf(fingerprint);
        if (!File.Exists(path))
            return null;
        var watch = Stopwatch.StartNew();
        USearchIndex? index = null;
        try
        {
            if (Check(path, fingerprint, count, dimensions) is { } problem)
                throw new InvalidDataException(problem);
            // Mapped, not copied: processes on one folder share the file's pages, and opening costs no reading.
            index = Map(path);
            if (index.Size() != (ulong)count || index.Dimensions() != (ulong)dimensions)
                throw new InvalidDataException($"it holds {index.Size()} vectors of {index.Dimensions()} dimensions, not {count} of {dimensions}");
            LogLoaded(logger, count, watch.Elapsed.TotalSeconds, path);
            return new UsearchDenseIndex(index, count);
        }
        catch (Exception e) when (e is USearchException or InvalidDataException or IOException or JsonException)
        {
            index?.Dispose();
            LogUnusable(logger, path, e.Message.TrimEnd('.'), SetAside(path));
            return null;
        }
    }

    public IApproximateDenseIndex Open(string fingerprint, IDenseVectorSource vectors, DenseIndexLayout? layout = null)
    {
        if (layout is not null && layout.Articles.Sum(a => (long)a.Sentences) != vectors.Count)
            throw new ArgumentException("The layout's articles must hold exactly the vectors' sentences.", nameof(layout));
        if (TryOpen(fingerprint, vectors.Count, vectors.Dimensions) is { } saved)
            return saved;

        var o = options.Value;
        var path = PathOf(fingerprint);
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        // One build per content among the processes sharing the folder: the others wait for it and map what it saved.
        using var building = HoldBuildLock(path + BuildingExtension);
        if (TryOpen(fingerprint, vectors.Count, vectors.Dimensions) is { } builtElsewhere)
            return builtElsewhere;

        var watch = Stopwatch.StartNew();
        // Unique per build, should two processes build at once all the same (a lock file deleted as stale mid-build).
        var temporary = $"{path}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp";
        Update? update = null;
        var relinked = 0;
        try
        {
            update = layout is null ? null : TryUpdate(path, layout, vectors, o);
            using (var made = update?.Index ?? Build(vectors, o, out relinked))
                made.Save(temporary);

            var check = new SavedIndex(fingerprint, vectors.Count, vectors.Dimensions, new FileInfo(temporary).Length, Hash(temporary))
            {
                EmbeddingModelId = layout?.EmbeddingModelId,
                Articles = layout?.Articles,
                RemovedSinceBuilt = update?.RemovedSinceBuilt ?? 0,
            };
            File.WriteAllText(temporary + CheckExtension, JsonSerializer.Serialize(check));
            // The check first: whoever sees the index file finds its check beside it.
            File.Move(temporary + CheckExtension, path + CheckExtension, overwrite: true);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
            File.Delete(temporary + CheckExtension);
        }

        RemoveStale(folder, path);
        if (update is null)
            LogBuilt(logger, vectors.Count, relinked, watch.Elapsed.TotalSeconds, path);
        else
            LogUpdated(logger, vectors.Count, update.Added, update.Removed, update.Relinked, update.From, watch.Elapsed.TotalSeconds, path);
        return new UsearchDenseIndex(Map(path), vectors.Count);
    }

    /// <summary>
    /// The newest other saved index of this configuration, brought up to <paramref name="layout"/>: unchanged articles'
    /// sentences renamed to their new positions (their links kept), those of articles gone or changed removed (USearch
    /// reuses their slots), new ones inserted. Null, to build whole, when there is none to start from, or when an update
    /// would add more than half the sentences (no quicker than a build) or bring the removals since the last whole
    /// build past a fifth of the index (removed nodes leave their neighbours' links thinner, and recall with them).
    /// </summary>
    private Update? TryUpdate(string path, DenseIndexLayout layout, IDenseVectorSource vectors, AnnOptions o)
    {
        var folder = Path.GetDirectoryName(path)!;
        var configuration = ConfigurationSuffix(o);
        var previous = Directory.EnumerateFiles(folder, FilePrefix + "*" + configuration)
            .Where(f => f != path)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
        if (previous is null || ReadCheck(previous) is not { Articles: { } articles } saved
            || saved.EmbeddingModelId != layout.EmbeddingModelId || saved.Dimensions != vectors.Dimensions
            || articles.Sum(a => (long)a.Sentences) != saved.Count)
            return null;

        var plan = IndexUpdatePlan.Between(articles, layout.Articles);
        var removedSinceBuilt = saved.RemovedSinceBuilt + plan.Removed;
        if (plan.Added > vectors.Count / 2 || removedSinceBuilt > vectors.Count / 5)
        {
            LogRebuilding(logger, plan.Added, plan.Removed, removedSinceBuilt, vectors.Count);
            return null;
        }

        USearchIndex? index = null;
        try
        {
            // Checked before USearch reads it: a damaged file must not reach the native loader.
            if (Damage(previous, saved) is { } problem)
                throw new InvalidDataException(problem);
            index = new USearchIndex(previous, view: false);
            ApplySettings(index);
            var relinked = Apply(plan, index, vectors, o);
            if (index.Size() != (ulong)vectors.Count)
                throw new InvalidDataException($"the update left {index.Size()} vectors, not {vectors.Count}");
            return new Update(index, Path.GetFileName(previous), plan.Added, plan.Removed, relinked, removedSinceBuilt);
        }
        catch (Exception e) when (Failure(e) is { } failure)
        {
            index?.Dispose();
            LogUpdateFailed(logger, previous, failure.Message.TrimEnd('.'));
            return null;
        }
    }

    /// <summary>The failure of a file or of USearch behind an exception (parallel adds and reflection wrap it), else null.</summary>
    private static Exception? Failure(Exception e) => e switch
    {
        USearchException or InvalidDataException or IOException or UnauthorizedAccessException => e,
        AggregateException or TargetInvocationException when e.InnerException is { } inner => Failure(inner),
        _ => null,
    };

    /// <summary>Carries out the plan on the index; returns how many added sentences were re-linked.</summary>
    private static int Apply(IndexUpdatePlan plan, USearchIndex index, IDenseVectorSource vectors, AnnOptions o)
    {
        foreach (var removal in plan.Removals)
        {
            for (var i = 0; i < removal.Count; i++)
                index.Remove((ulong)(removal.First + i));
        }

        // In two passes, through keys no position reaches, so that no move lands on a key another has yet to leave.
        const ulong Moving = 1UL << 62;
        foreach (var move in plan.Moves)
        {
            for (var i = 0; i < move.Count; i++)
                index.Rename((ulong)(move.From + i), Moving + (ulong)(move.To + i));
        }

        foreach (var move in plan.Moves)
        {
            for (var i = 0; i < move.Count; i++)
                index.Rename(Moving + (ulong)(move.To + i), (ulong)(move.To + i));
        }

        return Add(index, vectors, [.. plan.Additions.SelectMany(run => Enumerable.Range(run.First, run.Count))], o);
    }

    /// <summary>
    /// Adds the vectors at these positions, each keyed by its position: in parallel once room for all is reserved, then
    /// <see cref="Relink"/>. Returns how many were re-linked.
    /// </summary>
    private static int Add(USearchIndex index, IDenseVectorSource vectors, int[] positions, AnnOptions o)
    {
        if (positions.Length == 0)
            return 0;
        if (IncreaseCapacity is null)
        {
            // One at a time: nothing for Relink to mend.
            foreach (var position in positions)
                index.Add((ulong)position, Vector(vectors, position));
            return 0;
        }

        // Room for every new vector even where no removed slot is reused.
        IncreaseCapacity.Invoke(index, [index.Capacity() - index.Size() + (ulong)positions.Length]);
        Parallel.ForEach(
            positions, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => new float[vectors.Dimensions],
            (position, _, buffer) =>
            {
                vectors.CopyVector(position, buffer);
                index.Add((ulong)position, buffer);
                return buffer;
            },
            _ => { });
        return Relink(index, vectors, positions, o);
    }

    /// <summary>
    /// Re-adds, one at a time, each of these sentences that a search for its own vector does not find. USearch's
    /// concurrent adds can leave a node stored but linked from nowhere (unum-cloud/usearch#735, open for 2.26.6): a node
    /// of an upper level is reachable there before its bottom-level links exist, and an add that descends through it in
    /// that moment gets a single link, which the node then drops. Such a sentence is never retrieved by meaning (2 to 8
    /// of 20,000 clustered test vectors per build). Every sentence is first looked for narrowly
    /// (<see cref="CheckExpansion"/> candidates, cheap), and only those missed are looked for again at the search breadth,
    /// as a question would: a narrow search misses many reachable sentences (23 % of the bench's synthetic archive), and
    /// re-adding them, one at a time, would cost more than the build. At 100,000 synthetic sentences the two searches
    /// cost half the adds' CPU (30 s against 57 s) and 213 sentences are re-added. Returns how many were re-added.
    /// </summary>
    internal static int Relink(USearchIndex index, IDenseVectorSource vectors, int[] positions, AnnOptions o)
    {
        if (!UsearchNative.Available)
            return 0;
        int[] unreached;
        try
        {
            UsearchNative.SetExpansion(index, o.ExpansionAdd, CheckExpansion);
            var missed = Unfound(index, vectors, positions);
            UsearchNative.SetExpansion(index, o.ExpansionAdd, o.ExpansionSearch);
            unreached = missed.Length == 0 ? missed : Unfound(index, vectors, missed);
        }
        finally
        {
            UsearchNative.SetExpansion(index, o.ExpansionAdd, o.ExpansionSearch);
        }

        foreach (var position in unreached)
        {
            index.Remove((ulong)position);
            index.Add((ulong)position, Vector(vectors, position));
        }

        return unreached.Length;
    }

    /// <summary>The positions whose own vector's nearest sentence, searched in parallel, is neither them nor identical.</summary>
    private static int[] Unfound(USearchIndex index, IDenseVectorSource vectors, int[] positions)
    {
        var unfound = new ConcurrentBag<int>();
        Parallel.ForEach(
            positions, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => new float[vectors.Dimensions],
            (position, _, buffer) =>
            {
                vectors.CopyVector(position, buffer);
                index.Search(buffer, 1, out ulong[] keys, out float[] distances);
                // An identical vector (a repeated sentence) may come first: it stands for this one.
                if (keys.Length == 0 || (keys[0] != (ulong)position && distances[0] > IdenticalDistance))
                    unfound.Add(position);
                return buffer;
            },
            _ => { });
        return [.. unfound.Order()];
    }

    /// <summary>Maps a saved index with this configuration's breadths.</summary>
    private USearchIndex Map(string path)
    {
        var index = new USearchIndex(path, view: true);
        try
        {
            ApplySettings(index);
        }
        catch
        {
            index.Dispose();
            throw;
        }

        return index;
    }

    /// <summary>Gives an index opened from a file this configuration's breadths: the file keeps none of its own.</summary>
    private void ApplySettings(USearchIndex index)
    {
        var o = options.Value;
        if (UsearchNative.Available)
            UsearchNative.SetExpansion(index, o.ExpansionAdd, o.ExpansionSearch);
        else
            LogSettingsIgnored(logger);
    }

    internal static USearchIndex Build(IDenseVectorSource vectors, AnnOptions o, out int relinked)
    {
        var index = new USearchIndex(
            MetricKind.Cos, o.Quantization == "f16" ? ScalarKind.Float16 : ScalarKind.Int8, (ulong)vectors.Dimensions,
            (ulong)o.Connectivity, (ulong)o.ExpansionAdd, (ulong)o.ExpansionSearch);
        try
        {
            relinked = Add(index, vectors, [.. Enumerable.Range(0, vectors.Count)], o);
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>Waits for, then holds, the exclusive lock on a build's lock file; the OS releases it if this process dies.</summary>
    private static FileStream HoldBuildLock(string path)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                Thread.Sleep(BuildLockPollInterval);
            }
        }
    }

    private string PathOf(string fingerprint)
    {
        var o = options.Value;
        var folder = Path.GetFullPath(o.Directory ?? "data");
        return Path.Combine(folder, $"{FilePrefix}{fingerprint[..Math.Min(24, fingerprint.Length)]}{ConfigurationSuffix(o)}");
    }

    private static string ConfigurationSuffix(AnnOptions o) => $"-{o.Quantization}-m{o.Connectivity}{FileExtension}";

    /// <summary>A saved index's check file, or null when it is missing or unreadable.</summary>
    private static SavedIndex? ReadCheck(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<SavedIndex>(File.ReadAllText(path + CheckExtension));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>What is wrong with a saved index file for the expected content, or null when its check holds.</summary>
    private static string? Check(string path, string fingerprint, int count, int dimensions)
    {
        if (!File.Exists(path + CheckExtension))
            return "its check file is missing";
        var saved = ReadCheck(path);
        if (saved is null)
            return "its check file cannot be read";
        return saved.Fingerprint != fingerprint || saved.Count != count || saved.Dimensions != dimensions
            ? "its check file names other content"
            : Damage(path, saved);
    }

    /// <summary>How the saved file's bytes differ from those its check file recorded, or null when they match.</summary>
    private static string? Damage(string path, SavedIndex saved)
    {
        var length = new FileInfo(path).Length;
        if (length != saved.Bytes)
            return string.Create(CultureInfo.InvariantCulture, $"it is {length} bytes long, not {saved.Bytes}");
        return Hash(path) == saved.XxHash3 ? null : "its bytes do not match their checksum";
    }

    private static string Hash(string path)
    {
        var hash = new XxHash3();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 20, FileOptions.SequentialScan);
        hash.Append(stream);
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>Renames an unusable index file (and its check) beside itself; returns the new name.</summary>
    private string SetAside(string path)
    {
        var stamp = _time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var target = $"{path}.damaged-{stamp}";
        for (var n = 2; File.Exists(target); n++)
            target = $"{path}.damaged-{stamp}-{n}";
        try
        {
            File.Move(path, target);
            if (File.Exists(path + CheckExtension))
                File.Move(path + CheckExtension, target + CheckExtension, overwrite: true);
        }
        catch (IOException)
        {
            // Another process set it aside or replaced it first: whatever is there now is checked again on the next open.
        }

        return target;
    }

    private void RemoveStale(string folder, string current)
    {
        foreach (var file in Directory.EnumerateFiles(folder, FilePrefix + "*"))
        {
            var stale = file.EndsWith(FileExtension, StringComparison.Ordinal) || file.EndsWith(FileExtension + CheckExtension, StringComparison.Ordinal)
                    || file.EndsWith(FileExtension + BuildingExtension, StringComparison.Ordinal)
                ? !file.StartsWith(current, StringComparison.Ordinal)
                : file.Contains(".tmp", StringComparison.Ordinal) && _time.GetUtcNow() - File.GetLastWriteTimeUtc(file) > AbandonedAfter;
            if (!stale)
                continue;
            try
            {
                // A process still serving a stale index keeps its mapping: the file's pages live until it lets go.
                File.Delete(file);
            }
            catch (IOException e)
            {
                LogStaleKept(logger, file, e.Message);
            }
        }
    }

    private static float[] Vector(IDenseVectorSource vectors, int i)
    {
        var vector = new float[vectors.Dimensions];
        vectors.CopyVector(i, vector);
        return vector;
    }

    /// <summary>
    /// The check file's content. With the layout (absent from files of older versions), the next content's index can
    /// be brought up to date from this one; <see cref="RemovedSinceBuilt"/> counts the sentences updates have removed
    /// since it was last built whole.
    /// </summary>
    private sealed record SavedIndex(string Fingerprint, int Count, int Dimensions, long Bytes, string XxHash3)
    {
        public string? EmbeddingModelId { get; init; }

        public IReadOnlyList<DenseIndexArticle>? Articles { get; init; }

        public int RemovedSinceBuilt { get; init; }
    }

    /// <summary>A previous index brought up to date, and what it took.</summary>
    private sealed record Update(USearchIndex Index, string From, int Added, int Removed, int Relinked, int RemovedSinceBuilt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Built the approximate index of {Count} sentences ({Relinked} re-linked) in {Seconds:F1} s and saved it to {Path}")]
    private static partial void LogBuilt(ILogger logger, int count, int relinked, double seconds, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Updated the approximate index to {Count} sentences ({Added} added, {Removed} removed, {Relinked} re-linked) from {Previous} in {Seconds:F1} s and saved it to {Path}")]
    private static partial void LogUpdated(ILogger logger, int count, int added, int removed, int relinked, string previous, double seconds, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Building the approximate index whole: updating the previous one would add {Added} and remove {Removed} sentences ({RemovedSinceBuilt} removed since it was built whole) of {Count}")]
    private static partial void LogRebuilding(ILogger logger, int added, int removed, int removedSinceBuilt, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not update the approximate index {Previous} ({Reason}); building it whole")]
    private static partial void LogUpdateFailed(ILogger logger, string previous, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened the approximate index of {Count} sentences in {Seconds:F1} s from {Path}")]
    private static partial void LogLoaded(ILogger logger, int count, double seconds, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The approximate index {Path} cannot be used ({Reason}); set it aside as {SetAside} and rebuilding it")]
    private static partial void LogUnusable(ILogger logger, string path, string reason, string setAside);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This USearch version hides the index handle: Retrieval:Ann:ExpansionSearch is not applied to saved indexes, which search with the library's default of 64")]
    private static partial void LogSettingsIgnored(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the stale approximate index {Path}: {Reason}")]
    private static partial void LogStaleKept(ILogger logger, string path, string reason);
}
