namespace NewsBot.Chat;

/// <summary>
/// A chat platform adapter that talks to NewsBot only through <see cref="NewsBot.Chat.INewsBotEngine"/>.
/// The host runs every registered front end; another Discord adapter (e.g. on Discord.Net) can
/// replace this one by registering its own implementation instead.
/// </summary>
public interface IChatFrontEnd
{
    /// <summary>Shown in logs, e.g. "Discord".</summary>
    string Name { get; }

    /// <summary>Runs until cancelled.</summary>
    /// <exception cref="FrontEndRefusedException">The platform refused the configuration; the message says which setting to fix.</exception>
    Task RunAsync(CancellationToken cancellationToken);
}
