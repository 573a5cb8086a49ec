namespace NewsBot.Ingestion;

/// <summary>
/// Scores how much a line reads like page furniture (sign-up walls, share buttons, cookie banners) rather
/// than reporting: weighted UI vocabulary plus the shape of UI text (short, unpunctuated, imperative).
/// </summary>
internal static class BoilerplateLexicon
{
    /// <summary>Lowercase phrases with weights; matched on word boundaries, apostrophes folded to '.</summary>
    private static readonly (string Phrase, double Weight)[] Phrases =
    [
        // Accounts and paywalls.
        ("sign in", 3), ("sign you in", 3), ("signed in", 3), ("sign up", 3), ("signup", 3), ("sign-up", 3),
        ("log in", 3), ("login", 3), ("log-in", 3), ("log out", 3), ("logout", 3),
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
        ("share", 2), ("share this", 3), ("share on", 3), ("share this article", 3), ("copy link", 3), ("link copied", 3),
        ("tweet", 2), ("whatsapp", 2), ("facebook", 1), ("twitter", 1), ("linkedin", 2), ("pinterest", 2), ("reddit", 1),
        ("follow us", 3), ("comments", 2), ("comment", 1), ("leave a comment", 3), ("join the conversation", 3),
        ("view comments", 3), ("advertisement", 3), ("sponsored", 2), ("sponsored content", 3), ("promoted", 2),
        ("cookie", 2), ("cookies", 2), ("we use cookies", 3), ("accept all", 3), ("manage preferences", 3),
        ("your experience", 2), ("improve your experience", 3), ("listen to this article", 3), ("min read", 2),
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

    /// <summary>Weighted vocabulary score.</summary>
    public static double Lexicon(string text)
    {
        var folded = text.ToLowerInvariant().Replace('\u2019', '\'').Replace('\u2018', '\'');
        var score = 0.0;
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
    /// Whether a line is page furniture: enough UI vocabulary, in a UI shape. Sentence-like lines with
    /// quotation marks need much more evidence, so reporting that mentions e-mails or sharing survives.
    /// </summary>
    public static bool IsBoilerplate(string text) => Score(text) is var (lexicon, total) && IsBoilerplate(lexicon, total);

    public static bool IsBoilerplate(double lexicon, double total) => (lexicon >= 2 && total >= 3) || lexicon >= 6;

    public static (double Lexicon, double Total) Score(string text)
    {
        var lexicon = Lexicon(text);
        if (lexicon == 0)
            return (0, 0);

        var words = Whitespace.CountWords(text);
        var shape = 0.0;
        if (words <= 8)
            shape += 1;
        if (words >= 25)
            shape -= 2;
        if (!TextShape.EndsWithTerminal(text))
            shape += 0.5;
        if (text.EndsWith(':'))
            shape += 1;
        if (char.IsLower(text[0]))
            shape += 1;
        var firstWord = text.AsSpan(0, text.IndexOf(' ') is var space and > 0 ? space : text.Length).TrimEnd(":,.!?");
        if (ImperativeStarts.Contains(firstWord.ToString()))
            shape += 1;
        if (TextShape.HasQuotation(text))
        {
            lexicon -= 2;
            shape -= 1;
        }

        return (lexicon, lexicon + shape);
    }
}
