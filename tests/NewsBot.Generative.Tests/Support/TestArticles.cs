using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NewsBot.Retrieval;
using NewsBot.Sources;
using NewsBot.Testing.Repository;

namespace NewsBot.Generative.Tests.Support;

/// <summary>
/// Articles built from the seed file of the repository, so quotes in tests come from real article text.
/// The split into paragraphs and sentences is deliberately simple: the real cleaner is tested elsewhere.
/// </summary>
public static partial class TestArticles
{
    /// <summary>The seed article, optionally with extra body paragraphs appended (e.g. injected instructions).</summary>
    public static Article Seed(string id = "seed", params string[] extraParagraphs)
    {
        var lines = RepositoryFiles.SeedArticleText.Split('\n')
            .Select(l => l.Replace('\u00A0', ' ').Trim())
            .Where(l => l.Length > 0)
            .ToList();
        var end = lines.FindIndex(l => l.EndsWith("contributed to this report.", StringComparison.Ordinal));
        lines = [.. lines.Take(end + 1).Distinct(), .. extraParagraphs];

        var text = new StringBuilder();
        var paragraphs = new List<Paragraph>();
        var sentences = new List<Sentence>();
        foreach (var (index, line) in lines.Index())
        {
            if (text.Length > 0)
                text.Append("\n\n");
            var start = text.Length;
            text.Append(line);
            var kind = index switch
            {
                0 => ParagraphKind.Title,
                1 => ParagraphKind.Dek,
                2 => ParagraphKind.Byline,
                _ when CaptionPattern().IsMatch(line) => ParagraphKind.Caption,
                _ when line.EndsWith("contributed to this report.", StringComparison.Ordinal) => ParagraphKind.Contributor,
                _ => ParagraphKind.Body,
            };
            paragraphs.Add(new Paragraph(index + 1, kind, start, text.Length));
            if (kind is ParagraphKind.Body or ParagraphKind.Dek)
            {
                var at = 0;
                foreach (var piece in SentenceSplit().Split(line))
                {
                    var offset = line.IndexOf(piece, at, StringComparison.Ordinal);
                    sentences.Add(new Sentence(sentences.Count, index + 1, start + offset, start + offset + piece.Length, piece));
                    at = offset + piece.Length;
                }
            }
        }

        var full = text.ToString();
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(full)));
        return new Article(id, $"{id}.txt", hash, lines[0], lines[1], lines[2], [], full, paragraphs, sentences);
    }

    /// <summary>The paragraph holding <paramref name="phrase"/>, as a passage.</summary>
    public static Passage PassageWith(this Article article, string phrase)
    {
        var paragraph = article.Paragraphs.First(p => article.Slice(p.Start, p.End).Contains(phrase, StringComparison.Ordinal));
        return article.PassageOf(paragraph);
    }

    public static Passage PassageOf(this Article article, Paragraph paragraph) =>
        new(article.Id, article.Title, paragraph.Number, paragraph.Start, paragraph.End, article.Slice(paragraph.Start, paragraph.End));

    /// <summary>The sentence holding <paramref name="phrase"/>, exactly as in the article.</summary>
    public static Sentence SentenceWith(this Article article, string phrase) =>
        article.Sentences.First(s => s.Text.Contains(phrase, StringComparison.Ordinal));

    /// <summary>What copying text tends to do to it: curly quotes become straight, spaces double or break lines.</summary>
    public static string Mangle(string exact) =>
        exact.Replace('\u2019', '\'').Replace('\u2018', '\'').Replace('\u201C', '"').Replace('\u201D', '"')
            .Replace(", ", ",  ", StringComparison.Ordinal);

    [GeneratedRegex(@"\((Courtesy|AP/[^)]*|[^)]*/Times of Israel)\)$")]
    private static partial Regex CaptionPattern();

    [GeneratedRegex(@"(?<=[.!?][\u201D""]?)\s+(?=[A-Z\u201C])")]
    private static partial Regex SentenceSplit();
}
