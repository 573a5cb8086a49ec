using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Host.Hosting;
using NewsBot.Host.Operations;
using NewsBot.Ingestion;
using NewsBot.Storage.Sqlite;
using NewsBot.Telemetry;
using NewsBot.Testing.FrontEnds;
using NewsBot.Tests.Support;

namespace NewsBot.Tests;

/// <summary>Metrics, traces and the health endpoint, on the real engine and a real Kestrel listener on loopback.</summary>
public class OperationsTests(SeededIndexFixture seeded) : IClassFixture<SeededIndexFixture>
{
    private const string Answerable = "Why did the PMO decline the meeting?";
    private const string Unanswerable = "Who won the 2018 World Cup?";

    [Fact]
    public async Task Each_question_is_one_trace_of_answer_retrieve_and_verify()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == NewsBotTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await seeded.Host.Engine().AskAsync(new Question(Answerable));

        var question = stopped.Last(a => a.OperationName == "newsbot.question" && a.GetTagItem("newsbot.answered") is true);
        var trace = stopped.Where(a => a.TraceId == question.TraceId).ToList();
        var answer = Assert.Single(trace, a => a.OperationName == "newsbot.answer");
        var verify = Assert.Single(trace, a => a.OperationName == "newsbot.verify");
        var retrieve = Assert.Single(trace, a => a.OperationName == "newsbot.retrieve");
        Assert.Equal(question.SpanId, answer.ParentSpanId);
        Assert.Equal(question.SpanId, verify.ParentSpanId);
        Assert.Equal(answer.SpanId, retrieve.ParentSpanId);
        Assert.True(answer.StartTimeUtc <= verify.StartTimeUtc);
    }

    [Fact]
    public async Task Questions_are_counted_as_answered_or_refused_and_timed()
    {
        var counts = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == NewsBotTelemetry.Name)
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => counts.AddOrUpdate(instrument.Name, value, (_, old) => old + value));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => counts.AddOrUpdate(instrument.Name, 1, (_, old) => old + 1));
        listener.Start();

        await seeded.Host.Engine().AskAsync(new Question(Answerable));
        await seeded.Host.Engine().AskAsync(new Question(Unanswerable));

        Assert.True(counts.GetValueOrDefault("newsbot.questions.asked") >= 2);
        Assert.True(counts.GetValueOrDefault("newsbot.questions.answered") >= 1);
        Assert.True(counts.GetValueOrDefault("newsbot.questions.refused") >= 1);
        Assert.True(counts.GetValueOrDefault("newsbot.answer.duration") >= 2);
    }

    [Fact]
    public async Task Healthz_is_503_until_an_index_is_loaded_then_200_with_its_version_counts_and_freshness_and_metrics_are_served()
    {
        using var workspace = new Workspace();
        var gate = new TaskCompletionSource();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        using var host = workspace.BuildHost(
            settings: new Dictionary<string, string?>
            {
                ["Health:ListenUrl"] = "http://127.0.0.1:0",
                // The follower's check waits on the store's real clock and confirms the index at the fake "now": one landing
                // between the advance and the scrape below would read a refresh age of 0. An hour keeps it out of the test.
                ["Storage:CheckIntervalSeconds"] = "3600",
            },
            configure: builder =>
            {
                FrontEnds.Add(builder);
                builder.Services.RemoveAll<IIndexStore>();
                builder.Services.AddSingleton<IIndexStore>(new GatedStore(new SqliteIndexStore(workspace.IndexPath), opened: gate.Task));
                builder.Services.RemoveAll<TimeProvider>();
                builder.Services.AddSingleton<TimeProvider>(time);
            });
        await host.StartAsync();
        try
        {
            // The fake clock stands still until the advance below: the index is loaded at its start.
            using var probe = new HealthProbe(host);

            var (status, health) = await probe.ReadAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("loading", health.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, health.GetProperty("loadedAt").ValueKind);
            Assert.Empty(health.GetProperty("problems").EnumerateArray());

            gate.SetResult();
            (status, health) = await probe.WaitForAsync((code, body) => code == HttpStatusCode.OK && body.GetProperty("sources").GetInt32() == 1);

            Assert.Equal("ok", health.GetProperty("status").GetString());
            Assert.Equal(1, health.GetProperty("indexVersion").GetInt64());
            Assert.True(health.GetProperty("sentences").GetInt32() > 20);
            Assert.Equal(time.GetUtcNow(), health.GetProperty("loadedAt").GetDateTimeOffset());
            Assert.Equal(time.GetUtcNow(), health.GetProperty("lastRefreshAt").GetDateTimeOffset());
            Assert.Empty(health.GetProperty("problems").EnumerateArray());

            await host.Engine().AskAsync(new Question(Answerable));
            time.Advance(TimeSpan.FromSeconds(90));
            Assert.Equal(90, await probe.MetricAsync("newsbot_index_age_seconds"));
            Assert.Equal(90, await probe.MetricAsync("newsbot_index_refresh_age_seconds"));
            Assert.Equal(0, await probe.MetricAsync("newsbot_index_degraded"));
            var metrics = await probe.MetricsAsync();
            Assert.Contains("newsbot_questions_asked_total", metrics, StringComparison.Ordinal);
            Assert.Contains("newsbot_answer_duration_seconds_bucket", metrics, StringComparison.Ordinal);
            Assert.Contains("newsbot_index_version", metrics, StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Healthz_is_503_while_a_crashed_front_end_waits_for_its_restart_and_200_once_it_runs_again()
    {
        using var workspace = new Workspace();
        var crash = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var frontEnd = new ScriptedFrontEnd("Scripted", async ct =>
        {
            await crash.Task.WaitAsync(ct);
            throw new InvalidOperationException("unexpected payload");
        });
        using var host = workspace.BuildHost(
            settings: new Dictionary<string, string?>
            {
                ["Health:ListenUrl"] = "http://127.0.0.1:0",
                // Long enough for the test to see the front end down, short enough to see it come back.
                ["FrontEnds:RestartDelayMin"] = "00:00:02",
                ["FrontEnds:RestartDelayMax"] = "00:00:02",
            },
            configure: builder =>
            {
                FrontEnds.Add(builder);
                builder.Services.AddSingleton<IChatFrontEnd>(frontEnd);
                builder.Services.AddChatFrontEndRunner();
            });
        await host.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = host.Services.GetRequiredService<HealthEndpoint>().Address!, Timeout = TimeSpan.FromSeconds(30) };

            var (status, health) = await PollHealthAsync(http, (code, body) => code == HttpStatusCode.OK);
            Assert.Equal("ok", health.GetProperty("status").GetString());
            Assert.Equal("running", FrontEndOf(health).GetProperty("state").GetString());
            Assert.Equal(0, FrontEndOf(health).GetProperty("crashes").GetInt32());

            crash.SetResult();
            (status, health) = await PollHealthAsync(http, (_, body) => FrontEndOf(body).GetProperty("state").GetString() != "running");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("restarting", health.GetProperty("status").GetString());
            var down = FrontEndOf(health);
            Assert.Equal("Scripted", down.GetProperty("name").GetString());
            Assert.Equal("restarting", down.GetProperty("state").GetString());
            Assert.Equal(1, down.GetProperty("crashes").GetInt32());
            Assert.Equal(nameof(InvalidOperationException), down.GetProperty("lastError").GetString());
            Assert.True(down.GetProperty("restartAt").GetDateTimeOffset() > down.GetProperty("lastCrashAt").GetDateTimeOffset());

            (status, health) = await PollHealthAsync(http, (_, body) => FrontEndOf(body).GetProperty("state").GetString() != "restarting");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("ok", health.GetProperty("status").GetString());
            var up = FrontEndOf(health);
            Assert.Equal("running", up.GetProperty("state").GetString());
            Assert.Equal(1, up.GetProperty("crashes").GetInt32());
            Assert.Equal(down.GetProperty("lastCrashAt").GetDateTimeOffset(), up.GetProperty("lastCrashAt").GetDateTimeOffset());
            await frontEnd.Serving.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Healthz_says_degraded_with_200_while_the_last_ingest_could_read_no_seed_file_and_ok_after_one_that_could()
    {
        using var workspace = new Workspace(withSeed: false);
        workspace.Write("broken.txt", []);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        using var host = workspace.BuildHost(
            settings: new Dictionary<string, string?> { ["Health:ListenUrl"] = "http://127.0.0.1:0" },
            configure: builder =>
            {
                FrontEnds.Add(builder);
                builder.Services.RemoveAll<TimeProvider>();
                builder.Services.AddSingleton<TimeProvider>(time);
            });
        await host.StartAsync();
        try
        {
            using var probe = new HealthProbe(host);
            // The empty stored index is served first (ok); the ingest after it finds nothing it can read.
            var (status, health) = await probe.WaitForStatusAsync("degraded");

            Assert.Equal(HttpStatusCode.OK, status);
            var problem = Assert.Single(health.GetProperty("problems").EnumerateArray().ToList());
            Assert.Equal("ingestFailed", problem.GetProperty("kind").GetString());
            Assert.Equal("none of the 1 seed files could be read (broken.txt: file is empty (or not a regular file))", problem.GetProperty("reason").GetString());
            Assert.Equal(time.GetUtcNow(), problem.GetProperty("since").GetDateTimeOffset());
            Assert.Equal(1, await probe.MetricAsync("newsbot_index_degraded"));

            File.Copy(Workspace.SeedSourcePath, Path.Combine(workspace.Seeds, Workspace.SeedId + ".txt"));
            await host.IngestAsync();
            (status, health) = await probe.ReadAsync();

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("ok", health.GetProperty("status").GetString());
            Assert.Equal(1, health.GetProperty("sources").GetInt32());
            Assert.Empty(health.GetProperty("problems").EnumerateArray());
            Assert.Equal(0, await probe.MetricAsync("newsbot_index_degraded"));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Healthz_of_a_follower_finding_its_SQLite_file_damaged_says_damaged_keeps_serving_and_leaves_the_file_to_the_leader()
    {
        using var workspace = new Workspace();
        using (var first = workspace.BuildHost())
            await first.IngestAsync();
        using var follower = workspace.BuildHost(
            settings: new Dictionary<string, string?>
            {
                ["Ingestion:Enabled"] = "false",
                ["Storage:CheckIntervalSeconds"] = "1",
                ["Health:ListenUrl"] = "http://127.0.0.1:0",
            },
            configure: FrontEnds.Add);
        await follower.StartAsync();
        try
        {
            using var probe = new HealthProbe(follower);
            await probe.WaitForAsync((_, body) => body.GetProperty("status").GetString() == "ok" && body.GetProperty("sources").GetInt32() == 1);
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={workspace.IndexPath};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "DROP TABLE chunks";
                await command.ExecuteNonQueryAsync();
            }

            await probe.WaitForStatusAsync("degraded");
            await Task.Delay(TimeSpan.FromSeconds(3)); // several checks, each finding the damage again
            var (status, health) = await probe.ReadAsync();

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("degraded", health.GetProperty("status").GetString());
            Assert.Equal(1, health.GetProperty("sources").GetInt32());
            var problem = Assert.Single(health.GetProperty("problems").EnumerateArray().ToList());
            Assert.Equal("damaged", problem.GetProperty("kind").GetString());
            Assert.Contains("is damaged (its table chunks is missing); an ingest (newsbot ingest", problem.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.True(File.Exists(workspace.IndexPath));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(workspace.IndexPath)!, "newsbot.db.damaged-*"));
            Assert.True((await follower.Engine().AskAsync(new Question(Answerable))).Answered);

            // The leader (a scheduled newsbot ingest) holds the ingest lock: it sets the file aside and rebuilds it.
            using (var leader = workspace.BuildHost())
                Assert.Equal(1, (await leader.IngestAsync()).Added);
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(workspace.IndexPath)!, "newsbot.db.damaged-*"), f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));
            (status, health) = await probe.WaitForStatusAsync("ok");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(1, health.GetProperty("sources").GetInt32());
        }
        finally
        {
            await follower.StopAsync();
        }
    }

    private static JsonElement FrontEndOf(JsonElement health) => Assert.Single(health.GetProperty("frontEnds").EnumerateArray().ToList());

    /// <summary>Reads /healthz every 20 ms (at most 30 s) until <paramref name="done"/>; returns the last answer.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body)> PollHealthAsync(HttpClient http, Func<HttpStatusCode, JsonElement, bool> done)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            if (done(response.StatusCode, body) || attempt == 1500)
                return (response.StatusCode, body);
            await Task.Delay(20);
        }
    }
}
