namespace NewsBot.Chat;

/// <summary>Where a chat front end stands in the host.</summary>
public enum FrontEndState
{
    /// <summary>Running (or starting): connected, or reconnecting by itself.</summary>
    Running,

    /// <summary>Crashed, and waiting out its backoff before it is started again: deaf on its platform meanwhile.</summary>
    Restarting,

    /// <summary>Returned by itself; it is not started again.</summary>
    Stopped,

    /// <summary>The platform refused its configuration; NewsBot stops.</summary>
    Refused,
}

/// <param name="Name">The front end, e.g. "Discord".</param>
/// <param name="Crashes">Crashes since the process started.</param>
/// <param name="LastCrashAt">When it last crashed; null if it never did.</param>
/// <param name="LastError">The last crash's exception type (not its message, which health probes need not see).</param>
/// <param name="RestartAt">When it is started again, while <see cref="FrontEndState.Restarting"/>.</param>
public sealed record FrontEndStatus(
    string Name, FrontEndState State, int Crashes = 0, DateTimeOffset? LastCrashAt = null, string? LastError = null, DateTimeOffset? RestartAt = null);

/// <summary>The state of each chat front end the host runs, for health checks.</summary>
public interface IFrontEndHealth
{
    IReadOnlyList<FrontEndStatus> FrontEnds { get; }
}
