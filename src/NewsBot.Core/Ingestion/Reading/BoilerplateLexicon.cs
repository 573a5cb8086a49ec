using System.Text.RegularExpressions;

namespace NewsBot.Ingestion;

/// <summary>
/// Scores how much a line reads like page furniture (sign-up walls, share buttons, cookie banners) rather
/// than reporting: weighted UI vocabulary plus the shape of UI text (short, unpunctuated, imperative).
/// </summary>
internal static partial class BoilerplateLexicon
{
    [GeneratedRegex(@"[\w.+-]+@[\w-]+\.[\w.]+")]
    private static partial Regex EmailAddress();

    /// <summary>Lowercase phrases with weights; matched on word boundaries, apostrophes folded to '.</summary>
    private static readonly (string Phrase, double Weight)[] Phrases =
    [
        // Accounts and paywalls.
        ("sign in", 3), ("sign you in", 3), ("signed in", 3), ("sign up", 3), ("signup", 3), ("sign-up", 3),
        ("log in", 3), ("signing in", 3), ("signing up", 3), ("logging in", 3), ("one-time code", 2), ("verification code", 2),
        ("unlimited access", 3), ("full access", 2), ("our journalism", 2), ("this article is for subscribers", 3), ("login", 3), ("log-in", 3), ("log out", 3), ("logout", 3),
        ("register", 2), ("registering", 2), ("registered", 2), ("registration", 2), ("register for free", 3),
        ("already registered", 3), ("already a subscriber", 3), ("already have an account", 3),
        ("create an account", 3), ("create a free account", 3), ("account", 1), ("password", 1), ("forgot your password", 3),
        ("or continue with", 3), ("continue with google", 3), ("continue with facebook", 3), ("continue with apple", 3),
        ("continue reading", 3), ("keep reading", 3), ("to continue", 2), ("free trial", 3), ("paywall", 3),
        ("subscribe", 3), ("subscribed", 3), ("subscriber", 2), ("subscribers", 2), ("subscription", 3), ("unsubscribe", 3),
        ("become a member", 3), ("membership", 2), ("upgrade", 1), ("unlock", 2), ("premium", 1),
        ("support our journalism", 3), ("support independent journalism", 3), ("donate", 2),
        ("by registering", 3), ("by signing up", 3), ("by clicking", 3), ("you agree", 3),
        ("terms and conditions", 3), ("terms of use", 3), ("terms of service", 3), ("privacy policy", 3),
        ("all rights reserved", 3), ("copyright", 2), ("©", 3),
        // Newsletters, e-mail, alerts.
        ("newsletter", 3), ("newsletters", 3), ("daily edition", 2), ("inbox", 2), ("email", 1), ("e-mail", 1), ("emails", 1),
        ("your email", 3), ("enter your email", 3), ("check your email", 3), ("email address", 3), ("sent an email", 3),
        ("notifications", 2), ("notification", 2), ("get notifications", 3), ("alerts", 1), ("never miss", 3),
        ("don't miss", 3), ("stay updated", 2), ("stay up to date", 2), ("download the app", 3), ("download our app", 3),
        ("get the app", 3),
        // Navigation, sharing, comments, ads, cookies.
        ("read more", 3), ("read next", 3), ("see also", 2), ("related articles", 3), ("related stories", 3),
        ("related coverage", 3), ("recommended for you", 3), ("most popular", 3), ("most read", 3), ("trending now", 3),
        ("more from", 2), ("more stories", 3), ("you may also like", 3), ("skip to content", 3), ("skip to main content", 3),
        ("back to top", 3), ("load more", 3), ("show more", 2), ("click here", 3), ("tap here", 3),
        ("share", 1), ("share this", 3), ("share on", 3), ("share this article", 3), ("copy link", 3), ("link copied", 3),
        ("tweet", 2), ("whatsapp", 2), ("facebook", 1), ("twitter", 1), ("linkedin", 2), ("pinterest", 2), ("reddit", 1),
        ("follow us", 3), ("comments", 2), ("comment", 1), ("leave a comment", 3), ("join the conversation", 3),
        ("view comments", 3), ("advertisement", 3), ("sponsored", 2), ("sponsored content", 3), ("promoted", 2),
        ("cookie", 2), ("cookies", 2), ("we use cookies", 3), ("accept all", 3), ("manage preferences", 3),
        ("your experience", 2), ("improve your experience", 3), ("listen to this article", 3), ("min read", 2),
        ("most viewed", 3), ("top stories", 3), ("more on this story", 3), ("related topics", 3), ("suggested topics", 3),
        ("explore more", 3), ("reuse this content", 3), ("our standards", 3), ("trust principles", 3), ("licensing rights", 3),
        ("gift article", 3), ("gift articles", 3), ("send any friend a story", 3), ("topics", 1), ("follow", 1),
        ("ad", 1), ("ads", 1), ("hide ad", 3), ("ad-free", 3), ("readers like you", 3), ("support our work", 3),
        ("quality journalism", 2), ("thank you for reading", 3), ("join our community", 3), ("as little as", 2),
        ("a month", 1), ("per month", 1), ("exclusive content", 2), ("members", 1),
        ("report an error", 3), ("contact us", 2), ("about us", 2), ("print this", 2),
        // Second person: UI talks to the reader, reporting rarely does outside quotes.
        ("you", 0.5), ("your", 0.5), ("you're", 0.5), ("you'll", 0.5), ("you've", 0.5), ("please", 1), ("for free", 1),
    ];

