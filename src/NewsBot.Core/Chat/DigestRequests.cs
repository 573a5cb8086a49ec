using System.Text.RegularExpressions;

namespace NewsBot.Chat;

/// <summary>
/// A chat message that asks what the news is across the articles ("what's the news?", "summarize all the articles", "any
/// headlines today?", "catch me up") rather than about one of them. Searched as a question it matched no sentence, and
/// "summarize the articles" asked which one; it gets a <see cref="Summaries.NewsDigest"/>.
/// </summary>
/// <remarks>
/// Only the whole message: "what's the latest on the storm?" and "any news about Russia?" name what they are after, and are a
/// topic and a search.
/// </remarks>
public static partial class DigestRequests
{
    public static bool Recognise(string message) =>
        Request().IsMatch(RequestText.Normalised(message));

    private const string All = @"(?:all|each|every|both)(?: (?:of )?(?:the |these |those |your |my )?(?:articles?|stories|story|news|sources?|pieces?|them|one))?";
    private const string Plural = @"(?:the|these|those|your|today's|the latest|the loaded) (?:news )?(?:articles|stories|sources|pieces|news)";
    private const string News = @"(?:the |today's |the day's |this week's )?(?:latest |top |main |big |biggest |breaking )?(?:news|headlines|stories|news stories)";

    [GeneratedRegex(@"^\W*" + SummaryRequests.Polite +
                    @"(?:(?:summari[sz]e|sum up|recap|give (?:me |us )?(?:a |the )?(?:quick |short |brief )?(?:summary|recap|overview|rundown|roundup) of) (?:" + All + "|" + Plural + @"|everything)" +
                    @"|what(?:'s| is| are)(?: in)? " + News + @"(?: today| now| right now| so far)?" +
                    @"|what's (?:new|the latest)|anything new|any news|(?:any|what) headlines(?: today)?" +
                    @"|(?:give|show|tell) (?:me|us) " + News + @"(?: today)?" +
                    @"|(?:the |today's )?(?:news|headlines)(?: today| please)?" +
                    @"|(?:a |the |today's |daily |news )?(?:news )?(?:digest|roundup|round-up|briefing|rundown)" +
                    @"|catch (?:me|us) up|brief (?:me|us)|fill (?:me|us) in" +
                    @"|what(?:'s| is) (?:happening|going on)(?: today| in the news| right now)?|what happened today)" +
                    @"(?:,?\s+(?:please|pls|plz|for me|for us|today))*\W*$")]
    private static partial Regex Request();
}
