using Microsoft.Extensions.Options;

namespace NewsBot.Chat;

/// <summary>
/// How a chat front end that crashed (any failure but a refusal) is started again (section <c>FrontEnds</c>): after
/// <see cref="RestartDelayMin"/>, doubled per crash in a row up to <see cref="RestartDelayMax"/>, each wait jittered;
/// and how long stopping goes on answering what was already acknowledged (<see cref="StopDrainTime"/>).
/// </summary>
public sealed class FrontEndLifetimeOptions
{
    public const string Section = "FrontEnds";

    /// <summary>Wait before the first restart, doubled for each further crash in a row.</summary>
    public TimeSpan RestartDelayMin { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RestartDelayMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A run this long counts as healthy: the next crash waits <see cref="RestartDelayMin"/> again.</summary>
    public TimeSpan HealthyAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a stopping front end goes on answering the questions it already acknowledged (neither Slack nor Discord
    /// delivers them again); what is left then is handed on through the claims store for another process to answer. The
    /// host allows this plus <see cref="StopMargin"/> to stop.
    /// </summary>
    public TimeSpan StopDrainTime { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>What stopping needs beyond the drain: closing connections, releasing claims, the other services.</summary>
    public static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan LongestStopDrainTime = TimeSpan.FromMinutes(10);
}

internal sealed class FrontEndLifetimeOptionsValidator : IValidateOptions<FrontEndLifetimeOptions>
{
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, FrontEndLifetimeOptions options)
    {
        var errors = new List<string>();
        if (options.RestartDelayMin <= TimeSpan.Zero || options.RestartDelayMax < options.RestartDelayMin || options.RestartDelayMax > Longest)
            errors.Add("FrontEnds:RestartDelayMin must be greater than 0 and not above RestartDelayMax, which must be at most 1 day (e.g. 00:00:01 and 00:05:00).");
        if (options.HealthyAfter <= TimeSpan.Zero || options.HealthyAfter > Longest)
            errors.Add("FrontEnds:HealthyAfter must be greater than 0 and at most 1 day (e.g. 00:01:00).");
        if (options.StopDrainTime < TimeSpan.Zero || options.StopDrainTime > FrontEndLifetimeOptions.LongestStopDrainTime)
            errors.Add("FrontEnds:StopDrainTime must be between 0 and 10 minutes (e.g. 00:00:20).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
