using NewsBot.Host.Evaluation;

namespace NewsBot.Tests;

public class RougeTests
{
    [Fact]
    public void Rouge_scores_overlap_of_words_and_word_pairs_and_the_longest_common_subsequence()
    {
        Assert.Equal(1, SummaryEval.Rouge("The cat sat.", "the CAT sat", 1), 3);
        Assert.Equal(0, SummaryEval.Rouge("dogs bark", "the cat sat", 1), 3);
        // 2 of 3 candidate unigrams in a 4-word reference: P = 2/3, R = 2/4.
        Assert.Equal(2 * (2.0 / 3) * 0.5 / ((2.0 / 3) + 0.5), SummaryEval.Rouge("the cat ran", "the cat sat down", 1), 6);
        Assert.Equal(2 * 0.5 * (1.0 / 3) / (0.5 + (1.0 / 3)), SummaryEval.Rouge("the cat ran", "the cat sat down", 2), 6);
        Assert.Equal(1, SummaryEval.RougeL("a b c d", "a b c d"), 6);
        Assert.Equal(2 * 0.5 * 0.5 / 1.0, SummaryEval.RougeL("a x b y", "a q b r"), 6);
    }
}
