using System.Diagnostics;
using System.Security.Cryptography;
using NewsBot.Ingestion;
using NewsBot.Sources;

namespace NewsBot.Core.Tests.Ingestion;

public class SeedArticleTests
{
    private static readonly byte[] Bytes = File.ReadAllBytes(IngestionTestFiles.SeedPath);
    private static readonly Article Seed = new ArticleReader().Read(IngestionTestFiles.SeedPath, Bytes);

    [Fact]
    public void Identity_comes_from_file_name_and_bytes()
    {
        Assert.Equal("000_4602c717996ed5a8", Seed.Id);
        Assert.Equal(IngestionTestFiles.SeedPath, Seed.Path);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Bytes)), Seed.ContentHash);
    }

    [Fact]
    public void Header_is_recognised()
    {
        Assert.Equal("Netanyahu turns down meeting with Russian cybersecurity head linked to US hack", Seed.Title);
        Assert.StartsWith("Citing schedule restraints, Prime Minister’s Office says premier ‘must decline’", Seed.Dek, StringComparison.Ordinal);
        Assert.StartsWith("Raoul Wootliff is the Times of Israel's former political correspondent", Seed.Byline, StringComparison.Ordinal);
        Assert.Equal(
            [ParagraphKind.Title, ParagraphKind.Dek, ParagraphKind.Byline],
            Seed.Paragraphs.Take(3).Select(p => p.Kind));
        Assert.Equal(["Jacob Magid"], Seed.Contributors);
        var contributor = Assert.Single(Seed.OfKind(ParagraphKind.Contributor));
        Assert.Equal("Jacob Magid contributed to this report.", Seed.TextOf(contributor));
    }

    [Fact]
    public void Captions_are_kept_once_and_never_quotable()
    {
        var captions = Seed.OfKind(ParagraphKind.Caption).Select(Seed.TextOf).ToList();
        Assert.Equal(
            [
                "Eugene Kaspersky, CEO of Kaspersky Lab (Courtesy)",
                "Eugene Kaspersky and other officials at inauguration of Jerusalem office and R&D center. (Shoshanna Solomon/Times of Israel)",
                "An employee of Kaspersky Lab works on computers at the company’s headquarters in Moscow, Russia, July 1, 2017. (AP/Pavel Golovkin)",
                "A sign above the headquarters of Kaspersky Lab in Moscow, January 30, 2017. (AP/Pavel Golovkin)",
            ],
            captions);
        Assert.DoesNotContain(Seed.Sentences, s => s.Text.Contains("(AP/", StringComparison.Ordinal) || s.Text.Contains("(Courtesy)", StringComparison.Ordinal));
        Assert.Single(Seed.Paragraphs, p => Seed.TextOf(p).StartsWith("Eugene Kaspersky, CEO of", StringComparison.Ordinal));
    }

    [Fact]
    public void Footer_is_gone()
    {
        Assert.EndsWith("Jacob Magid contributed to this report.", Seed.Text, StringComparison.Ordinal);
        foreach (var word in new[] { "Register", "Sign in", "sign in", "email to", "read more", "subscribed", "Continue with", "notifications" })
            Assert.DoesNotContain(word, Seed.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Seed.Sentences, s => s.Text.Contains("email", StringComparison.OrdinalIgnoreCase) && !s.Text.Contains("emails and documents", StringComparison.Ordinal));
    }

    [Fact]
    public void Words_are_verbatim_and_only_whitespace_changed()
    {
        Assert.Contains("“regrettably, due to the heavy demands of his schedule, he must decline your kind invitation.”", Seed.Text, StringComparison.Ordinal);
        Assert.Contains("Kaspersky Lab’s anti-virus program has over 400 million global users", Seed.Text, StringComparison.Ordinal);
        Assert.Contains("the CEO of Russian firm Kaspersky Lab", Seed.Text, StringComparison.Ordinal);
        Assert.Contains("it was solely an Israeli operation", Seed.Text, StringComparison.Ordinal);

        var original = System.Text.Encoding.UTF8.GetString(Bytes);
        foreach (var paragraph in Seed.Paragraphs)
        {
            var text = Seed.TextOf(paragraph);
            Assert.True(Answering.QuoteLocator.Contains(original, text), $"not in the source: {text}");
        }
    }

    [Fact]
    public void Sentences_are_exact_and_split_where_expected()
    {
        IngestionTestFiles.AssertWellFormed(Seed);
        Assert.Contains(Seed.Sentences, s => s.Text == "“Personally and on behalf of Kaspersky Lab, I would be honored to meet you in Davos,” he wrote.");
        Assert.Contains(Seed.Sentences, s => s.Text == "The prime minister is scheduled to be in Davos for the annual forum from Tuesday to Friday.");
        Assert.Contains(Seed.Sentences, s => s.Text.Contains("which it labeled Duqu 2.0, was used against", StringComparison.Ordinal) && s.Text.EndsWith("talks to which Israel was not included.", StringComparison.Ordinal));
        Assert.Equal(Seed.Title, Seed.Sentences[0].Text);
        Assert.Equal(1, Seed.Sentences[0].Paragraph);
    }

    [Fact]
    public void Reading_the_seed_is_fast_when_warm()
    {
        var reader = new ArticleReader();
        reader.Read(IngestionTestFiles.SeedPath, Bytes);
        var watch = Stopwatch.StartNew();
        const int Runs = 20;
        for (var i = 0; i < Runs; i++)
            reader.Read(IngestionTestFiles.SeedPath, Bytes);
        Assert.True(watch.Elapsed.TotalMilliseconds / Runs < 50, $"{watch.Elapsed.TotalMilliseconds / Runs:F1} ms per read");
    }
}
