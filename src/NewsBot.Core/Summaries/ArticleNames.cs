using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NewsBot.Answering;
using NewsBot.Sources;

namespace NewsBot.Summaries;

/// <summary>What a name in an article stands for, as far as the article's own wording shows.</summary>
public enum NameKind
{
    Person,
    Organisation,

    /// <summary>A country, known by name (<see cref="Countries"/>); listed only when asked for places.</summary>
    Country,
}

/// <summary>A person or organisation an article names: as first written in full, how many times, and where first.</summary>
/// <param name="Name">The fullest form the article uses ("Benjamin Netanyahu", not "Netanyahu").</param>
/// <param name="Mentions">Every time the article names it in its body, short forms included ("Netanyahu").</param>
/// <param name="FirstMention">The first body sentence naming it.</param>
public sealed record ArticleName(string Name, NameKind Kind, int Mentions, Sentence FirstMention);

/// <summary>
/// The people and organisations an article's body names ("who is mentioned in the story?"). There is no tagger to ask,
/// so a name is a run of capitalised words and each kind needs evidence in the article itself. A person: a title or role
/// right before the name ("Prime Minister Benjamin Netanyahu", "founder Eugene Kaspersky") or right after it ("Mansoor
/// Mohi-Uddin, chief currency strategist"), or a verb of saying before it ("said Ian Gunner"; "Time Warner said" is no
/// sign: firms say things too). The surname used alone is no sign either ("Soviet", "Italy", "Tiberius" are too), but
/// counts as a mention of the person named in full. An organisation: a head word ("Kaspersky Lab", "National
/// Security Agency", "Ministry of Defense", "The New York Times") or an acronym the text treats as one ("the NSA", "SEC
/// said", or named twice; "LED" and "GDP" never). Places and anything else are not listed: "United States" and "Davos"
/// show nothing that sets them apart from a person or a firm, and a name holding a polity's word ("Kingdom of Italy") or
/// opening with a nationality ("French Quebec") is no person. A word that opens a sentence is left out when the article
/// also writes it in lower case or it is a common opener, unless it is capitalised inside a sentence too ("In June",
/// "Meanwhile Kaspersky"; but "Mansoor Mohi-Uddin, …, said").
/// Measured on 40 Wikipedia paragraphs of the training data that no rule was written for: 8 of 8 people and 30 of 34
/// organisations right (wrong: "Soviet Union", a state; "Champions League"; "PlayStation Network"; "CFL", a lamp).
/// </summary>
public static partial class ArticleNames
{
    // Not "and": "Israel and Russia" are two names.
    private static readonly HashSet<string> Connectors = ["of", "de", "del", "da", "di", "du", "van", "von", "der", "bin", "al", "la", "le", "y", "&"];

    // First words of places that say things as governments do ("North Korea said"): no sign of a person.
    private static readonly HashSet<string> PlaceOpeners =
    [
        "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "Middle", "Great", "New",
        "United", "Saudi", "Hong", "Sri", "El", "Los", "Las", "San", "Santa", "Costa", "Puerto", "White", "Downing", "Wall",
        "Capitol", "Tel", "Sierra", "Ivory", "Czech", "Dominican", "Buenos", "Rio", "Abu", "Cape",
    ];

    private static readonly HashSet<string> OrganisationHeads = new(StringComparer.OrdinalIgnoreCase)
    {
        "Lab", "Labs", "Laboratory", "Laboratories", "Inc", "Corp", "Corporation", "Co", "Company", "Ltd", "LLC", "Plc",
        "Group", "Holdings", "Agency", "Office", "Ministry", "Department", "Council", "Committee", "Commission", "Bank",
        "University", "College", "Party", "Times", "Post", "News", "Journal", "Herald", "Tribune", "Guardian", "Telegraph",
        "Gazette", "Press", "Service", "Services", "Forum", "Association", "Organization", "Organisation", "Federation",
        "Union", "League", "Court", "Parliament", "Congress", "Senate", "Assembly", "Police", "Army", "Navy", "Force",
        "Forces", "Authority", "Board", "Institute", "Foundation", "Fund", "Club", "Network", "Airlines", "Airways", "Motors",
        "Media", "Systems", "Technologies", "Bureau", "Administration", "Directorate", "Cabinet", "Reuters", "Pentagon",
        "Reserve", "Exchange", "Publications", "Front", "Movement", "Alliance", "Coalition", "Soviet", "Church",
    };

