using System.Text;
using System.Text.RegularExpressions;

namespace NewsBot.Slack.Messages;

/// <summary>
/// Slack's mrkdwn control characters. Slack reads &lt;…&gt; as links, user mentions and broadcasts
/// (&lt;!channel&gt;, &lt;!here&gt;, &lt;!everyone&gt;, &lt;@U…&gt;), so every text that may hold a user's words is
/// escaped: only &amp;, &lt; and &gt; need it, and escaped they show as typed and ping nobody.
/// </summary>
internal static partial class Mrkdwn
{
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny('&', '<', '>') < 0)
            return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => null,
            });
            if (c is not ('&' or '<' or '>'))
                escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>
    /// A message's text as the person typed it: the bot's own mention removed, links reduced to their
    /// label or address, and Slack's three escapes undone (the reply escapes again whatever it repeats).
    /// </summary>
    public static string ToPlainQuestion(string text, string botUserId)
    {
        var withoutBot = Regex.Replace(text, $"<@{Regex.Escape(botUserId)}(?:\\|[^>]*)?>", " ", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var withoutLinks = LinkRegex().Replace(withoutBot, m => m.Groups["label"].Success ? m.Groups["label"].Value : m.Groups["url"].Value);
        return withoutLinks.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal).Trim();
    }

    /// <summary>Web and mail links only: user, channel and broadcast references stay as they are (and get escaped on the way out).</summary>
    [GeneratedRegex(@"<(?<url>(?:https?|mailto):[^|>]+)(?:\|(?<label>[^>]*))?>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LinkRegex();
}
