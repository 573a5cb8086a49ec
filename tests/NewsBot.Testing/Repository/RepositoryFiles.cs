namespace NewsBot.Testing.Repository;

/// <summary>Files of the repository the tests run from (found above the test assembly), such as the seed article.</summary>
public static class RepositoryFiles
{
    /// <summary>The one article shipped in seeds/, so quotes in tests come from real article text.</summary>
    public const string SeedSourceId = "000_4602c717996ed5a8";

    private static readonly Lazy<string> RootFolder = new(FindRoot);

    private static readonly Lazy<string> SeedText = new(() => File.ReadAllText(SeedPath).ReplaceLineEndings("\n"));

    /// <summary>The folder holding NewsBot.sln.</summary>
    public static string Root => RootFolder.Value;

    public static string SeedPath => Path.Combine(Root, "seeds", SeedSourceId + ".txt");

    /// <summary>The seed article's text with \n line ends.</summary>
    public static string SeedArticleText => SeedText.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NewsBot.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("NewsBot.sln was not found above " + AppContext.BaseDirectory);
    }
}
