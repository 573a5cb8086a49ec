using System.Text;
using NewsBot.Ingestion;

namespace NewsBot.Core.Tests.Ingestion;

/// <summary>Whatever the text, the reader either rejects it with a reason or returns a well-formed article.</summary>
public class ReaderRobustnessTests
{
    private static readonly string[] Pieces =
    [
        "The", "minister", "said", "Mr.", "U.S.", "Dr.", "J.", "2.0", "$3.5", "400", "million", "“quote", "ends.”",
        "(AP/Jane Doe)", "(Courtesy)", "Register", "sign in", "email", "...", "…", "?", "!", "”", "\"", "e.g.", "No.",
        "Inc.", ";", ":", "—", "\u00A0", "\t", "By", "Reuters", "contributed to this report.", "Photo:", "you", "#", "*",
        "[link](http://x.y)", "<b>", "</p>", "&amp;", "Jan.", "a.m.", "St.", "(", ")", "read more:",
    ];

    private static string RandomPage(Random random)
    {
        var builder = new StringBuilder();
        var lines = random.Next(1, 30);
        for (var line = 0; line < lines; line++)
        {
            var words = random.Next(0, 40);
            for (var w = 0; w < words; w++)
            {
                builder.Append(Pieces[random.Next(Pieces.Length)]);
                builder.Append(random.Next(8) == 0 ? ". " : " ");
            }

            builder.Append(random.Next(3) == 0 ? "\n\n" : "\n");
        }

        return builder.ToString();
    }

    [Theory]
    [InlineData("page.txt")]
    [InlineData("page.md")]
    [InlineData("page.html")]
    public void Random_pages_are_read_or_rejected_cleanly(string fileName)
    {
        var random = new Random(20240601);
        var read = 0;
        for (var i = 0; i < 150; i++)
        {
            var content = RandomPage(random);
            try
            {
                var article = IngestionTestFiles.Read(fileName, content);
                IngestionTestFiles.AssertWellFormed(article);
                read++;
            }
            catch (SourceFormatException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Reason));
            }
        }

        Assert.True(read > 50, $"only {read} of 150 pages were read");
    }

    [Fact]
    public void Every_prefix_of_the_seed_is_read_or_rejected_cleanly()
    {
        var text = File.ReadAllText(IngestionTestFiles.SeedPath);
        for (var length = 0; length <= text.Length; length += 97)
        {
            try
            {
                IngestionTestFiles.AssertWellFormed(IngestionTestFiles.Read("prefix.txt", text[..length]));
            }
            catch (SourceFormatException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Reason));
            }
        }
    }
}
