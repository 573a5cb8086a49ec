using NewsBot.Host.Benchmarks;
using NewsBot.Telemetry;

namespace NewsBot.Tests;

public class StageTimesTests
{
    [Fact]
    public void Stages_are_listed_in_the_order_they_start_nested_under_their_parents_with_calls_per_ask()
    {
        using var stages = new StageTimes();
        for (var ask = 0; ask < 4; ask++)
        {
            using var question = NewsBotTelemetry.ActivitySource.StartActivity("test.question");
            using (NewsBotTelemetry.ActivitySource.StartActivity("test.retrieve"))
                Thread.Sleep(2);
            for (var read = 0; read < 2; read++)
            {
                using (NewsBotTelemetry.ActivitySource.StartActivity("test.read"))
                    Thread.Sleep(1);
            }
        }

        var summary = stages.Summary(asks: 4).Where(s => s.Name.StartsWith("test.", StringComparison.Ordinal)).ToList();

        Assert.Equal(["test.question", "test.retrieve", "test.read"], summary.Select(s => s.Name));
        Assert.Equal([0, 1, 1], summary.Select(s => s.Depth));
        Assert.Equal([1.0, 1.0, 2.0], summary.Select(s => s.CallsPerAsk));
        Assert.True(summary[1].P50Ms >= 2, $"retrieve p50 {summary[1].P50Ms} ms");
        Assert.True(summary[2].MeanPerAskMs >= 1.9, $"two reads of at least 1 ms per ask add up, got {summary[2].MeanPerAskMs} ms");
        Assert.True(summary[0].MeanPerAskMs >= summary[1].MeanPerAskMs + summary[2].MeanPerAskMs);
    }
}
