using System.Text.RegularExpressions;

namespace NewsBot.Chat;

/// <summary>A chat message as the request recognisers read it: lower case, straight apostrophes, single spaces, trimmed.</summary>
internal static partial class RequestText
{
    public static string Normalised(string message) => Spaces().Replace(message.Replace('’', '\'').Trim().ToLowerInvariant(), " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
