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

    public IApproximateDenseIndex Open(string fingerprint, IDenseVectorSource vectors)
    {
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
        try
        {
            using (var built = Build(vectors, o))
                built.Save(temporary);

            var check = new SavedIndex(fingerprint, vectors.Count, vectors.Dimensions, new FileInfo(temporary).Length, Hash(temporary));
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
        LogBuilt(logger, vectors.Count, watch.Elapsed.TotalSeconds, path);
        return new UsearchDenseIndex(Map(path), vectors.Count);
    }

    /// <summary>Maps a saved index with this configuration's search breadth (the file keeps none of its own).</summary>
    private USearchIndex Map(string path)
    {
        var index = new USearchIndex(path, view: true);
        if (!UsearchNative.Available)
        {
            LogSettingsIgnored(logger);
            return index;
        }

        var o = options.Value;
        try
        {
            UsearchNative.SetExpansion(index, o.ExpansionAdd, o.ExpansionSearch);
        }
        catch
        {
            index.Dispose();
            throw;
        }

        return index;
    }

    internal static USearchIndex Build(IDenseVectorSource vectors, AnnOptions o)
    {
        var index = new USearchIndex(
            MetricKind.Cos, o.Quantization == "f16" ? ScalarKind.Float16 : ScalarKind.Int8, (ulong)vectors.Dimensions,
            (ulong)o.Connectivity, (ulong)o.ExpansionAdd, (ulong)o.ExpansionSearch);
        try
        {
            if (vectors.Count == 0)
                return index;
            if (IncreaseCapacity is null)
            {
                for (var i = 0; i < vectors.Count; i++)
                    index.Add((ulong)i, Vector(vectors, i));
                return index;
            }

            IncreaseCapacity.Invoke(index, [(ulong)vectors.Count]);
            Parallel.For(
                0, vectors.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                () => new float[vectors.Dimensions],
                (i, _, buffer) =>
                {
                    vectors.CopyVector(i, buffer);
                    index.Add((ulong)i, buffer);
                    return buffer;
                },
                _ => { });
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
        return Path.Combine(folder, $"{FilePrefix}{fingerprint[..Math.Min(24, fingerprint.Length)]}-{o.Quantization}-m{o.Connectivity}{FileExtension}");
    }

    /// <summary>What is wrong with a saved index file for the expected content, or null when its check holds.</summary>
    private static string? Check(string path, string fingerprint, int count, int dimensions)
    {
        if (!File.Exists(path + CheckExtension))
            return "its check file is missing";
        var saved = JsonSerializer.Deserialize<SavedIndex>(File.ReadAllText(path + CheckExtension));
        if (saved is null || saved.Fingerprint != fingerprint || saved.Count != count || saved.Dimensions != dimensions)
            return "its check file names other content";
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

    /// <summary>The check file's content.</summary>
    private sealed record SavedIndex(string Fingerprint, int Count, int Dimensions, long Bytes, string XxHash3);

    [LoggerMessage(Level = LogLevel.Information, Message = "Built the approximate index of {Count} sentences in {Seconds:F1} s and saved it to {Path}")]
    private static partial void LogBuilt(ILogger logger, int count, double seconds, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened the approximate index of {Count} sentences in {Seconds:F1} s from {Path}")]
    private static partial void LogLoaded(ILogger logger, int count, double seconds, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The approximate index {Path} cannot be used ({Reason}); set it aside as {SetAside} and rebuilding it")]
    private static partial void LogUnusable(ILogger logger, string path, string reason, string setAside);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This USearch version hides the index handle: Retrieval:Ann:ExpansionSearch is not applied to saved indexes, which search with the library's default of 64")]
    private static partial void LogSettingsIgnored(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the stale approximate index {Path}: {Reason}")]
    private static partial void LogStaleKept(ILogger logger, string path, string reason);
}
