using System.Globalization;
using System.Text;
using NewsBot.Generative.Tokens;
using NewsBot.Retrieval;

namespace NewsBot.Generative.Grounding;

/// <summary>
/// The numbered passages shown to the model for one request. The numbers are the citation ids the model
/// uses ([n]); verification resolves them here, so only passages the model actually saw can be cited.
/// Passages are admitted in rank order while they fit the token budget.
/// </summary>
public sealed class PassageLedger
{
    private readonly List<Passage> _passages = [];
    private readonly TokenCounter _tokens;
    private int _remainingTokens;

    public PassageLedger(TokenCounter tokens, int tokenBudget)
    {
        _tokens = tokens;
        _remainingTokens = Math.Max(0, tokenBudget);
        TokenBudget = _remainingTokens;
    }

    /// <summary>Tokens the passages were allowed to use.</summary>
    public int TokenBudget { get; }

    /// <summary>Tokens the numbered passages use as shown to the model.</summary>
    public int TokensUsed => TokenBudget - _remainingTokens;

    /// <summary>Passages that did not fit and were left out, or cut short.</summary>
    public int Trimmed { get; private set; }

    public IReadOnlyList<Passage> Passages => _passages;

    /// <summary>The passage numbered <paramref name="number"/> (from 1), or null when the model cited one it never saw.</summary>
    public Passage? Find(int number) => number >= 1 && number <= _passages.Count ? _passages[number - 1] : null;

    /// <summary>
    /// Numbers the passages that fit and returns them as the model sees them. A passage already numbered
    /// keeps its number; the first passage that does not fit whole is cut short (at a word boundary, so its
    /// text is still exact source text) and the rest are left out.
    /// </summary>
    public string Admit(IEnumerable<Passage> passages)
    {
        var shown = new StringBuilder();
        foreach (var passage in passages)
        {
            var existing = _passages.FindIndex(p => p.SourceId == passage.SourceId && p.Start == passage.Start && p.End == passage.End);
            if (existing >= 0)
            {
                shown.Append(Format(existing + 1, passage));
                continue;
            }

            if (_remainingTokens <= 0)
            {
                Trimmed++;
                continue;
            }

            var block = Format(_passages.Count + 1, passage);
            var cost = _tokens.Count(block);
            var admitted = passage;
            if (cost > _remainingTokens)
            {
                Trimmed++;
                var header = Format(_passages.Count + 1, passage with { Text = string.Empty });
                var room = _remainingTokens - _tokens.Count(header);
                var text = _tokens.Truncate(passage.Text, room);
                if (text.Length == 0)
                {
                    _remainingTokens = 0;
                    continue;
                }

                admitted = passage with { End = passage.Start + text.Length, Text = text };
                block = Format(_passages.Count + 1, admitted);
                cost = _tokens.Count(block);
            }

            _passages.Add(admitted);
            _remainingTokens -= cost;
            shown.Append(block);
        }

        return shown.Length == 0 ? NoPassages : shown.ToString().TrimEnd();
    }

    /// <summary>What the model sees when retrieval found nothing, so it can say the articles do not answer.</summary>
    public const string NoPassages = "(no passages found)";

    private static string Format(int number, Passage passage) =>
        string.Create(CultureInfo.InvariantCulture, $"[{number}] {passage.Title} (paragraph {passage.Paragraph})\n{passage.Text}\n\n");
}
