namespace NewsBot.Retrieval;

/// <summary>
/// The words a message uses for the article itself ("the story", "this piece"), as regular-expression alternatives, shared
/// by the rules that must tell the article from what it reports: a summary request, a question about the article as a
/// whole, "according to the piece", and "what did the article say?", where the article is no speaker. Each rule adds the
/// words only it may read so ("the report" is as often a report the article tells of).
/// </summary>
internal static class ArticleWords
{
    /// <summary>Nouns for the article: "article", "story", "piece", "text", "post", "news story".</summary>
    public const string Nouns = "article|story|piece|text|post|news ?story";

    /// <summary>Words pointing at the one being read: "the", "this", "that", "your".</summary>
    public const string Determiners = "the|this|that|your";

    /// <summary>The article as a phrase: "the story", "this piece".</summary>
    public const string TheArticle = "(?:" + Determiners + ") (?:" + Nouns + ")";
}
