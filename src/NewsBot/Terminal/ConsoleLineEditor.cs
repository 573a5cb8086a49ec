using System.Text;

namespace NewsBot.Host.Cli;

/// <summary>The terminal a line editor draws on: keys in (not echoed), text out, and how wide a line is.</summary>
internal interface ITerminal
{
    ConsoleKeyInfo ReadKey();

    void Write(string text);

    int Width { get; }
}

/// <summary>The process's own terminal.</summary>
internal sealed class SystemTerminal : ITerminal
{
    /// <summary>
    /// True when both standard input and output are a terminal that understands cursor movement; otherwise the chat
    /// reads plain lines (piped input, tests, TERM=dumb).
    /// </summary>
    public static bool SupportsEditing =>
        !Console.IsInputRedirected && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not ("dumb" or "");

    public ConsoleKeyInfo ReadKey() => Console.ReadKey(intercept: true);

    public void Write(string text)
    {
        Console.Out.Write(text);
        Console.Out.Flush();
    }

    public int Width => Console.WindowWidth is > 0 and var width ? width : 80;
}

/// <summary>
/// A one-line editor for the terminal chat: Left/Right, Home/End (and Ctrl-A/Ctrl-E), Backspace/Delete, Ctrl-U/Ctrl-K,
/// Up/Down through the lines entered before, Enter to submit and Ctrl-D on an empty line for the end of input.
/// A line longer than the terminal scrolls sideways under the cursor instead of wrapping, so redrawing it is one
/// carriage return and one ANSI erase, as linenoise does. Log lines written meanwhile go above the prompt, which is
/// drawn again with what was typed. Hand-written because no served line-editing library fits: RadLine 0.6.0 (the only
/// one served) is a 2022 preview built against Spectre.Console 0.43, and offers no way to print above its prompt.
/// </summary>
internal sealed class ConsoleLineEditor(ITerminal terminal, int historySize = 200)
{
    private const string EraseToEnd = "\u001b[K";

    private readonly Lock _gate = new();
    private readonly List<string> _history = [];
    private readonly StringBuilder _line = new();
    private string _prompt = string.Empty;
    private int _cursor;
    private int _scroll;
    private bool _editing;

    public IReadOnlyList<string> History
    {
        get
        {
            lock (_gate)
                return [.. _history];
        }
    }

    /// <summary>
    /// The next line, or null at the end of input. Keys are read on a pool thread; a cancelled wait leaves that
    /// thread blocked on the terminal, which is fine as the process is stopping by then.
    /// </summary>
    public async Task<string?> ReadLineAsync(string prompt, CancellationToken cancellationToken)
    {
        try
        {
            return await Task.Run(() => ReadLine(prompt), CancellationToken.None).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: what comes next (the one line saying so) starts on a row of its own.
            lock (_gate)
            {
                if (_editing)
                    terminal.Write("\r\n");
                _editing = false;
            }

            throw;
        }
    }

    public string? ReadLine(string prompt)
    {
        lock (_gate)
        {
            (_prompt, _cursor, _scroll, _editing) = (prompt, 0, 0, true);
            _line.Clear();
            Render();
        }

        var browsing = new HistoryBrowser(History);
        while (true)
        {
            var key = terminal.ReadKey();
            lock (_gate)
            {
                if (Apply(key, browsing) is { } done)
                {
                    _editing = false;
                    terminal.Write("\r\n");
                    if (done.Line is { Length: > 0 } line && (_history.Count == 0 || _history[^1] != line))
                    {
                        _history.Add(line);
                        if (_history.Count > historySize)
                            _history.RemoveAt(0);
                    }

                    return done.Line;
                }

                Render();
            }
        }
    }

    /// <summary>
    /// Prints a line above the prompt while a line is being edited, then draws the prompt again; otherwise writes it to
    /// <paramref name="whenIdle"/> (standard error for log lines) under the same lock, so it never lands inside a prompt.
    /// </summary>
    public void WriteAbove(string text, TextWriter whenIdle)
    {
        lock (_gate)
        {
            if (!_editing)
            {
                whenIdle.WriteLine(text);
                whenIdle.Flush();
                return;
            }

            terminal.Write("\r" + EraseToEnd + text.ReplaceLineEndings("\r\n") + "\r\n");
            Render();
        }
    }

    private sealed record Done(string? Line);

