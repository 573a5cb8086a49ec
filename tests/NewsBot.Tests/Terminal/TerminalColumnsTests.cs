using System.Globalization;
using NewsBot.Host.Cli;

namespace NewsBot.Tests.Terminal;

public sealed class TerminalColumnsTests
{
    // Characters whose boundaries need more than one code unit: accents as combining marks, surrogate pairs, skin tones,
    // ZWJ families, flags (regional indicator pairs, which only pair up counted from the start of their run), jamo.
    private static readonly string[] Pieces =
    [
        "a", "Z", " ", "e\u0301", "x\u0308\u0301", "中", "ｆ", "👍", "👍🏽", "👨\u200D👩\u200D👧", "🇫🇷", "🇩🇪", "🇫", "한",
        "\u1100\u1161\u11A8", "\u00A0", "\u200B", "\uFE0F", "é",
    ];

    [Fact]
    public void Previous_finds_the_same_character_start_as_reading_the_whole_line_from_its_start()
    {
        var random = new Random(20261130);
        for (var line = 0; line < 400; line++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => Pieces[random.Next(Pieces.Length)]));
            var boundaries = new List<int> { 0 };
            for (var at = 0; at < text.Length;)
                boundaries.Add(at += StringInfo.GetNextTextElementLength(text, at));

            for (var k = 1; k < boundaries.Count; k++)
                Assert.True(boundaries[k - 1] == TerminalColumns.Previous(text, boundaries[k]), $"{Escape(text)} at {boundaries[k]}");
        }
    }

    [Fact]
    public void Previous_steps_over_a_whole_flag_run_correctly_at_the_end_of_a_long_line()
    {
        var text = new string('a', 10_000) + "🇫🇷🇩🇪🇫";

        Assert.Equal(text.Length - 2, TerminalColumns.Previous(text, text.Length));
        Assert.Equal(text.Length - 6, TerminalColumns.Previous(text, text.Length - 2));
        Assert.Equal(10_000, TerminalColumns.Previous(text, text.Length - 6));
        Assert.Equal(9_999, TerminalColumns.Previous(text, 10_000));
    }

    private static string Escape(string text) => string.Concat(text.Select(c => c < 128 ? c.ToString() : $"\\u{(int)c:X4}"));
}
