namespace NewsBot.Sources;

/// <summary>The articles of the index currently being served.</summary>
public interface IArticleCatalog
{
    IReadOnlyList<Article> Articles { get; }

    Article? Find(string sourceId);
}
