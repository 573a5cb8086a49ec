using NewsBot.Answering;

namespace NewsBot.Reader.Tests;

public class ReaderWindowsTests
{
    private static int[] Ids(string text) => ShippedModel.Tokenizer.Tokenize(text).Ids;

    private static ReaderWindows Windows(int windowTokens, int maxWindows = 8) =>
        new(ShippedModel.Tokenizer, ShippedModel.Settings with { WindowTokens = windowTokens, MaxWindows = maxWindows });

    // Five sentences of five tokens each ("alpha one two three .").
    private static readonly string[] Paragraph = ["Alpha one two three.", "Beta one two three.", "Gamma one two three.", "Delta one two three.", "Epsilon one two three."];

    [Fact]
    public void A_window_grows_from_its_focus_by_whole_sentences_before_then_after_while_they_fit()
    {
        Assert.All(Paragraph, s => Assert.Equal(5, Ids(s).Length));

        Assert.Equal((1, 3), Windows(15).Around(Paragraph, 2));
        Assert.Equal((2, 3), Windows(14).Around(Paragraph, 3)); // the sentence before fits first; the one after no longer does
        Assert.Equal((0, 2), Windows(15).Around(Paragraph, 0));
        Assert.Equal((0, 4), Windows(25).Around(Paragraph, 4));
        Assert.Equal((2, 2), Windows(1).Around(Paragraph, 2)); // the focus alone, even when it is longer than the window
    }

    [Fact]
    public void A_window_row_is_question_then_the_sentences_then_the_title()
    {
        var windows = Windows(15);
        var question = Ids("Who is Gamma?");

        var window = windows.Build(question, "Greek letters", Paragraph, 1, 3);

        int[] expected = [101, .. question, 102, .. Ids(Paragraph[1]), .. Ids(Paragraph[2]), .. Ids(Paragraph[3]), 102, .. Ids("Greek letters"), 102];
        Assert.Equal(expected, window.InputIds);
        Assert.Equal([.. Enumerable.Repeat(0, question.Length + 2), .. Enumerable.Repeat(1, expected.Length - question.Length - 2)], window.TokenTypeIds);
        Assert.Equal([1, 2, 3], window.Sentences.Select(s => s.Index));
        Assert.Equal([question.Length + 2, question.Length + 7, question.Length + 12], window.Sentences.Select(s => s.Position));
        var gamma = window.Find(2)!;
        Assert.Equal("Gamma", Paragraph[2][gamma.Offsets[0].Start..gamma.Offsets[0].End], ignoreCase: true);
        Assert.Null(window.Find(0));
    }

    [Fact]
    public void Candidates_inside_a_planned_window_are_read_there_and_the_rest_get_windows_until_the_maximum()
    {
        var windows = Windows(10, maxWindows: 2);
        ReaderCandidate In(string key, int index) => new("Greek letters", Paragraph, index, key);

        var plan = windows.Plan(Ids("Who?"), [In("a#1", 2), In("a#1", 1), In("b#1", 1), In("a#1", 4), In("a#1", 0)]);

        Assert.Equal(2, plan.Windows.Count);
        Assert.Equal([0, 0, 1, -1, -1], plan.Reading);
        Assert.Equal([1, 2], plan.Windows[0].Sentences.Select(s => s.Index));
        Assert.Equal([0, 1], plan.Windows[1].Sentences.Select(s => s.Index)); // another paragraph: not read in the first window
    }

    [Fact]
    public void Long_sentences_are_cut_to_the_models_sentence_limit_inside_a_window()
    {
        var longText = string.Join(' ', Enumerable.Range(0, 150).Select(i => $"word{i % 10}"));
        var windows = Windows(500);

        var window = windows.Build(Ids("Which word?"), "Words", [longText, "Short one."], 0, 1);

        Assert.Equal(ShippedModel.Settings.MaxSentenceTokens, window.Sentences[0].Count);
        Assert.Equal(window.Sentences[0].Position + ShippedModel.Settings.MaxSentenceTokens, window.Sentences[1].Position);
    }
}
