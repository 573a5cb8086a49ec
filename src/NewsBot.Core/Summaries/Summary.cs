using NewsBot.Answering;

namespace NewsBot.Summaries;

/// <summary>How long a summary is, in sentences (<see cref="SummaryLengths.SentenceCount"/>).</summary>
public enum SummaryLength
{
    Short,
    Medium,
    Long,

    /// <summary>One sentence: asked for in a chat ("sum it up in one sentence"); commands offer short, medium and long.</summary>
    OneSentence,
}

/// <param name="SourceId">The article to summarise; null for the one the conversation is about, else the only one loaded, else a
/// <see cref="NewsDigest"/> of them.</param>
/// <param name="ConversationId">The chat conversation the command was given in, or null: the summary becomes its last turn,
/// so that "who wrote it?" or "tell me more" after <c>/summary storm</c> is about that article.</param>
public sealed record SummaryRequest(string? SourceId = null, SummaryLength Length = SummaryLength.Medium, string? ConversationId = null);

/// <summary>A cited summary of one article, or a digest of several: each sentence quoted in <see cref="Text"/> is backed by a citation.</summary>
/// <param name="SourceId">The article summarised; null for a <see cref="NewsDigest"/> of several.</param>
public sealed record Summary(string? SourceId, string Title, string Text, IReadOnlyList<Citation> Citations, string? Note = null);
