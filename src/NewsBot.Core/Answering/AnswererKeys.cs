namespace NewsBot.Answering;

/// <summary>
/// DI keys for the answerer and summarizer implementations, so a generative decorator can ask for the
/// extractive one as its fallback while the unkeyed <see cref="IAnswerer"/> is whichever mode is configured.
/// </summary>
public static class AnswererKeys
{
    public const string Extractive = "extractive";
}
