namespace NewsBot.Slack.WebApi;

/// <summary>A Web API call that failed: Slack answered ok:false with <see cref="Error"/>, or HTTP failed for good.</summary>
public sealed class SlackApiException(string method, string error, string? detail = null)
    : Exception(detail is null ? $"Slack {method} failed: {error}" : $"Slack {method} failed: {error} ({detail})")
{
    public string Method { get; } = method;

    /// <summary>Slack's error code, e.g. channel_not_found, or an HTTP description.</summary>
    public string Error { get; } = error;

    /// <summary>The token was revoked or is wrong: no call can succeed until the owner fixes the configuration.</summary>
    public bool IsAuthFailure => SlackApiClient.IsAuthError(Error);
}
