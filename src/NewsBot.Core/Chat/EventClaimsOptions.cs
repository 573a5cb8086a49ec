using Microsoft.Extensions.Options;

namespace NewsBot.Chat;

/// <summary>How long a claim on a chat event holds (section <c>FrontEnds:Claims</c>; see <see cref="IEventClaims"/>).</summary>
public sealed class EventClaimsOptions
{
    public const string Section = "FrontEnds:Claims";

    /// <summary>
    /// How long an unfinished claim holds unless renewed. Its claimant renews it every third of this while it answers,
    /// so an answer may take longer; what this bounds is how soon the question of a claimant that crashed (or stalled
    /// for this long) can be taken over: shorter than Slack's last retry, about five minutes after the first delivery,
    /// so that the retry is answered.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a completed claim holds: Slack re-delivers an event over about five minutes; after this the store may forget it.</summary>
    public TimeSpan KeepFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often each process looks for questions another claimant acknowledged and then stopped answering (it crashed, or
    /// stopped before it got to them), which the platform will not deliver again: such a question is answered within
    /// about the lease plus this.
    /// </summary>
    public TimeSpan RecoverEvery { get; set; } = TimeSpan.FromSeconds(30);
}

internal sealed class EventClaimsOptionsValidator : IValidateOptions<EventClaimsOptions>
{
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, EventClaimsOptions options)
    {
        var errors = new List<string>();
        if (options.Lease <= TimeSpan.Zero || options.Lease > options.KeepFor)
            errors.Add("FrontEnds:Claims:Lease must be greater than 0 and not above FrontEnds:Claims:KeepFor (e.g. 00:02:00).");
        if (options.KeepFor <= TimeSpan.Zero || options.KeepFor > Longest)
            errors.Add("FrontEnds:Claims:KeepFor must be greater than 0 and at most 1 day (e.g. 01:00:00).");
        if (options.RecoverEvery <= TimeSpan.Zero || options.RecoverEvery > Longest)
            errors.Add("FrontEnds:Claims:RecoverEvery must be greater than 0 and at most 1 day (e.g. 00:00:30).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
