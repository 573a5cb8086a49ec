using NewsBot.Ingestion;
namespace NewsBot.Core.Tests.Ingestion;
public class ZzDump
{
    [Fact]
    public void Dump()
    {
        var path = Environment.GetEnvironmentVariable("DUMP_FILE") ?? IngestionTestFiles.SeedPath;
        var a = new ArticleReader().Read(path, File.ReadAllBytes(path));
        var w = new System.Text.StringBuilder();
        w.AppendLine($"TITLE: {a.Title}\nDEK: {a.Dek}\nBYLINE: {a.Byline}\nCONTRIB: {string.Join(" | ", a.Contributors)}");
        foreach (var p in a.Paragraphs) w.AppendLine($"[{p.Number} {p.Kind}] {a.Text[p.Start..p.End]}");
        foreach (var s in a.Sentences) w.AppendLine($"  <{s.Index} p{s.Paragraph}> {s.Text}");
        File.WriteAllText("/tmp/dump.txt", w.ToString());
    }
}
