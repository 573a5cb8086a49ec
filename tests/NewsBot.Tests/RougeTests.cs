using NewsBot.Host.Evaluation;
using NewsBot.Sources;

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

    [Fact]
    public void Several_references_score_each_measure_against_the_closest_one()
    {
        var scores = SummaryEval.Score("the cat sat on the mat", ["a dog barked", "the cat sat on a mat", "mat on the sat cat the"]);

        Assert.Equal(1, scores.Rouge1, 6); // the reversed reference has every word
        Assert.Equal(SummaryEval.Rouge("the cat sat on the mat", "the cat sat on a mat", 2), scores.Rouge2, 6);
        Assert.Equal(SummaryEval.RougeL("the cat sat on the mat", "the cat sat on a mat"), scores.RougeL, 6);
        Assert.Equal(default, SummaryEval.Score("anything", []));
    }

    [Fact]
    public void The_lead_baseline_is_the_first_sentences_of_the_prose_not_the_headline_or_byline()
    {
        const string text = "Headline here\n\nBy A Writer\n\nFirst sentence. Second one.\n\nThird one.";
        var article = new Article(
            "a", "a.txt", "hash", "Headline here", null, "By A Writer", [], text,
            [new Paragraph(1, ParagraphKind.Title, 0, 13), new Paragraph(2, ParagraphKind.Byline, 15, 26), new Paragraph(3, ParagraphKind.Body, 28, 55), new Paragraph(4, ParagraphKind.Body, 57, 67)],
            [Sentence.In(text, 0, 2, 15, 26), Sentence.In(text, 1, 3, 28, 43), Sentence.In(text, 2, 3, 44, 55), Sentence.In(text, 3, 4, 57, 67)]);

        Assert.Equal(["First sentence.", "Second one."], SummaryEval.LeadSentences(article, 2));
        Assert.Equal(["First sentence.", "Second one.", "Third one."], SummaryEval.LeadSentences(article, 5));
        Assert.Empty(SummaryEval.LeadSentences(null, 3));
    }
}
