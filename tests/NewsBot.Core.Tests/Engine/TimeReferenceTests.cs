using NewsBot.Retrieval;

namespace NewsBot.Core.Tests.Engine;

public class TimeReferenceTests
{
    [Theory]
    [InlineData("What treaty was established in the 9th century?", 801, 900)]
    [InlineData("in the ninth century", 801, 900)]
    [InlineData("during the 1990s", 1990, 1999)]
    [InlineData("in the 1000's", 1000, 1099)]
    [InlineData("The duchy began in 911 as a fiefdom.", 911, 911)]
    [InlineData("How many interceptions did he have in 2015?", 2015, 2015)]
    public void A_period_is_read_as_a_span_of_years(string text, int from, int to)
    {
        Assert.Equal(new YearSpan(from, to), Assert.Single(TimeReferences.Of(text)));
    }

    [Fact]
    public void Each_ordinal_before_centuries_is_its_own_century()
    {
        Assert.Equal([new YearSpan(901, 1000), new YearSpan(1001, 1100)], TimeReferences.Of("in the 10th and 11th centuries"));
    }

    [Theory]
    [InlineData("The crowd of 1500 people cheered.")]
    [InlineData("It cost 2015.50 dollars.")]
    [InlineData("He scored 911 points over 300 games.")]
    [InlineData("Flight 2015 people were stuck.")]
    public void Counts_and_amounts_are_not_years(string text)
    {
        Assert.Empty(TimeReferences.Of(text));
    }

    [Theory]
    [InlineData("What treaty was signed in the 9th century?", "The duchy began in 911 as a fiefdom.", true)]
    [InlineData("What treaty was signed in the 9th century?", "The treaty of 880 ended the war.", false)]
    [InlineData("What treaty was signed in the 9th century?", "The treaty ended the war.", false)]
    [InlineData("Who won the game in 2016?", "The Broncos won on February 7, 2016.", false)]
    [InlineData("Who won the game in 2016?", "The Broncos won the 2015 title.", true)]
    [InlineData("Who won the game?", "The Broncos won the 2015 title.", false)]
    public void A_sentence_naming_only_other_periods_contradicts_the_question(string question, string sentence, bool contradicts)
    {
        Assert.Equal(contradicts, TimeReferences.Contradicts(TimeReferences.Of(question), sentence));
    }
}
