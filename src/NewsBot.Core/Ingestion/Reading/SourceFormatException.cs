namespace NewsBot.Ingestion;

/// <summary>
/// A source file that cannot become an article (empty, binary, not UTF-8, unreadable, nothing left after
/// cleaning). The reload reports it by name with <see cref="Reason"/> and keeps loading the other files.
/// </summary>
public sealed class SourceFormatException : Exception
{
    public SourceFormatException()
        : this(string.Empty, "unreadable source")
    {
    }

    public SourceFormatException(string message)
        : this(string.Empty, message)
    {
    }

    public SourceFormatException(string message, Exception innerException)
        : this(string.Empty, message, innerException)
    {
    }

    public SourceFormatException(string path, string reason, Exception? innerException = null)
        : base(string.IsNullOrEmpty(path) ? reason : $"{System.IO.Path.GetFileName(path)}: {reason}", innerException)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The file that was rejected.</summary>
    public string Path { get; }

    /// <summary>Why, in a few words, without the file name.</summary>
    public string Reason { get; }
}