    // Heads that name an organisation when "of" follows: "Ministry of Defense", "Bank of England".
    private static readonly HashSet<string> OrganisationOf = new(StringComparer.OrdinalIgnoreCase)
    {
        "Ministry", "Department", "Office", "Bank", "University", "Institute", "Council", "Committee", "Bureau", "Court",
        "Times", "Board", "Commission", "Church", "Academy", "House",
    };

    // Words that make a name a place or a state, not a person: "Kingdom of Italy", "Republic of Korea", "Ohio State".
    private static readonly HashSet<string> Polities = new(StringComparer.OrdinalIgnoreCase)
    {
        "Kingdom", "Republic", "Empire", "State", "States", "Province", "County", "City", "Islands", "Island", "Union",
        "Federation", "Dynasty", "Territory", "Region", "District", "Valley", "River", "Mountains", "Sea", "Ocean", "Bay",
    };

    // Nationalities: a name they open is a people or a place ("French Quebec", "English Canadian"), not a person.
    private static readonly HashSet<string> Nationalities = new(StringComparer.OrdinalIgnoreCase)
    {
        "American", "British", "English", "French", "German", "Russian", "Chinese", "Japanese", "Canadian", "Israeli",
        "Iranian", "Indian", "Italian", "Spanish", "Mexican", "Brazilian", "Korean", "Soviet", "European", "African", "Asian",
        "Arab", "Palestinian", "Syrian", "Iraqi", "Afghan", "Pakistani", "Turkish", "Greek", "Polish", "Ukrainian", "Swiss",
        "Dutch", "Swedish", "Irish", "Scottish", "Welsh", "Australian", "Egyptian", "Saudi", "Cuban", "Nigerian", "Portuguese",
        "Catholic", "Protestant", "Muslim", "Jewish", "Christian", "Latin", "Western", "Eastern", "Northern", "Southern",
    };

    // Titles that make one word a person's name: "Mr Nevzlin", "President Putin"; "player Theatre" does not.
    private static readonly HashSet<string> Honorifics = new(StringComparer.Ordinal)
    {
        "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Dame", "Lord", "Lady", "President", "Premier", "Chancellor", "Senator",
        "Sen", "Governor", "Gov", "Mayor", "Judge", "General", "Gen", "Colonel", "Col", "Captain", "Capt", "King", "Queen",
        "Prince", "Princess", "Pope", "Rabbi", "Sheikh", "Minister", "Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Sen.", "Gov.", "Col.",
    };

    private static readonly HashSet<string> Roles = new(StringComparer.OrdinalIgnoreCase)
    {
        "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Professor", "Sir", "Dame", "Lord", "Lady", "King", "Queen", "Prince",
        "Princess", "Pope", "Rabbi", "Sheikh", "President", "Premier", "Chancellor", "Minister", "Prime", "Secretary",
        "Senator", "Sen", "Rep", "Representative", "Governor", "Gov", "Mayor", "Judge", "Justice", "General", "Gen",
        "Colonel", "Col", "Captain", "Capt", "Lieutenant", "Lt", "Sergeant", "Sgt", "Ambassador", "Director", "Founder",
        "Spokesman", "Spokeswoman", "Spokesperson", "Chief", "Commissioner", "Inspector", "CEO", "Chairman",
        "Chairwoman", "Chair", "Deputy", "Vice", "Foreign", "Defense", "Defence", "Finance", "Speaker", "Coach",
        "Manager", "Executive", "head", "boss", "leader", "analyst", "expert", "researcher", "author", "journalist",
        "reporter", "lawyer", "attorney", "officer", "official", "economist", "actor", "actress", "singer", "player",
        "candidate", "investor", "engineer", "trader", "strategist", "adviser", "advisor", "partner", "owner", "editor",
        "correspondent", "tycoon", "billionaire", "businessman", "businesswoman", "entrepreneur", "activist", "politician",
        "scientist", "writer", "novelist", "poet", "composer", "artist", "producer", "colleague", "associate", "wife",
        "husband", "son", "daughter", "brother", "sister", "father", "mother", "commander",
    };

