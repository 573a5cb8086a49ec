namespace NewsBot.Chat;

/// <summary>
/// The chat platform refused the front end's configuration (a rejected token, a disallowed intent): reconnecting
/// cannot help, the owner must change a setting. The message is one line naming the setting, never its value.
/// </summary>
public sealed class FrontEndRefusedException(string message) : Exception(message);
