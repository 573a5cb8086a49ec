using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsBot.Host.Cli;

namespace NewsBot.Tests.Terminal;

public partial class ConsoleLineEditorTests
{
    private const string Prompt = "> ";

    [Fact]
    public void Arrows_home_end_backspace_and_delete_edit_the_line()
    {
        var terminal = new FakeTerminal()
            .Type("helo").Press(ConsoleKey.LeftArrow).Type("l")    // hello
            .Press(ConsoleKey.Home).Press(ConsoleKey.Delete)        // ello
            .Press(ConsoleKey.End).Press(ConsoleKey.Backspace)      // ell
            .Press(ConsoleKey.LeftArrow, times: 2).Type("y ")       // ey ll
            .Press(ConsoleKey.RightArrow, times: 5).Type("!")       // ey ll! (Right stops at the end)
            .Press(ConsoleKey.Enter);

        var line = new ConsoleLineEditor(terminal).ReadLine(Prompt);

        Assert.Equal("ey ll!", line);
        Assert.Equal("> ey ll!", terminal.Rows[0]);
    }

    [Fact]
    public void The_cursor_is_drawn_where_the_next_key_goes()
    {
        var column = -1;
        var terminal = new FakeTerminal().Type("question").Press(ConsoleKey.LeftArrow, times: 3);
        terminal.Then(() => column = terminal.Column).Press(ConsoleKey.Enter);

        new ConsoleLineEditor(terminal).ReadLine(Prompt);

        Assert.Equal(Prompt.Length + "quest".Length, column);
    }

    [Fact]
    public void Up_and_down_walk_through_earlier_lines_and_come_back_to_the_one_being_typed()
    {
        var terminal = new FakeTerminal()
            .Type("first").Press(ConsoleKey.Enter)
            .Press(ConsoleKey.Enter) // an empty line is not kept
            .Type("second").Press(ConsoleKey.Enter)
            .Type("second").Press(ConsoleKey.Enter); // nor a repeat
        var editor = new ConsoleLineEditor(terminal);
        for (var i = 0; i < 4; i++)
            editor.ReadLine(Prompt);
        Assert.Equal(["first", "second"], editor.History);

        var seen = new List<string>();
        terminal.Type("dra");
        foreach (var key in new[] { ConsoleKey.UpArrow, ConsoleKey.UpArrow, ConsoleKey.UpArrow, ConsoleKey.DownArrow, ConsoleKey.DownArrow, ConsoleKey.DownArrow })
            terminal.Press(key).Then(() => seen.Add(terminal.CurrentRow));
        terminal.Press(ConsoleKey.UpArrow).Type("!").Press(ConsoleKey.Enter);

        var line = editor.ReadLine(Prompt);

        Assert.Equal(["> second", "> first", "> first", "> second", "> dra", "> dra"], seen);
        Assert.Equal("second!", line);
    }

    [Fact]
    public void Ctrl_d_on_an_empty_line_is_the_end_of_input_and_ctrl_u_clears()
    {
        var terminal = new FakeTerminal()
            .Type("typed").Press(ConsoleKey.U, control: true).Press(ConsoleKey.D, control: true);

        Assert.Null(new ConsoleLineEditor(terminal).ReadLine(Prompt));
    }

    [Fact]
    public void Backspace_removes_a_whole_emoji()
    {
        var terminal = new FakeTerminal().Type("ok 👍").Press(ConsoleKey.Backspace).Press(ConsoleKey.Enter);

        Assert.Equal("ok ", new ConsoleLineEditor(terminal).ReadLine(Prompt));
    }

    [Fact]
    public void Wide_characters_take_two_columns_and_an_accent_moves_with_its_letter()
    {
        int wideColumn = -1, accentColumn = -1;
        var terminal = new FakeTerminal().Type("日本語").Press(ConsoleKey.LeftArrow);
        terminal.Then(() => wideColumn = terminal.Column).Press(ConsoleKey.Enter);
        terminal.Type("cafe\u0301").Then(() => accentColumn = terminal.Column)
            .Press(ConsoleKey.LeftArrow).Type("x")                          // before "é", not between e and its accent
            .Press(ConsoleKey.End).Press(ConsoleKey.Backspace)              // takes "é" whole
            .Press(ConsoleKey.Enter);
        var editor = new ConsoleLineEditor(terminal);

        Assert.Equal("日本語", editor.ReadLine(Prompt));
        Assert.Equal("cafx", editor.ReadLine(Prompt));

        Assert.Equal(Prompt.Length + 4, wideColumn);
        Assert.Equal(Prompt.Length + 4, accentColumn);
    }

