using System.Globalization;
using System.Text.RegularExpressions;

namespace NewsBot.Chat;

/// <summary>
/// Questions in a language NewsBot cannot read. The reader, the embeddings and every question rule are English: searched,
/// "¿Por qué Netanyahu rechazó la reunión?" found nothing and was told "The article doesn't say", which is untrue; it is
/// told to ask in English instead. Only a question that is plainly not English counts: written mostly outside the Latin
/// alphabet, or opening with "¿" or "¡", or using two or more function words of another European language and no English
/// one. A question with any English function word ("What did the Bundestag say?", "Who is José Ángel?") is read as usual.
/// </summary>
public static partial class QuestionLanguage
{
    public const string EnglishOnlyReply =
        "I can only read questions in English — please ask again in English, and I'll quote the article in its own words.";

    // Words that are function words in English and in none of the languages below ("die" and "was" are German too).
    private static readonly HashSet<string> English = Words(
        "the an is are were be been did do does what why who whom whose when where which how of to in on at for from with by " +
        "and or but not he she it they his her its their this that these those there about has have had will would can could " +
        "should i you we me my your our us them him");

    // Spanish, French, German, Italian, Portuguese and Dutch function words that are not also English words ("son", "den",
    // "pour", "comment" are left out; "a" counts for neither, so that "Pourquoi a-t-il refusé la réunion ?" is not English).
    private static readonly HashSet<string> Foreign = Words(
        "el la los las un una unos unas al por para qué que cómo como dónde donde cuándo cuando quién quien cuál cuántos " +
        "es fue está están y o pero sobre su sus le les des du une est sont pourquoi quand où qui quoi quel quelle " +
        "avec dans sur pas der das dem ein eine einen und ist sind warum wann wo wer wie welche nicht " +
        "auf für von zu il lo gli della delle perché chi dove sono hanno não quê porquê quem onde uma het een en zijn " +
        "waarom wanneer wat niet");

    /// <summary>Whether the question is plainly written in a language other than English.</summary>
    public static bool LooksNotEnglish(string question)
    {
        var letters = question.Where(char.IsLetter).ToList();
        if (letters.Count >= 4 && letters.Count(c => !IsLatin(c)) * 2 > letters.Count)
            return true;
        var words = Word().Matches(question.ToLower(CultureInfo.InvariantCulture)).Select(m => m.Value).ToList();
        if (words.Any(English.Contains))
            return false;
        return question.TrimStart().StartsWith('¿') || question.TrimStart().StartsWith('¡') || words.Count(Foreign.Contains) >= 2;
    }

    private static bool IsLatin(char c) => c <= '\u024F' || c is >= '\u1E00' and <= '\u1EFF';

    private static HashSet<string> Words(string words) => [.. words.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    [GeneratedRegex(@"\p{L}+(?:['’]\p{L}+)?")]
    private static partial Regex Word();
}
