namespace NewsBot.Generative.Grounding;

internal enum SegmentKind
{
    Text,
    Quote,
    Marker,
}

/// <summary>A piece of model output: wording, a quoted span (without its quotation marks), or a [n] marker.</summary>
internal sealed record Segment(SegmentKind Kind, string Text, IReadOnlyList<int> Numbers)
{
    public static Segment Plain(string text) => new(SegmentKind.Text, text, []);
}

/// <param name="Segments">The sentence's pieces in order.</param>
/// <param name="StartsParagraph">Whether a line break separated it from the previous sentence.</param>
internal sealed record DraftSentence(IReadOnlyList<Segment> Segments, bool StartsParagraph);

/// <summary>The model's reply, parsed but not yet verified.</summary>
/// <param name="NotAnswered">The model said the passages do not answer.</param>
/// <param name="Explanation">What it said instead, when <paramref name="NotAnswered"/>.</param>
internal sealed record ModelDraft(bool NotAnswered, string? Explanation, IReadOnlyList<DraftSentence> Sentences);

/// <summary>The completion was empty or not usable text; worth another attempt.</summary>
public sealed class MalformedCompletionException(string message) : Exception(message);
