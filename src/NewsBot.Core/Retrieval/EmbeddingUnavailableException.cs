namespace NewsBot.Retrieval;

/// <summary>
/// The embedding model could not embed (a remote provider unreachable, refusing or failing). The message is one line
/// that is safe to show: it holds no provider text, which may quote the key it refused.
/// </summary>
public sealed class EmbeddingUnavailableException(string message) : Exception(message);
