using System.Text;
using System.Text.RegularExpressions;
using NewsBot.Host.Cli;

namespace NewsBot.Tests.Terminal;

/// <summary>
/// A scripted terminal: keys come from a queue (with actions in between, run when the editor asks for the next key),
/// and what is written is played onto a screen of rows that understands what the line editor sends: carriage return,
/// newline, erase to the end of the row and cursor right; a row written past its width wraps, as a terminal does.
/// </summary>
internal sealed partial class FakeTerminal(int width = 80) : ITerminal
{
    private readonly Queue<Func<ConsoleKeyInfo?>> _script = new();
    private readonly List<StringBuilder> _rows = [new()];
    private int _row;

    public int Width => width;

    public int Column { get; private set; }

    /// <summary>Rows as shown, trailing spaces trimmed.</summary>
    public IReadOnlyList<string> Rows => [.. _rows.Select(r => r.ToString().TrimEnd())];

    public string CurrentRow => Rows[_row];

    public FakeTerminal Type(string text)
    {
        foreach (var c in text)
            _script.Enqueue(() => new ConsoleKeyInfo(c, ConsoleKey.NoName, false, false, false));
        return this;
    }

    public FakeTerminal Press(ConsoleKey key, bool control = false, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            var letter = key is >= ConsoleKey.A and <= ConsoleKey.Z ? (char)(key - ConsoleKey.A + 1) : '\0';
            var keyChar = control ? letter : key switch { ConsoleKey.Enter => '\r', ConsoleKey.Backspace => '\b', _ => '\0' };
            _script.Enqueue(() => new ConsoleKeyInfo(keyChar, key, false, false, control));
        }

        return this;
    }

    /// <summary>Runs <paramref name="action"/> when the editor waits for the key after those queued so far.</summary>
    public FakeTerminal Then(Action action)
    {
        _script.Enqueue(() =>
        {
            action();
            return null;
        });
        return this;
    }

    public ConsoleKeyInfo ReadKey()
    {
        while (_script.TryDequeue(out var next))
        {
            if (next() is { } key)
                return key;
        }

        throw new InvalidOperationException("The test typed nothing more.");
    }

    public void Write(string text)
    {
        var at = 0;
        foreach (Match m in Control().Matches(text))
        {
            Put(text[at..m.Index]);
            switch (m.Value)
            {
                case "\r":
                    Column = 0;
                    break;
                case "\n":
                    if (++_row == _rows.Count)
                        _rows.Add(new StringBuilder());
                    break;
                case "\u001b[K":
                    if (_rows[_row].Length > Column)
                        _rows[_row].Length = Column;
                    break;
                default:
                    Column += int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
            }

            at = m.Index + m.Length;
        }

        Put(text[at..]);
    }

    private void Put(string text)
    {
        foreach (var c in text)
        {
            if (Column >= width)
            {
                // The terminal wraps onto the next row.
                Write("\r\n");
            }

            var row = _rows[_row];
            while (row.Length <= Column)
                row.Append(' ');
            row[Column++] = c;
        }
    }

    [GeneratedRegex(@"\r|\n|\u001b\[K|\u001b\[(\d+)C")]
    private static partial Regex Control();
}