    [Fact]
    public void A_line_of_wide_characters_scrolls_by_columns()
    {
        var text = string.Concat(Enumerable.Repeat("日本語のニュース", 3));
        var column = -1;
        var terminal = new FakeTerminal(width: 20).Type(text);
        terminal.Then(() => column = terminal.Column).Press(ConsoleKey.Enter);

        var line = new ConsoleLineEditor(terminal).ReadLine(Prompt);

        Assert.Equal(text, line);
        // 20 columns less the prompt and the cursor's own: the last 8 wide characters (16 columns) are shown.
        Assert.Equal(Prompt.Length + 16, column);
        Assert.Equal(Prompt + text[^8..], terminal.Rows[0]);
    }

    [Fact]
    public void A_line_longer_than_the_terminal_scrolls_sideways_on_one_row()
    {
        var text = string.Concat(Enumerable.Range(0, 8).Select(i => $"word{i} "));
        var atEnd = string.Empty;
        var atStart = string.Empty;
        var terminal = new FakeTerminal(width: 20).Type(text);
        terminal.Then(() => atEnd = terminal.CurrentRow).Press(ConsoleKey.Home).Then(() => atStart = terminal.CurrentRow).Press(ConsoleKey.Enter);

        var line = new ConsoleLineEditor(terminal).ReadLine(Prompt);

        Assert.Equal(text, line);
        Assert.Equal(2, terminal.Rows.Count); // the edited row, and the empty one after Enter
        Assert.Equal(Prompt + text.TrimEnd()[^16..], atEnd);
        Assert.Equal(Prompt + text[..17], atStart);
    }

    [Fact]
    public void A_line_written_while_editing_goes_above_the_prompt_which_is_drawn_again()
    {
        var terminal = new FakeTerminal();
        var editor = new ConsoleLineEditor(terminal);
        using var idle = new StringWriter();
        terminal.Type("hel").Then(() => editor.WriteAbove("warning: the index was reloaded", idle)).Type("lo").Press(ConsoleKey.Enter);

        var line = editor.ReadLine(Prompt);
        editor.WriteAbove("warning: after the line", idle);

        Assert.Equal("hello", line);
        Assert.Equal(["warning: the index was reloaded", "> hello", ""], terminal.Rows);
        Assert.Equal("warning: after the line" + Environment.NewLine, idle.ToString());
    }

    [Fact]
    public void While_the_chat_owns_the_terminal_only_warnings_and_errors_are_logged_and_above_the_prompt()
    {
        using var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddSimpleConsole().RouteConsoleAroundTerminalChat())
            .BuildServiceProvider();
        var logger = services.GetRequiredService<ILogger<ConsoleLineEditorTests>>();
        var terminal = new FakeTerminal();
        var editor = new ConsoleLineEditor(terminal);
        using var owned = services.GetRequiredService<TerminalLogRoute>().Own(editor);
        terminal.Type("why").Then(() =>
        {
            LogServed(logger, 7);
            LogAnswered(logger, 12);
            LogSkipped(logger, "broken.txt");
            LogNotSaved(logger, new IOException("disk full"));
        }).Type("?").Press(ConsoleKey.Enter);

        editor.ReadLine(Prompt);

        Assert.Equal(["warning: Skipped broken.txt: not UTF-8", "error: Could not save the index (disk full)", "> why?", ""], terminal.Rows);
        Assert.True(logger.IsEnabled(LogLevel.Warning));
        Assert.False(logger.IsEnabled(LogLevel.Information));
        owned.Dispose();
        Assert.True(logger.IsEnabled(LogLevel.Information));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Index version {Version} is served")]
    private static partial void LogServed(ILogger logger, int version);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Answered in {Ms} ms")]
    private static partial void LogAnswered(ILogger logger, int ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {File}: not UTF-8")]
    private static partial void LogSkipped(ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not save the index")]
    private static partial void LogNotSaved(ILogger logger, Exception exception);
}
