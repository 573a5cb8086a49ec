using NewsBot.Answering;

namespace NewsBot.Reader.Tests;

internal static class Candidates
{
    /// <summary>A candidate whose paragraph is its previous sentence (when not empty) and itself.</summary>
    public static ReaderCandidate Of(string title, string previous, string sentence) =>
        previous.Length == 0 ? new(title, [sentence], 0, $"{title}#{sentence}") : new(title, [previous, sentence], 1, $"{title}#{previous}");
}
