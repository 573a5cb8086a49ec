using System.Text.Json;
using NewsBot.Answering;
using NewsBot.Host.Hosting;

namespace NewsBot.Host.Evaluation;

/// <summary>
/// <c>eval --candidates FILE</c>: appends one JSON line per question the reader read, with each candidate's retrieval
/// evidence, reader probability and fusion features, for training/reader/fuse.py. Appending lets one file gather a run over many sets.
/// </summary>
internal sealed class CandidateTrace : IReadingTrace, IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();

    private CandidateTrace(StreamWriter writer) => _writer = writer;

    public static CandidateTrace Open(string path)
    {
        try
        {
            return new CandidateTrace(new StreamWriter(new FileStream(Path.GetFullPath(path), FileMode.Append, FileAccess.Write, FileShare.Read)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigurationException($"eval --candidates: cannot write {path} ({e.Message})");
        }
    }

    public void Read(string question, IReadOnlyList<ReadCandidate> candidates)
    {
        var line = JsonSerializer.Serialize(new
        {
            question,
            candidates = candidates.Select(c => new
            {
                article = c.Candidate.Article.Id,
                index = c.Candidate.Sentence.Index,
                text = c.Candidate.Sentence.Text,
                score = c.Candidate.Score,
                lexical = c.Candidate.Lexical,
                dense = c.Candidate.Dense,
                context = c.Candidate.Context,
                coverage = c.Candidate.Coverage,
                kindMatch = c.Candidate.KindMatch,
                prob = c.Verdict.Probability,
                shortAnswer = c.Verdict.ShortAnswer is { } span
                    ? new { text = c.Candidate.Sentence.Text[span.Start..span.End], probability = span.Probability }
                    : null,
                redundantWith = c.RedundantWith,
                features = c.Features,
            }),
        });
        lock (_gate)
            _writer.WriteLine(line);
    }

    public void Dispose() => _writer.Dispose();
}
