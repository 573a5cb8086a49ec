using NewsBot.Retrieval;

namespace NewsBot.Core.Tests.Engine;

public class LexicalIndexTests
{
    private static float[] Scores(LexicalIndex index, params string[] query)
    {
        var scores = new float[index.DocumentCount];
        index.Score(query, scores);
        return scores;
    }

    [Fact]
    public void A_rarer_term_scores_higher_than_a_common_one_in_the_same_document()
    {
        var index = LexicalIndex.Build([["kaspersky", "firm"], ["firm", "moscow"], ["firm", "davos"], ["firm", "israel"]]);

        Assert.True(index.Idf("kaspersky") > index.Idf("firm"));
        Assert.True(Scores(index, "kaspersky")[0] > Scores(index, "firm")[0]);
    }

    [Fact]
    public void A_shorter_document_with_the_term_once_beats_a_longer_one()
    {
        var index = LexicalIndex.Build([["davos"], ["davos", "forum", "week", "switzerland", "meet", "premier"], ["other"]]);

        var scores = Scores(index, "davos");

        Assert.True(scores[0] > scores[1]);
        Assert.True(scores[1] > 0);
        Assert.Equal(0, scores[2]);
    }

    [Fact]
    public void Repeating_a_term_raises_the_score_but_saturates()
    {
        var index = LexicalIndex.Build([["hack", "a"], ["hack", "hack"], ["b", "c"]]);

        var scores = Scores(index, "hack");

        Assert.True(scores[1] > scores[0]);
        Assert.True(scores[1] < 2 * scores[0]);
    }

    [Fact]
    public void A_term_repeated_past_255_times_scores_as_if_it_stopped_at_255()
    {
        // Documents of one length, so only the term's count differs between them.
        string[] Document(int repeats) => [.. Enumerable.Repeat("hack", repeats), .. Enumerable.Repeat("filler", 400 - repeats)];
        var index = LexicalIndex.Build([Document(254), Document(255), Document(300), ["other"]]);

        var scores = Scores(index, "hack");

        Assert.True(scores[1] > scores[0]);
        Assert.Equal(scores[1], scores[2]);
        Assert.Equal(index.ScoreOf(["hack"], 2), scores[2]);
    }

    [Fact]
    public void An_unknown_term_has_the_highest_idf_and_adds_nothing()
    {
        var index = LexicalIndex.Build([["a", "b"], ["b", "c"], ["c", "d"]]);

        foreach (var seen in new[] { "a", "b", "c", "d" })
            Assert.True(index.Idf("unseen") > index.Idf(seen), seen);
        Assert.Equal(0, index.DocumentFrequency("unseen"));
        Assert.All(Scores(index, "unseen"), s => Assert.Equal(0, s));
    }

    [Fact]
    public void An_empty_query_scores_every_document_zero()
    {
        var index = LexicalIndex.Build([["a"], ["b", "c"]]);

        Assert.All(Scores(index), s => Assert.Equal(0, s));
    }

    [Fact]
    public void A_query_term_given_twice_counts_once()
    {
        var index = LexicalIndex.Build([["a", "x"], ["b", "y"]]);

        Assert.Equal(Scores(index, "a")[0], Scores(index, "a", "a")[0]);
    }

    [Fact]
    public void Scores_add_into_the_given_buffer()
    {
        var index = LexicalIndex.Build([["a"], ["b"]]);
        var scores = new float[] { 1, 1 };

        index.Score(["a"], scores);

        Assert.True(scores[0] > 1);
        Assert.Equal(1, scores[1]);
    }

    [Fact]
    public void Top_documents_from_the_posting_lists_match_a_full_scoring()
    {
        var random = new Random(5);
        string[] vocabulary = ["ship", "port", "storm", "cargo", "crew", "harbour", "tide", "captain", "wind", "dock", "fuel", "route"];
        var documents = Enumerable.Range(0, 300)
            .Select(_ => (IReadOnlyList<string>)[.. Enumerable.Range(0, 3 + random.Next(12)).Select(_ => vocabulary[random.Next(vocabulary.Length)])])
            .ToList();
        var index = LexicalIndex.Build(documents);
        string[] query = ["storm", "captain", "dock", "unknown"];

        var full = Scores(index, query);
        var top = index.Top(query, 20, doc => doc % 7 != 0);

        var expected = Enumerable.Range(0, full.Length).Where(d => d % 7 != 0 && full[d] > 0).OrderByDescending(d => full[d]).Take(20).ToList();
        Assert.Equal(expected.Select(d => full[d]), top.Select(t => t.Score));
        Assert.All(top, t => Assert.Equal(full[t.Document], t.Score));
        Assert.All(top, t => Assert.NotEqual(0, t.Document % 7));
        // The accumulator is handed back clean: asking again gives the same answer.
        Assert.Equal(top, index.Top(query, 20, doc => doc % 7 != 0));
    }

    [Fact]
    public void One_document_scores_as_in_a_full_scoring()
    {
        var builder = new LexicalIndex.Builder();
        builder.Add(["ship", "storm", "storm"]);
        builder.Add("port crew");
        builder.Add(["storm", "crew", "captain", "dock"]);
        var index = builder.Build();
        string[] query = ["storm", "crew", "absent"];
        var full = Scores(index, query);

        for (var doc = 0; doc < index.DocumentCount; doc++)
            Assert.Equal(full[doc], index.ScoreOf(query, doc));
        Assert.True(index.TermIdsOf(2).ToArray().SequenceEqual(index.TermIdsOf(2).ToArray().Order()));
        Assert.Equal(["crew", "port"], index.TermIdsOf(1).ToArray().Select(index.Term).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("hawaiin", "hawaiian")]    // a dropped letter
    [InlineData("australiann", "australian")] // an extra one
    [InlineData("councel", "council")]     // a wrong one
    [InlineData("coeru", "coeur")]         // two swapped
    [InlineData("rainerr", null)]          // two slips in a short word
    [InlineData("kaspurskey", "kaspersky")] // two slips in a long word
    [InlineData("volcano", null)]          // held: nothing to correct
    [InlineData("2016", null)]             // numbers are never corrected
    [InlineData("abcd", null)]             // too short to guess
    public void An_unknown_term_is_respelled_as_the_index_term_a_slip_away(string typed, string? meant)
    {
        var index = LexicalIndex.Build([["hawaiian", "volcano", "2015"], ["australian", "council"], ["coeur", "rainier"], ["kaspersky"]]);

        Assert.Equal(meant, index.NearestSpelling(typed));
    }

    [Fact]
    public void Of_two_spellings_equally_close_the_commoner_is_chosen()
    {
        var index = LexicalIndex.Build([["markel"], ["merkel", "chancellor"], ["merkel", "berlin"]]);

        Assert.Equal("merkel", index.NearestSpelling("mirkel"));
        Assert.Equal("markel", index.NearestSpelling("marke"));
    }
}

