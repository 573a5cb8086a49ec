using System.Diagnostics;
using System.Globalization;
using System.Text;
using NewsBot.Telemetry;

namespace NewsBot.Host.Benchmarks;

/// <summary>
/// Where warm asks spend their time: while it listens, the duration of every NewsBot trace span (question, answer,
/// retrieval, question embedding, ranking, the reader's pairs, tensors, ONNX run and span decoding, verification),
/// by name. The spans are the ones OpenTelemetry exports, so the breakdown is of the code that ships.
/// </summary>
internal sealed class StageTimes : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly Dictionary<string, (int Depth, List<double> Milliseconds)> _stages = [];
    private readonly Lock _lock = new();

    public StageTimes()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == NewsBotTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = Started,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Per stage, in the order stages first started: mean and median milliseconds, and calls per ask.</summary>
    public IReadOnlyList<StageTime> Summary(int asks)
    {
        lock (_lock)
        {
            return [.. _stages.Select(s =>
            {
                var sorted = s.Value.Milliseconds.Order().ToList();
                return new StageTime(
                    s.Key, s.Value.Depth, sorted.Sum() / asks, Evaluation.EvalMetrics.Percentile(sorted, 0.5), (double)sorted.Count / asks,
                    Evaluation.EvalMetrics.Percentile(sorted, 0.99));
            })];
        }
    }

    public static string Text(IReadOnlyList<StageTime> stages)
    {
        var text = new StringBuilder("  stage (spans)                  ms per ask   p50 ms   calls per ask\n");
        foreach (var s in stages)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"  {(new string(' ', 2 * s.Depth) + s.Name),-30} {s.MeanPerAskMs,10:F2} {s.P50Ms,8:F2} {s.CallsPerAsk,15:F2}\n");
        }

        return text.ToString().TrimEnd();
    }

    public void Dispose() => _listener.Dispose();

    private void Started(Activity activity)
    {
        var depth = 0;
        for (var parent = activity.Parent; parent is not null && parent.Source.Name == NewsBotTelemetry.Name; parent = parent.Parent)
            depth++;
        lock (_lock)
            _stages.TryAdd(activity.OperationName, (depth, []));
    }

    private void Stopped(Activity activity)
    {
        lock (_lock)
        {
            if (_stages.TryGetValue(activity.OperationName, out var stage))
                stage.Milliseconds.Add(activity.Duration.TotalMilliseconds);
        }
    }
}

/// <param name="MeanPerAskMs">Total time in the stage divided by the asks: what it adds to an average ask.</param>
/// <param name="P50Ms">Median of one call.</param>
/// <param name="P99Ms">99th percentile of one call.</param>
internal sealed record StageTime(string Name, int Depth, double MeanPerAskMs, double P50Ms, double CallsPerAsk, double P99Ms);
