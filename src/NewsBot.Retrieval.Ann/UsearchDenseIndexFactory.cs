using System.Diagnostics;
using System.Reflection;
using Cloud.Unum.USearch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NewsBot.Retrieval.Ann;

/// <summary>
/// Builds a snapshot's HNSW index in parallel, saves it beside the store under the snapshot's fingerprint, and on
/// the next start loads it instead of rebuilding. A file of another fingerprint is stale and is deleted once the
/// new index is saved; a file that cannot be loaded is rebuilt.
/// </summary>
public sealed partial class UsearchDenseIndexFactory(IOptions<AnnOptions> options, ILogger<UsearchDenseIndexFactory> logger) : IApproximateDenseIndexFactory
{
    private const string FilePrefix = "newsbot-ann-";
    private const string FileExtension = ".usearch";

    // USearchIndex reserves room one vector at a time when adding, which makes a large build quadratic and serial;
    // reserving the whole capacity first lets adds run in parallel. The wrapper keeps that call private.
    private static readonly MethodInfo? IncreaseCapacity =
        typeof(USearchIndex).GetMethod("IncreaseCapacity", BindingFlags.NonPublic | BindingFlags.Instance);

    public IApproximateDenseIndex Open(string fingerprint, IDenseVectorSource vectors)
    {
        var o = options.Value;
        var folder = Path.GetFullPath(o.Directory ?? "data");
        var path = Path.Combine(folder, $"{FilePrefix}{fingerprint[..Math.Min(24, fingerprint.Length)]}-{o.Quantization}-m{o.Connectivity}{FileExtension}");
        if (File.Exists(path) && TryLoad(path, vectors) is { } loaded)
            return loaded;

        var watch = Stopwatch.StartNew();
        var index = Build(vectors, o);
        Directory.CreateDirectory(folder);
        var temporary = path + ".tmp";
        index.Save(temporary);
        File.Move(temporary, path, overwrite: true);
        RemoveStale(folder, path);
        LogBuilt(logger, vectors.Count, watch.Elapsed.TotalSeconds, path);
        return new UsearchDenseIndex(index, vectors.Count);
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

    private UsearchDenseIndex? TryLoad(string path, IDenseVectorSource vectors)
    {
        var watch = Stopwatch.StartNew();
        USearchIndex? index = null;
        try
        {
            index = new USearchIndex(path);
            if (index.Size() != (ulong)vectors.Count || index.Dimensions() != (ulong)vectors.Dimensions)
                throw new USearchException($"it holds {index.Size()} vectors of {index.Dimensions()} dimensions, not {vectors.Count} of {vectors.Dimensions}");
            LogLoaded(logger, vectors.Count, watch.Elapsed.TotalSeconds, path);
            return new UsearchDenseIndex(index, vectors.Count);
        }
        catch (USearchException e)
        {
            index?.Dispose();
            LogUnreadable(logger, path, e.Message);
            File.Delete(path);
            return null;
        }
    }

    private void RemoveStale(string folder, string current)
    {
        foreach (var file in Directory.EnumerateFiles(folder, FilePrefix + "*" + FileExtension))
        {
            if (string.Equals(Path.GetFullPath(file), current, StringComparison.Ordinal))
                continue;
            try
            {
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Built the approximate index of {Count} sentences in {Seconds:F1} s and saved it to {Path}")]
    private static partial void LogBuilt(ILogger logger, int count, double seconds, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded the approximate index of {Count} sentences in {Seconds:F1} s from {Path}")]
    private static partial void LogLoaded(ILogger logger, int count, double seconds, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The approximate index {Path} could not be used ({Reason}); rebuilding it")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the stale approximate index {Path}: {Reason}")]
    private static partial void LogStaleKept(ILogger logger, string path, string reason);
}
