using NewsBot.Discord.Tests.Emulator;
using NewsBot.Tests.MultiProcess;

namespace NewsBot.Discord.Tests;

/// <summary>
/// The <c>newsbot run</c> process against the emulator: a fatal Discord error ends it with a non-zero exit code, so that
/// a supervisor notices, and one line naming the setting to fix, never the token.
/// </summary>
public sealed class ProcessExitTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("newsbot-discord-run-");

    public void Dispose() => _root.Delete(recursive: true);

    private Dictionary<string, string> Settings(DiscordEmulator emulator, string token) => new()
    {
        ["NEWSBOT__Discord__Token"] = token,
        ["NEWSBOT__Discord__ApiBaseUrl"] = emulator.ApiBaseUrl.ToString(),
        ["NEWSBOT__Ingestion__SeedsPath"] = _root.CreateSubdirectory("seeds").FullName,
        ["NEWSBOT__Storage__IndexPath"] = Path.Combine(_root.FullName, "data", "newsbot.db"),
    };

    [Fact]
    public async Task A_token_the_REST_API_rejects_ends_the_process_with_exit_2_and_one_line_naming_the_HTTP_status()
    {
        await using var emulator = await DiscordEmulator.StartAsync();
        const string rejected = "MTE4MTIzOTQxMjc4NTk1ODkzMg.rejected.bot-token";

        await using var run = await CliProcess.RunAsync(_root.FullName, Settings(emulator, rejected), "run");

        Assert.True(run.HasExited, "newsbot run kept running after Discord rejected its token");
        Assert.True(run.ExitCode == 2, $"exit code {run.ExitCode}; stderr: " + string.Join("\n", run.Err));
        var line = Assert.Single(run.Err, l => l.Contains("Discord:Token", StringComparison.Ordinal));
        Assert.Contains("HTTP 401", line, StringComparison.Ordinal);
        Assert.DoesNotContain("close code", line, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Out.Concat(run.Err), l => l.Contains(rejected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gateway_close_code_4004_ends_the_process_with_exit_2_and_one_line_naming_the_close_code()
    {
        await using var emulator = await DiscordEmulator.StartAsync();
        await using var run = CliProcess.Start(_root.FullName, Settings(emulator, DiscordEmulator.Token), "run");
        await emulator.WaitUntilAsync(() => emulator.Current?.Ready == true, "READY", seconds: 120);

        await emulator.Current!.CloseAsync(4004);
        await run.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 2, $"exit code {run.ExitCode}; stderr: " + string.Join("\n", run.Err));
        var line = Assert.Single(run.Err, l => l.Contains("Discord:Token", StringComparison.Ordinal));
        Assert.Contains("close code 4004", line, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Out.Concat(run.Err), l => l.Contains(DiscordEmulator.Token, StringComparison.Ordinal));
    }
    [Theory]
    [InlineData("INT", 130, "interrupted")]
    [InlineData("TERM", 143, "terminated")]
    public async Task A_second_signal_while_stopping_waits_for_an_answer_ends_the_process_at_once_with_its_exit_code(string signal, int exitCode, string line)
    {
        await using var emulator = await DiscordEmulator.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var settings = Settings(emulator, DiscordEmulator.Token);
            settings["NEWSBOT__FrontEnds__StopDrainTime"] = "00:10:00";
            settings["NEWSBOT__Discord__Rest__RequestTimeout"] = "00:10:00";
            await using var run = CliProcess.StartInterruptible(_root.FullName, settings, "run");
            await emulator.WaitUntilAsync(() => emulator.Current?.Ready == true, "READY", seconds: 120);
            emulator.HoldMessages = release.Task;
            await emulator.DispatchAsync("MESSAGE_CREATE", Fixtures.Mention("why did the PMO decline the meeting?"));
            await emulator.WaitUntilAsync(() => emulator.HeldMessages == 1, "the answer on its way", seconds: 120);

            run.Signal(signal);
            await run.WaitForLineAsync(l => l == line, TimeSpan.FromSeconds(60));
            // The first signal stops gracefully: the gateway closes, and the answer on its way is waited for.
            await emulator.Current!.Ended.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(1000, emulator.Current.ClientCloseCode);
            Assert.False(run.HasExited);

            run.Signal(signal);
            var exited = await run.WaitForExitAsync(TimeSpan.FromSeconds(30)).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);

            Assert.True(exited, "the second signal did not end the process within 30 s; stderr: " + string.Join("\n", run.Err));
            Assert.True(run.ExitCode == exitCode, $"exit code {run.ExitCode}; stderr: " + string.Join("\n", run.Err));
            Assert.Empty(emulator.Messages);
        }
        finally
        {
            release.TrySetResult();
        }
    }
}
