using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace NewsBot.Tests.MultiProcess;

/// <summary>
/// The built <c>newsbot</c> program as a child process that may run for a while (chat, ingest), with its output
/// lines collected as they come, so a test can wait for one, write to its input, or kill it with SIGKILL.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _out = [];
    private readonly List<string> _err = [];
    private readonly SemaphoreSlim _changed = new(0);

    private CliProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Collect(_out, e.Data);
        process.ErrorDataReceived += (_, e) => Collect(_err, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Out => Snapshot(_out);

    public IReadOnlyList<string> Err => Snapshot(_err);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static CliProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        new(Process.Start(StartInfo(workingDirectory, environment, args))!);

    /// <summary>Like <see cref="Start"/>, for a test that sends Ctrl-C (see <see cref="Interruptible"/>).</summary>
    public static CliProcess StartInterruptible(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        new(Process.Start(Interruptible(StartInfo(workingDirectory, environment, args)))!);

    /// <summary>
    /// <paramref name="start"/> for a test that sends Ctrl-C: a test run started in the background by a script
    /// (<c>nohup … &amp;</c>) passes an ignored SIGINT down to every child, as shells do for background jobs, and the
    /// program honours that. <c>env --default-signal</c> (coreutils) gives the child Ctrl-C's default, so the test
    /// measures NewsBot rather than how the tests were launched.
    /// </summary>
    public static ProcessStartInfo Interruptible(ProcessStartInfo start)
    {
        start.ArgumentList.Insert(0, start.FileName);
        start.ArgumentList.Insert(0, "--default-signal=INT");
        start.FileName = "env";
        return start;
    }

    /// <summary>Sends the signal named as <c>kill</c> names it ("INT", "TERM").</summary>
    public void Signal(string name) => Signal(_process.Id, name);

    /// <summary>Sends the signal named as <c>kill</c> names it ("INT", "TERM") to <paramref name="processId"/>.</summary>
    public static void Signal(int processId, string name)
    {
        using var kill = Process.Start("kill", ["-" + name, processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
            throw new InvalidOperationException($"kill -{name} exited {kill.ExitCode}");
    }

    /// <summary>The built program: beside the tests, unless the test project names another copy (see NewsBot.Discord.Tests.csproj).</summary>
    private static string Program =>
        typeof(CliProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "NewsBotProgram")?.Value
            ?? Path.Combine(AppContext.BaseDirectory, "newsbot.dll");

    /// <summary>
    /// <c>dotnet newsbot.dll ARGS</c> in <paramref name="workingDirectory"/>, all streams redirected, with no
    /// NEWSBOT__ variable of the test run's own environment but those in <paramref name="environment"/>.
    /// </summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Program);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("NEWSBOT__", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        return start;
    }

    /// <summary>Runs a command to its end (closing its input at once) and returns its exit code.</summary>
    public static async Task<CliProcess> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var process = Start(workingDirectory, environment, args);
        process._process.StandardInput.Close();
        await process.WaitForExitAsync(TimeSpan.FromSeconds(180));
        return process;
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit(); // drains the asynchronous output readers
    }

    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits until an output line (standard output or error) matches, or fails after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, int skip = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = Out.Concat(Err).Skip(skip).FirstOrDefault(match);
            if (found is not null)
                return found;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || (HasExited && !await _changed.WaitAsync(TimeSpan.FromMilliseconds(200))))
                throw new TimeoutException($"No matching line. Out: {string.Join(" | ", Out)} Err: {string.Join(" | ", Err)}");
            await _changed.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a machine or the OOM killer stops the process.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _changed.Dispose();
    }

    private void Collect(List<string> lines, string? line)
    {
        if (line is null)
            return;
        lock (lines)
            lines.Add(line);
        _changed.Release();
    }

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines)
            return [.. lines];
    }
}