    private static readonly HashSet<string> ImperativeStarts = new(StringComparer.OrdinalIgnoreCase)
    {
        "please", "enter", "click", "tap", "sign", "log", "register", "subscribe", "get", "download", "follow",
        "share", "join", "continue", "read", "watch", "listen", "check", "try", "create", "learn", "explore",
        "discover", "see", "view", "visit", "support", "donate", "become", "upgrade", "unlock", "manage", "accept",
        "allow", "open", "skip", "load", "show", "never", "don't", "stay", "start", "print", "email", "save",
    };

    // A line that is nothing but one of these is a widget label.
    private static readonly HashSet<string> UiLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        "image", "images", "photo", "photos", "video", "audio", "gallery", "credit", "caption", "advertisement", "ad",
        "sponsored", "loading", "close", "menu", "search", "share", "print", "email", "comments", "play", "pause",
        "listen", "subscribe", "next", "previous", "more", "expand", "collapse", "toggle", "home", "top",
    };

    /// <summary>Weighted vocabulary score.</summary>
    public static double Lexicon(string text)
    {
        if (UiLabels.Contains(text.TrimEnd(':', '.', '…', ' ')))
            return 4;

        var folded = text.ToLowerInvariant().Replace('\u2019', '\'').Replace('\u2018', '\'');
        var score = 0.0;

        // Links and addresses are for clicking, not quoting.
        if (folded.Contains("http://", StringComparison.Ordinal) || folded.Contains("https://", StringComparison.Ordinal)
            || folded.Contains("www.", StringComparison.Ordinal) || EmailAddress().IsMatch(folded))
        {
            score += 2;
        }

        foreach (var (phrase, weight) in Phrases)
        {
            var from = 0;
            while (from < folded.Length)
            {
                var at = folded.IndexOf(phrase, from, StringComparison.Ordinal);
                if (at < 0)
                    break;
                var end = at + phrase.Length;
                if (IsBoundary(folded, at - 1) && IsBoundary(folded, end))
                    score += weight;
                from = end;
            }
        }

        return score;
    }

    private static bool IsBoundary(string text, int index) =>
        index < 0 || index >= text.Length || !(char.IsLetterOrDigit(text[index]) || text[index] == '\'' || text[index] == '-');

    /// <summary>
    /// Judges a line: furniture when it has enough UI vocabulary in a UI shape. Sentence-like lines and
    /// lines with quotation marks need much more evidence, so reporting that mentions e-mails survives.
    /// </summary>
    public static Verdict Assess(string text)
    {
        var words = Whitespace.CountWords(text);
        var secondPerson = !TextShape.HasQuotation(text) && SecondPerson().IsMatch(text);
        var lexicon = Lexicon(text);
        if (lexicon == 0)
            return new Verdict(false, secondPerson && words <= ShortLine);

        var shape = 0.0;
        if (words <= 8)
            shape += 1;
        if (words >= 25)
            shape -= 2;
        if (!TextShape.EndsWithTerminal(text))
            shape += 0.5;
        else if (words >= 4)
            shape -= 1; // a declarative sentence: "Voters must register by Friday."
        if (text.EndsWith(':'))
            shape += 1;
        if (char.IsLower(text[0]))
            shape += 1;
        var firstWord = text.AsSpan(0, text.IndexOf(' ') is var space and > 0 ? space : text.Length).TrimEnd(":,.!?");
        var imperative = ImperativeStarts.Contains(firstWord.ToString());
        if (imperative)
            shape += 1;
        if (TextShape.HasQuotation(text))
        {
            lexicon -= 2;
            shape -= 1;
        }

        var total = lexicon + shape;
        // UI words add up in a long paragraph of reporting by chance ("scroll", "video", "share", "sign"):
        // past a few lines, only a dense run of them (one in ten words) makes furniture.
        var dense = words < LongParagraph || lexicon * 10 >= words;
        var boilerplate = dense && ((lexicon >= 2 && total >= 3) || lexicon >= 6);
        var addressesReader = (secondPerson && (lexicon >= 2 || words <= ShortLine)) || (imperative && lexicon >= 2);
        return new Verdict(boilerplate, addressesReader);
    }

    public static bool IsBoilerplate(string text) => Assess(text).IsBoilerplate;

    /// <summary>From this many words on, a paragraph is furniture only when UI words are dense in it.</summary>
    private const int LongParagraph = 40;

    /// <summary>Up to this many words a line talking to "you" is a prompt rather than reporting.</summary>
    private const int ShortLine = 12;

    [GeneratedRegex(@"\b(?:you|your|you're|you’re|you'll|you’ll|yourself)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecondPerson();

    /// <param name="IsBoilerplate">Page furniture to drop.</param>
    /// <param name="AddressesReader">Talks to the reader outside any quotation ("a link that will sign you
    /// in", "You're a dedicated reader"): not furniture on its own, but part of a footer it touches.</param>
    internal readonly record struct Verdict(bool IsBoilerplate, bool AddressesReader);
}
