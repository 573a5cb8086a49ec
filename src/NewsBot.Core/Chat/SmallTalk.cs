using System.Text.RegularExpressions;
using NewsBot.Answering;
using NewsBot.Retrieval;

namespace NewsBot.Chat;

/// <summary>What a chat message that asks nothing about the articles does. Later members win when a message does several.</summary>
public enum SocialAct
{
    /// <summary>No words at all: emoji, punctuation.</summary>
    Wordless,

    /// <summary>"ok", "cool", "lol", "got it", "you too".</summary>
    Acknowledgement,

    /// <summary>"hi", "hello", "good morning", "how are you".</summary>
    Greeting,

    /// <summary>"thanks", "thank you!", "cheers".</summary>
    Thanks,

    /// <summary>"bye", "quit", "exit", "see you".</summary>
    Farewell,
}

/// <summary>
/// Small talk: chat messages that ask nothing about the articles. Read as a follow-up, "thanks" would carry the
/// previous question along and quote its topic again; instead it gets a short reply, the same in every front end.
/// A message is small talk when no word in it carries content and it asks nothing: every word belongs to a social
/// act (greeting, thanks, farewell, acknowledgement) or is a word the search drops anyway ("you", "so", "much"),
/// and a message of such neutral words alone is not a question ("?", "why", "and", "tell me more"). A message with
/// no words at all (emoji, punctuation) is small talk too.
/// </summary>
public static partial class SmallTalk
{
    public const string FarewellReply = "Goodbye! Ask again any time.";

    private static readonly Dictionary<string, SocialAct> ActWords = Lexicon(
        (SocialAct.Greeting, "hi hello hey hiya heya howdy yo greetings hallo hola morning afternoon evening"),
        (SocialAct.Thanks, "thanks thank thankyou thx thnx thanx ty tysm cheers appreciated appreciate merci danke gracias kudos"),
        (SocialAct.Farewell, "bye goodbye byebye quit exit cya later farewell goodnight night ciao adios ttyl"),
        (SocialAct.Acknowledgement,
            "ok okay okey k kk cool great nice awesome perfect sure alright right fine yes yeah yep yup ya no nope nah " +
            "gotcha got understood noted lol lmao lmfao rofl xd hmm hm wow oh ah interesting good excellent neat sweet " +
            "indeed mhm uh um huh well brilliant amazing wonderful agreed true fair lovely nevermind"));

    /// <summary>Social phrases whose words would otherwise read as content ("see") or as a question ("how").</summary>
    private static readonly (string[] Words, SocialAct Act)[] ActPhrases =
    [
        (["how", "are", "you"], SocialAct.Greeting), (["how", "r", "u"], SocialAct.Greeting),
        (["how's", "it", "going"], SocialAct.Greeting), (["how", "is", "it", "going"], SocialAct.Greeting),
        (["what's", "up"], SocialAct.Greeting), (["whats", "up"], SocialAct.Greeting),
        (["thank", "you"], SocialAct.Thanks), (["see", "you"], SocialAct.Farewell), (["see", "ya"], SocialAct.Farewell),
        (["never", "mind"], SocialAct.Acknowledgement), (["no", "worries"], SocialAct.Acknowledgement),
        (["no", "problem"], SocialAct.Acknowledgement), (["makes", "sense"], SocialAct.Acknowledgement),
        (["i", "see"], SocialAct.Acknowledgement),
    ];

    /// <summary>What the message does socially, or null when it asks (or may ask) something about the articles.</summary>
    public static SocialAct? Recognise(string message)
    {
        var words = Words(message);
        if (words.Count == 0)
            return SocialAct.Wordless;

        SocialAct? act = null;
        var neutral = 0;
        for (var i = 0; i < words.Count; i++)
        {
            if (PhraseAt(words, i) is { } phrase)
            {
                act = Stronger(act, phrase.Act);
                i += phrase.Words.Length - 1;
            }
            else if (ActOf(words[i]) is { } wordAct)
            {
                act = Stronger(act, wordAct);
            }
            else if (TermAnalyzer.Shared.Terms(words[i]).Count == 0)
            {
                neutral++;
            }
            else
            {
                return null;
            }
        }

        var asks = message.Contains('?', StringComparison.Ordinal) || AsksSomething().IsMatch(string.Join(' ', words));
        return act switch
        {
            null => asks ? null : SocialAct.Acknowledgement,
            // "ok and then?": the neutral words may carry a follow-up.
            _ => asks && neutral > 0 ? null : act,
        };
    }

    /// <summary>The short reply to a social act: friendly, and saying what NewsBot is for.</summary>
    public static string Reply(SocialAct act) => act switch
    {
        SocialAct.Greeting => "Hello! " + QuestionGuard.UsageHint,
        SocialAct.Thanks => "You're welcome! Ask another question about the articles whenever you like.",
        SocialAct.Farewell => FarewellReply,
        SocialAct.Acknowledgement => "Anything else? Ask another question about the articles, or “what comes next?” to read on after the last quote.",
        _ => QuestionGuard.UsageHint,
    };

    /// <summary>Lower-case words (letters, digits, apostrophes), typographic apostrophes made plain.</summary>
    private static List<string> Words(string message) =>
        [.. Word().Matches(message.ToLowerInvariant().Replace('’', '\'')).Select(m => m.Value.Trim('\'')).Where(w => w.Length > 0)];

    private static (string[] Words, SocialAct Act)? PhraseAt(List<string> words, int at)
    {
        foreach (var phrase in ActPhrases)
        {
            if (at + phrase.Words.Length <= words.Count && phrase.Words.Select((w, k) => w == words[at + k]).All(same => same))
                return phrase;
        }

        return null;
    }

    /// <summary>The act of a word as written, or stretched for emphasis ("hellooo", "sooo", "coool"), or laughter.</summary>
    private static SocialAct? ActOf(string word)
    {
        foreach (var form in new[] { word, Stretched().Replace(word, "$1$1"), Stretched().Replace(word, "$1") })
        {
            if (ActWords.TryGetValue(form, out var act))
                return act;
        }

        return Laughter().IsMatch(word) ? SocialAct.Acknowledgement : null;
    }

    private static SocialAct Stronger(SocialAct? current, SocialAct next) => current is { } c && c > next ? c : next;

    private static Dictionary<string, SocialAct> Lexicon(params (SocialAct Act, string Words)[] groups) =>
        groups.SelectMany(g => g.Words.Split(' ').Select(w => (Word: w, g.Act))).ToDictionary(p => p.Word, p => p.Act, StringComparer.Ordinal);

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex Word();

    [GeneratedRegex(@"(\p{L})\1{2,}")]
    private static partial Regex Stretched();

    [GeneratedRegex(@"^((ha|he|hi|ah)+h?|l(o+l)+|x+d+)$")]
    private static partial Regex Laughter();

    /// <summary>Neutral words that still ask: a question word, an auxiliary opening a question, or a follow-up's connective.</summary>
    [GeneratedRegex(@"^(who|what|when|where|why|how|which|whose|whom|is|are|was|were|do|does|did|can|could|would|will|should|has|have|had|and|but|also|so|then|more|tell|anything|any|other)\b")]
    private static partial Regex AsksSomething();
}
