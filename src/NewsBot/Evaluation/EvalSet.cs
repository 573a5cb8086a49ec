using System.Text.Json;
using System.Text.Json.Serialization;

namespace NewsBot.Host.Evaluation;

/// <summary>One eval question in either format of the shared eval sets.</summary>
public sealed record EvalQuestion(string Id, string Question, bool Answerable, IReadOnlyList<string> Gold, IReadOnlyList<int> GoldStarts, string? ContextId)
{
    /// <summary>A multiple-choice set's options (QuAIL), scored by <see cref="ChoiceJudge"/>; empty elsewhere.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>The index of the right option in <see cref="Choices"/>.</summary>
    public int? CorrectChoice { get; init; }
}

public sealed record EvalContext(string ContextId, string Title, string Text);

/// <summary>
/// Reads the two formats: the article format (<c>answerable</c>, <c>evidence_any</c>) and the SQuAD-style
/// format (<c>answers</c>, <c>answer_start</c>, <c>is_impossible</c> with a <c>contexts.jsonl</c>).
/// </summary>
public sealed record EvalSet(string Name, IReadOnlyList<EvalQuestion> Questions, IReadOnlyList<EvalContext>? Contexts)
{
    public bool CaseInsensitive => Contexts is not null;

    public static EvalSet Load(string folder)
    {
        var questionsPath = Path.Combine(folder, "questions.jsonl");
        if (!File.Exists(questionsPath))
            throw new Host.Hosting.ConfigurationException($"--dataset: {questionsPath} does not exist (an eval set folder holds questions.jsonl).");
        var contextsPath = Path.Combine(folder, "contexts.jsonl");
        var contexts = File.Exists(contextsPath)
            ? ReadLines<ContextRow>(contextsPath).Select(c => new EvalContext(c.ContextId!, c.Title ?? c.ContextId!, c.Text!)).ToList()
            : null;
        var questions = ReadLines<QuestionRow>(questionsPath).Select(q => new EvalQuestion(
            q.Id ?? string.Empty,
            q.Question ?? string.Empty,
            q.Answerable ?? !(q.IsImpossible ?? false),
            q.EvidenceAny ?? q.Answers ?? [],
            q.AnswerStart ?? [],
            q.ContextId)
        {
            Choices = q.Choices ?? [],
            CorrectChoice = q.CorrectChoice,
        }).ToList();
        if (questions.Count == 0)
            throw new Host.Hosting.ConfigurationException($"--dataset: {questionsPath} holds no questions.");
        return new EvalSet(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), questions, contexts);
    }

    /// <summary>The rows of a JSON-lines file; a line that is not a JSON object is an error naming the file and line.</summary>
    internal static IEnumerable<T> ReadLines<T>(string path)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            T? row;
            try
            {
                row = JsonSerializer.Deserialize<T>(line);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{number}: not a JSON object ({e.Message})", e);
            }

            yield return row ?? throw new InvalidDataException($"{path}:{number}: empty row");
        }
    }

    private sealed class QuestionRow
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("question")] public string? Question { get; set; }
        [JsonPropertyName("context_id")] public string? ContextId { get; set; }
        [JsonPropertyName("answerable")] public bool? Answerable { get; set; }
        [JsonPropertyName("evidence_any")] public List<string>? EvidenceAny { get; set; }
        [JsonPropertyName("answers")] public List<string>? Answers { get; set; }
        [JsonPropertyName("answer_start")] public List<int>? AnswerStart { get; set; }
        [JsonPropertyName("is_impossible")] public bool? IsImpossible { get; set; }
        [JsonPropertyName("choices")] public List<string>? Choices { get; set; }
        [JsonPropertyName("correct_choice")] public int? CorrectChoice { get; set; }
    }

    private sealed class ContextRow
    {
        [JsonPropertyName("context_id")] public string? ContextId { get; set; }
        [JsonPropertyName("title")] public string? Title { get; set; }
        [JsonPropertyName("text")] public string? Text { get; set; }
    }
}
