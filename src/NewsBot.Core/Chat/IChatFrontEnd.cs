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

    /// <summary>Runs until cancelled, or until the platform refuses the configuration (then it has logged why).</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
