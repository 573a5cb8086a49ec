using System.Diagnostics;
using System.Text.Json;

namespace NewsBot.Tests.Scale;

/// <summary><c>bench --scale</c> and the scale settings, through the built <c>newsbot</c> program.</summary>
public sealed class ScaleBenchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("newsbot-scale-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Bench_scale_prints_its_figures_for_a_small_archive_past_the_threshold()
    {
        var (exitCode, stdout, stderr) = await RunAsync(("NEWSBOT__Retrieval__AnnThreshold", "1000"), "bench", "--scale", "3000", "--json");

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var r = json.RootElement;
        Assert.Equal(3000, r.GetProperty("sentences").GetInt32());
        Assert.True(r.GetProperty("approximate").GetBoolean());
        foreach (var figure in new[] { "storeSeconds", "buildSeconds", "loadSeconds", "askP50Ms", "askP99Ms", "peakWorkingSetMb", "buildPeakWorkingSetMb", "reloadSeconds", "reloadAddedSentences", "stage:newsbot.embed:p50Ms", "stage:newsbot.rank:p50Ms" })
            Assert.True(r.GetProperty(figure).GetDouble() > 0, figure);
        Assert.True(r.GetProperty("askP99Ms").GetDouble() >= r.GetProperty("askP50Ms").GetDouble());
        // Questions are made from the archive's sentences: most answers quote the very sentence first.
        Assert.True(r.GetProperty("firstCitationIsSourceShare").GetDouble() > 0.8, stdout);
    }

    [Fact]
    public async Task A_threshold_below_a_thousand_sentences_is_a_configuration_error_naming_the_key()
    {
        var (exitCode, _, stderr) = await RunAsync(("NEWSBOT__Retrieval__AnnThreshold", "10"), "sources");

        Assert.Equal(2, exitCode);
        Assert.Contains("Retrieval:AnnThreshold", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_scale_refuses_a_size_out_of_range()
    {
        var (exitCode, _, stderr) = await RunAsync(("NEWSBOT__Retrieval__AnnThreshold", "1000"), "bench", "--scale", "5");

        Assert.Equal(2, exitCode);
        Assert.Contains("--scale", stderr, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync((string Key, string Value) setting, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "newsbot.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("NEWSBOT__", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["NEWSBOT__Storage__IndexPath"] = Path.Combine(_folder, "data", "newsbot.db");
        start.Environment["NEWSBOT__Ingestion__SeedsPath"] = _folder;
        start.Environment[setting.Key] = setting.Value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Generous: the machine running the tests may be busy; the bench itself asserts nothing about time.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
