using System.Diagnostics;
using System.Text;

namespace NewsBot.Tests.Support;

/// <summary>The built <c>newsbot</c> program as a child process: its output lines as they come, its exit code, signals.</summary>
public sealed class NewsBotProcess : IDisposable
{
    // A guard against a hung process, not a speed target: a loaded machine needs minutes for a first ingest.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(240);

    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();
    private readonly Lock _gate = new();

    private NewsBotProcess(Process process) => _process = process;

    public static NewsBotProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Start(MultiProcess.CliProcess.StartInfo(workingDirectory, environment, args));

    /// <summary>
    /// Like <see cref="Start(string, IReadOnlyDictionary{string, string}?, string[])"/>, but file permissions bind the
    /// process even when the tests run as root (as in CI), which otherwise reads and writes whatever it likes: it then
    /// runs under <c>setpriv</c> without the capabilities that override them.
    /// </summary>
    public static NewsBotProcess StartBoundByPermissions(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = MultiProcess.CliProcess.StartInfo(workingDirectory, environment, args);
        if (Environment.UserName is "root" or "0")
        {
            start.ArgumentList.Insert(0, start.FileName);
            foreach (var arg in new[] { "--bounding-set", "-dac_override,-dac_read_search", "--" }.Reverse())
                start.ArgumentList.Insert(0, arg);
            start.FileName = "setpriv"; // util-linux, on every Debian and Ubuntu
        }

        return Start(start);
    }

    /// <summary>
    /// Like <see cref="Start(string, IReadOnlyDictionary{string, string}?, string[])"/>, for a test that sends Ctrl-C
    /// (see <see cref="MultiProcess.CliProcess.Interruptible"/>).
    /// </summary>
    public static NewsBotProcess StartInterruptible(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Start(MultiProcess.CliProcess.Interruptible(MultiProcess.CliProcess.StartInfo(workingDirectory, environment, args)));

    private static NewsBotProcess Start(ProcessStartInfo start)
    {
        var process = new Process { StartInfo = start };
        var child = new NewsBotProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(child._out, e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(child._err, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public StreamWriter Input => _process.StandardInput;

    public string[] Out => Lines(_out);

    public string[] Err => Lines(_err);

    /// <summary>Waits until standard output has a line matching <paramref name="condition"/>.</summary>
    public Task WaitForOutputAsync(Func<string, bool> condition) => WaitForLineAsync(() => Out, "stdout", condition);

    /// <summary>Waits until standard error (where the logs go) has a line matching <paramref name="condition"/>.</summary>
    public Task WaitForErrorAsync(Func<string, bool> condition) => WaitForLineAsync(() => Err, "stderr", condition);

    private async Task WaitForLineAsync(Func<string[]> lines, string stream, Func<string, bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!lines().Any(condition))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"newsbot exited ({_process.ExitCode}) first; stderr: {string.Join(" | ", Err)}");
            if (clock.Elapsed > Patience)
                throw new TimeoutException($"newsbot printed no such line; {stream}: " + string.Join(" | ", lines()));
            await Task.Delay(50);
        }
    }

    /// <summary>Ctrl-C, as a terminal sends it (SIGINT).</summary>
    public void Interrupt() => Signal("INT");

    /// <summary>Sends the signal named as <c>kill</c> names it ("INT", "TERM").</summary>
    public void Signal(string name) => MultiProcess.CliProcess.Signal(_process.Id, name);

    public async Task<int> WaitForExitAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? Patience);
        await _process.WaitForExitAsync(timeout.Token);
        _process.WaitForExit(); // the output events of the last lines
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
            return;
        lock (_gate)
            target.Append(line).Append('\n');
    }

    private string[] Lines(StringBuilder source)
    {
        lock (_gate)
            return source.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
