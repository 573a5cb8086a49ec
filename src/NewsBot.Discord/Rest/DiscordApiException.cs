using System.Net;

namespace NewsBot.Discord.Rest;

/// <summary>
/// A Discord REST error. The message names the route template (never a path holding an interaction
/// token) and Discord's JSON error code.
/// </summary>
public sealed class DiscordApiException(HttpStatusCode status, int? code, string route, string message)
    : Exception($"Discord {route} failed with {(int)status} {status}{(code is null ? "" : $" (code {code})")}: {message}")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>Discord's JSON error code (e.g. 50013 missing permissions), when it sent one.</summary>
    public int? Code { get; } = code;

    public string Route { get; } = route;
}
