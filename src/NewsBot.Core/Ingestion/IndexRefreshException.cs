namespace NewsBot.Ingestion;

/// <summary>
/// The index could not be brought in line with the seeds folder for a reason outside NewsBot: a seeds folder this
/// process may not read, or an index it may not write (a read-only folder, a full disk). Nothing was published, so
/// the stored index is intact and can still be served. The message names the folder and the reason.
/// </summary>
public sealed class IndexRefreshException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>"permission denied" for an access error, else the exception's own message.</summary>
    public static string Reason(Exception e) => e is UnauthorizedAccessException ? "permission denied" : e.Message;
}