    private static readonly HashSet<string> NotNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "I", "CEO", "CFO", "CTO",
        "COO", "TV", "AM", "PM", "GMT", "UTC", "ID", "OK", "US", "U.S.", "UK", "U.K.", "USA", "UAE", "EU", "AI", "R&D",
        "GDP", "GNP", "LED", "AC", "DC", "BC", "AD", "BCE", "CE", "PC", "CPU", "DNA", "RNA", "HIV", "AIDS", "GPS", "USB",
        "UV", "IQ", "CD", "DVD", "FM", "HD", "IT", "IP", "OS", "PR", "VR", "UFO", "ATM", "MP", "MPs", "VAT", "CEO's", "PhD",
    };

    private static readonly HashSet<string> Openers = new(StringComparer.Ordinal)
    {
        "Meanwhile", "However", "Also", "Still", "Yet", "Then", "Now", "Today", "Yesterday", "Earlier", "Later", "Last", "Next",
        "Since", "Although", "Though", "While", "When", "Where", "If", "As", "After", "Before", "During", "Despite", "Under",
        "Over", "With", "Without", "For", "From", "To", "At", "On", "In", "By", "Of", "And", "But", "Or", "So", "A", "An", "It",
        "He", "She", "They", "We", "You", "His", "Her", "Its", "Their", "Our", "This", "That", "These", "Those", "There", "Here",
        "According", "Among", "Both", "Each", "Many", "Some", "Most", "Several", "Other", "Another", "Such", "What", "Which",
        "Who", "Why", "How", "Asked", "Speaking", "Citing", "Unlike", "Like", "Instead", "Even", "Only", "Just", "Not", "No",
        "Yes", "Following", "Amid", "Dear", "Personally", "Considering", "Sources", "Officials", "Critics", "Analysts",
    };

    private static readonly HashSet<string> SayingVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "said", "says", "told", "tells", "wrote", "writes", "added", "asked", "explained", "stated", "tweeted", "announced",
        "warned", "insisted", "argued", "noted", "claimed", "replied", "recalled", "testified", "declared", "admitted", "denied",
    };

    /// <summary>At most this many names of each kind, so that the reply stays one chat message.</summary>
    public const int MaxPerKind = 5;

    /// <summary>
    /// The listing for a reply: per kind asked (people and organisations when <paramref name="kind"/> is null), a heading
    /// and one line per name, "• Benjamin Netanyahu (4 mentions): “…” [1]", quoting its first mention; empty when the
    /// article names none.
    /// </summary>
    public static (string Text, IReadOnlyList<Citation> Citations) Listing(Article article, NameKind? kind)
    {
        var names = Of(article);
        var text = new StringBuilder();
        var citations = new List<Citation>();
        foreach (var (listed, heading) in new[] { (NameKind.Person, "People"), (NameKind.Organisation, "Organisations"), (NameKind.Country, "Countries") })
        {
            var ofKind = names.Where(n => n.Kind == listed).ToList();
            if ((kind is null ? listed == NameKind.Country : kind != listed) || ofKind.Count == 0)
                continue;
            text.Append(text.Length > 0 ? "\n" : "").Append(heading).Append(':');
            foreach (var name in ofKind.Take(MaxPerKind))
            {
                var sentence = name.FirstMention;
                var citation = Citation.Of(citations.Count + 1, article, sentence);
                citations.Add(citation);
                var mentions = name.Mentions == 1 ? "1 mention" : string.Create(CultureInfo.InvariantCulture, $"{name.Mentions} mentions");
                text.Append("\n• ").Append(name.Name).Append(" (").Append(mentions).Append("): ").Append(QuoteMarks.Wrap(sentence.Text))
                    .Append(" [").Append(citation.Number).Append(']');
            }

            if (ofKind.Count > MaxPerKind)
                text.Append(string.Create(CultureInfo.InvariantCulture, $"\n…and {ofKind.Count - MaxPerKind} more."));
        }

        return (text.ToString(), citations);
    }

    /// <summary>The people and organisations the article's body names, most mentioned first.</summary>
    public static IReadOnlyList<ArticleName> Of(Article article)
    {
        var kinds = article.Paragraphs.ToDictionary(p => p.Number, p => p.Kind);
        var sentences = article.Sentences.Where(s => kinds[s.Paragraph] is ParagraphKind.Body or ParagraphKind.Dek).ToList();
        var tokenised = sentences.Select(s => Tokens(s.Text)).ToList();
        var capitalisedInside = tokenised.SelectMany(t => t.Where(w => !w.Opens && IsCapitalised(w.Text)).Select(w => w.Text))
            .ToHashSet(StringComparer.Ordinal);
        var lowercase = tokenised.SelectMany(t => t.Where(w => !IsCapitalised(w.Text)).Select(w => w.Text)).ToHashSet(StringComparer.Ordinal);
        var runs = sentences.SelectMany((s, i) => Runs(tokenised[i], capitalisedInside, lowercase).Select(r => r with { Sentence = s })).ToList();

        // "Mr Nevzlin" makes "Leonid Nevzlin" a person.
        var addressed = runs.Where(r => r.Words.Length == 1 && r.Honorific).Select(r => r.Words[0]).ToHashSet(StringComparer.Ordinal);
        var people = new List<List<Run>>();
        var organisations = new List<List<Run>>();
        var countries = runs.Where(r => Countries.Of(r.Name) is not null).GroupBy(r => Countries.Of(r.Name)!, StringComparer.Ordinal)
            .Select(g => g.ToList()).ToList();
        foreach (var group in runs.Where(r => Countries.Of(r.Name) is null).GroupBy(r => r.Name, StringComparer.Ordinal))
        {
            var name = group.ToList();
            var words = name[0].Words;
            if (IsOrganisation(words) && (words.Length > 1 || name.Count > 1 || name.Any(r => r.Introduced)))
                organisations.Add(name);
            else if (words.Length >= 2 && !words.Any(NotNames.Contains) && !words.Any(Polities.Contains) && !Nationalities.Contains(words[0])
                     && words.All(w => IsCapitalised(w) || Connectors.Contains(w))
                     && !words.Any(w => Acronym().IsMatch(w)) && words[^1].Length > 1
                     && (name.Any(r => r.Titled) || addressed.Contains(words[^1]) || !PlaceOpeners.Contains(words[0]) && name.Any(r => r.PersonCue)))
                people.Add(name);
            else if (words.Length == 1 && name.Any(r => r.Honorific) && !NotNames.Contains(words[0]))
                people.Add(name);
        }

        // Short forms: "Netanyahu" is the person "Benjamin Netanyahu" once the article has named him in full.
        var shortForms = runs.Where(r => r.Words.Length == 1).GroupBy(r => r.Name, StringComparer.Ordinal).ToList();
        var merged = people.Where(p => p[0].Words.Length > 1).Select(p => new List<Run>(p)).ToList();
        foreach (var single in shortForms)
        {
            var owners = merged.Where(p => p[0].Words[^1] == single.Key).ToList();
            if (owners.Count == 1)
                owners[0].AddRange(single);
        }

        merged.AddRange(people.Where(p => p[0].Words.Length == 1 && !merged.Any(m => m[0].Words[^1] == p[0].Words[0])));
        // "National Security Agency" is the "US National Security Agency" named first.
        var organisationGroups = new List<List<Run>>();
        foreach (var organisation in organisations.OrderBy(o => o[0].Words.Length))
        {
            var shorter = organisationGroups.FirstOrDefault(g => EndsWith(organisation[0].Words, g[0].Words));
            if (shorter is null)
                organisationGroups.Add([.. organisation]);
            else
                shorter.AddRange(organisation);
        }

        return [.. merged.Select(p => Named(p, NameKind.Person))
            .Concat(organisationGroups.Select(o => Named(o, NameKind.Organisation)))
            .Concat(countries.Select(c => Named(c, NameKind.Country)))
            .OrderByDescending(n => n.Mentions).ThenBy(n => n.FirstMention.Index)];
    }

    private static ArticleName Named(List<Run> runs, NameKind kind)
    {
        var first = runs.MinBy(r => r.Sentence!.Index)!;
        var fullest = runs.Where(r => r.Words.Length == runs.Max(x => x.Words.Length)).MinBy(r => r.Sentence!.Index)!;
        return new ArticleName(fullest.Name, kind, runs.Count, first.Sentence!);
    }

    private static bool EndsWith(string[] words, string[] tail) =>
        words.Length >= tail.Length && words.AsSpan(words.Length - tail.Length).SequenceEqual(tail);

    private static bool IsOrganisation(string[] words) =>
        (words.Length >= 2 && OrganisationHeads.Contains(words[^1]) && words.Take(words.Length - 1).Any(IsCapitalised))
        || (words.Length >= 3 && words.Zip(words.Skip(1)).Any(pair => OrganisationOf.Contains(pair.First) && pair.Second == "of"))
        || (words.Length == 1 && Acronym().IsMatch(words[0]) && !NotNames.Contains(words[0]));

    private static bool IsCapitalised(string word) => word.Length > 0 && char.IsUpper(word[0]);

    /// <summary>
    /// The sentence's runs of capitalised words (with "of", "bin" and the like between them), each without the words that
    /// open the sentence only, a role before it ("CEO of", "Prime Minister") or a trailing possessive.
    /// </summary>
    private static IEnumerable<Run> Runs(List<Token> tokens, HashSet<string> capitalisedInside, HashSet<string> lowercase)
    {
        var i = 0;
        while (i < tokens.Count)
        {
            if (!IsCapitalised(tokens[i].Text))
            {
                i++;
                continue;
            }

            var start = i;
            var end = i + 1;
            while (end < tokens.Count && !tokens[end - 1].Closes)
            {
                if (IsCapitalised(tokens[end].Text) && !tokens[end].Opens)
                    end++;
                else if (Connectors.Contains(tokens[end].Text) && end + 1 < tokens.Count && IsCapitalised(tokens[end + 1].Text) && !tokens[end].Closes)
                    end += 2;
                else
                    break;
            }

            i = end;
            // Words a sentence (or a quote in it) opens with, and "The": "In June", "Meanwhile Kaspersky", "The New York
            // Times"; but "Mansoor Mohi-Uddin, chief currency strategist, said" opens with a name.
            while (start < end && (tokens[start].Text == "The" || Connectors.Contains(tokens[start].Text)
                                   || tokens[start].Opens && !capitalisedInside.Contains(tokens[start].Text)
                                      && (lowercase.Contains(tokens[start].Text.ToLowerInvariant()) || Openers.Contains(tokens[start].Text))))
                start++;
            // Only a role ("Prime Minister" of "Prime Minister’s Office", cut at the possessive): no name.
            if (start == end || Enumerable.Range(start, end - start).All(k => Roles.Contains(tokens[k].Text)))
                continue;

            // A role before the name: "founder Eugene Kaspersky", "Russian President Vladimir Putin"; "CEO of Kaspersky Lab"
            // names the firm. "General Motors" and "Justice Department" stay whole: their last word makes them organisations,
            // and "Stephen King" too: a role must have a name after it.
            var titled = start > 0 && Roles.Contains(tokens[start - 1].Text) && !tokens[start - 1].Closes;
            var lastRole = Enumerable.Range(start, end - 1 - start).LastOrDefault(k => Roles.Contains(tokens[k].Text), -1);
            if (lastRole >= 0 && tokens[lastRole + 1].Text == "of")
                start = lastRole + 2;
            else if (lastRole >= 0 && !OrganisationHeads.Contains(tokens[end - 1].Text))
                (start, titled) = (lastRole + 1, true);
            var honorific = start > 0 && Honorifics.Contains(tokens[start - 1].Text) && !tokens[start - 1].Closes;
            while (end > start && Connectors.Contains(tokens[end - 1].Text))
                end--;
            if (end <= start)
                continue;

            var words = tokens.GetRange(start, end - start).Select(t => t.Text).ToArray();
            if (words.Length == 1 && Countries.Of(words[0]) is null && (words[0].Length == 1 || NotNames.Contains(words[0]) || !capitalisedInside.Contains(words[0]) && !Acronym().IsMatch(words[0])))
                continue;
            // "Mansoor Mohi-Uddin, chief currency strategist at UBS", "Eugene Kaspersky is a mathematical engineer": a role
            // right after the name, in the clause it closes or after "is" or "was".
            var after = tokens[end - 1].Closes ? end : end < tokens.Count && tokens[end].Text is "is" or "was" ? end + 1 : -1;
            var described = after >= 0 && tokens.Skip(after).Take(4).TakeWhile((t, k) => k == 0 || !tokens[after + k - 1].Closes)
                .Any(t => Roles.Contains(t.Text));
            // "said Ian Gunner"; not "Time Warner said": firms and reports say things too.
            var personCue = described
                         || start > 0 && SayingVerbs.Contains(tokens[start - 1].Text)
                         || start > 1 && tokens[start - 2].Text == "according" && tokens[start - 1].Text == "to";
            // An acronym is a firm or an agency when the text treats it as one: "the NSA", "the PMO said", "SEC said".
            var introduced = start > 0 && tokens[start - 1].Text == "the" || end < tokens.Count && SayingVerbs.Contains(tokens[end].Text);
            yield return new Run(words, string.Join(' ', words), titled, honorific, personCue, introduced);
        }
    }

    /// <summary>
    /// The sentence's words without surrounding punctuation or a possessive. A word opens a clause at the sentence's start,
    /// after a colon or an opening quote; it closes one before a comma, a stop, a bracket or a possessive.
    /// </summary>
    private static List<Token> Tokens(string sentence)
    {
        var tokens = new List<Token>();
        var opens = true;
        foreach (var raw in sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var word = raw.TrimStart('“', '"', '‘', '\'', '(', '[', '—', '–');
            var quoted = word.Length < raw.Length;
            var trimmed = word.TrimEnd('”', '"', '’', '\'', ')', ']', ',', ';', ':', '!', '?', '—', '–');
            var closes = trimmed.Length < word.Length;
            var colon = word.EndsWith(':');
            if (trimmed.EndsWith('.') && !Abbreviation().IsMatch(trimmed))
                (trimmed, closes) = (trimmed.TrimEnd('.'), true);
            if (trimmed.EndsWith("’s", StringComparison.Ordinal) || trimmed.EndsWith("'s", StringComparison.Ordinal))
                (trimmed, closes) = (trimmed[..^2], true);
            if (trimmed.Length > 0 && char.IsLetterOrDigit(trimmed[0]) || trimmed == "&")
                tokens.Add(new Token(trimmed, opens || quoted, closes));
            opens = colon || raw.EndsWith('“') || raw.EndsWith('"');
        }

        return tokens;
    }

    private sealed record Token(string Text, bool Opens, bool Closes);

    /// <summary>A name as written once.</summary>
    /// <param name="Titled">A role or title right before it ("President", "founder").</param>
    /// <param name="Honorific">A title right before it that marks one word as a person's name ("Mr", "President").</param>
    /// <param name="PersonCue">A role right after it, or a verb of saying right before it.</param>
    /// <param name="Introduced">"the" before it or a verb of saying after it: an acronym treated as a firm or an agency.</param>
    private sealed record Run(string[] Words, string Name, bool Titled, bool Honorific, bool PersonCue, bool Introduced)
    {
        public Sentence? Sentence { get; init; }
    }

    [GeneratedRegex(@"^(?:[A-Z]{2,6}|(?:[A-Z]\.){2,4})$")]
    private static partial Regex Acronym();

    // "U.S.", "Jr.", "St.": a stop that belongs to the word.
    [GeneratedRegex(@"^(?:(?:[A-Z]\.){2,4}|Jr\.|Sr\.|St\.|Mt\.|Dr\.|Mr\.|Mrs\.|Ms\.|Gen\.|Col\.|Sen\.|Rep\.|Gov\.|Inc\.|Corp\.|Co\.|Ltd\.)$")]
    private static partial Regex Abbreviation();
}