    /// <summary>Applies one key; a finished line (or the end of input) when the key ends the edit.</summary>
    private Done? Apply(ConsoleKeyInfo key, HistoryBrowser browsing)
    {
        var control = key.Modifiers.HasFlag(ConsoleModifiers.Control);
        switch (key.Key)
        {
            case ConsoleKey.Enter:
                return new Done(_line.ToString());
            case ConsoleKey.D when control:
                if (_line.Length == 0)
                    return new Done(null);
                Delete(_cursor, Step(forward: true));
                break;
            case ConsoleKey.Backspace:
                var back = Step(forward: false);
                _cursor -= back;
                Delete(_cursor, back);
                break;
            case ConsoleKey.Delete:
                Delete(_cursor, Step(forward: true));
                break;
            case ConsoleKey.LeftArrow:
                _cursor -= Step(forward: false);
                break;
            case ConsoleKey.RightArrow:
                _cursor += Step(forward: true);
                break;
            case ConsoleKey.Home:
            case ConsoleKey.A when control:
                _cursor = 0;
                break;
            case ConsoleKey.End:
            case ConsoleKey.E when control:
                _cursor = _line.Length;
                break;
            case ConsoleKey.U when control:
                Delete(0, _cursor);
                _cursor = 0;
                break;
            case ConsoleKey.K when control:
                Delete(_cursor, _line.Length - _cursor);
                break;
            case ConsoleKey.UpArrow:
                Replace(browsing.Previous(_line.ToString()));
                break;
            case ConsoleKey.DownArrow:
                Replace(browsing.Next());
                break;
            default:
                if (key.KeyChar != '\0' && (!char.IsControl(key.KeyChar) || key.KeyChar == '\t'))
                {
                    _line.Insert(_cursor, key.KeyChar == '\t' ? ' ' : key.KeyChar);
                    _cursor++;
                }

                break;
        }

        return null;
    }

    /// <summary>How many chars one step covers from the cursor: one whole character (an emoji, a letter with its combining accent), none at an end.</summary>
    private int Step(bool forward)
    {
        var text = _line.ToString();
        return forward ? TerminalColumns.Next(text, _cursor) - _cursor : _cursor - TerminalColumns.Previous(text, _cursor);
    }

    private void Delete(int at, int count)
    {
        if (count > 0)
            _line.Remove(at, count);
    }

    private void Replace(string? text)
    {
        if (text is null)
            return;
        _line.Clear().Append(text);
        _cursor = _line.Length;
    }

    /// <summary>Draws prompt and line from the start of the row, scrolled so the cursor stays on screen; widths in columns.</summary>
    private void Render()
    {
        var text = _line.ToString();
        var prompt = TerminalColumns.Of(_prompt);
        var room = Math.Max(1, terminal.Width - prompt - 1);
        if (_cursor < _scroll)
            _scroll = _cursor;
        for (var shown = TerminalColumns.Of(text.AsSpan(_scroll, _cursor - _scroll)); shown > room;)
        {
            var next = TerminalColumns.Next(text, _scroll);
            shown -= TerminalColumns.Of(text.AsSpan(_scroll, next - _scroll));
            _scroll = next;
        }

        // Scrolled back as far as the rest of the line allows, so that deleting at the end shows more of its start.
        while (_scroll > 0 && TerminalColumns.Of(text.AsSpan(TerminalColumns.Previous(text, _scroll))) <= room)
            _scroll = TerminalColumns.Previous(text, _scroll);

        var end = _scroll;
        for (var used = 0; end < text.Length;)
        {
            var next = TerminalColumns.Next(text, end);
            used += TerminalColumns.Of(text.AsSpan(end, next - end));
            if (used > room)
                break;
            end = next;
        }

        var column = prompt + TerminalColumns.Of(text.AsSpan(_scroll, _cursor - _scroll));
        terminal.Write("\r" + _prompt + text[_scroll..end] + EraseToEnd + "\r" + (column > 0 ? $"\u001b[{column}C" : string.Empty));
    }

    /// <summary>Up and Down through earlier lines; the line being typed is kept and comes back below the newest.</summary>
    private sealed class HistoryBrowser(IReadOnlyList<string> lines)
    {
        private int _at = lines.Count;
        private string _draft = string.Empty;

        public string? Previous(string current)
        {
            if (_at == 0)
                return null;
            if (_at == lines.Count)
                _draft = current;
            return lines[--_at];
        }

        public string? Next()
        {
            if (_at == lines.Count)
                return null;
            return ++_at == lines.Count ? _draft : lines[_at];
        }
    }
}
