namespace NewsBot.Retrieval;

/// <summary>
/// Ways a name in a question meets the article's wording when the terms differ: a derived form
/// ("Israel" and "Israelis", "Russia" and "Russian") and an acronym of a written-out name ("NSA" and
/// "National Security Agency").
/// </summary>
public static class NameMatching
{
    private static readonly HashSet<string> Connectors = new(["of", "for", "and", "the", "on", "de", "&"], StringComparer.Ordinal);

    // What a stemmed name gains in its derived forms: "russia" → "russian", "israel" from "isra" ("Israelis").
    private static readonly HashSet<string> DerivedEndings = new(["n", "an", "ian", "i", "is", "el", "s", "es", "ese", "ish", "ic"], StringComparer.Ordinal);

    /// <summary>Whether two analysed terms are forms of one name: one is the other plus a demonym-like ending.</summary>
    public static bool SameName(string a, string b)
    {
        var (shorter, longer) = a.Length <= b.Length ? (a, b) : (b, a);
        return shorter.Length >= 4 && longer.StartsWith(shorter, StringComparison.Ordinal) && DerivedEndings.Contains(longer[shorter.Length..]);
    }

    /// <summary>
    /// Every term that is a form of the same name as <paramref name="term"/> by <see cref="SameName"/>: the term plus an
    /// ending, or the term less one. A question's name is looked up by these few forms instead of being compared with
    /// every term of every sentence.
    /// </summary>
    public static IEnumerable<string> DerivedForms(string term)
    {
        foreach (var ending in DerivedEndings)
        {
            if (term.Length >= 4)
                yield return term + ending;
            if (term.Length - ending.Length >= 4 && term.EndsWith(ending, StringComparison.Ordinal))
                yield return term[..^ending.Length];
        }
    }

    /// <summary>Whether a run of capitalised words in the text has the acronym's letters as its initials.</summary>
    public static bool SpellsAcronym(string acronym, string text)
    {
        var initials = new System.Text.StringBuilder();
        foreach (var word in text.Split([' ', ',', ';', ':', '(', ')', '“', '”', '"'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (char.IsUpper(word[0]))
            {
                initials.Append(word[0]);
                // "US" in "the US National Security Agency" contributes its letters, not just its first.
                if (word.Length <= 3 && word.All(char.IsUpper))
                    initials.Append(word.AsSpan(1));
            }
            else if (!Connectors.Contains(word))
            {
                if (initials.ToString().Contains(acronym, StringComparison.Ordinal))
                    return true;
                initials.Clear();
            }
        }

        return initials.ToString().Contains(acronym, StringComparison.Ordinal);
    }

    /// <summary>
    /// Whether a question term is among a text's terms: exactly, or for a name of the question in a derived form,
    /// or for an acronym of the question as the initials of a written-out name in the text.
    /// </summary>
    public static bool Meets(QuestionAnalysis question, string term, IReadOnlyCollection<string> terms, string text) =>
        terms.Contains(term)
        || (question.NameTerms?.Contains(term) == true && terms.Any(t => SameName(term, t)))
        || (question.AcronymTerms?.Contains(term) == true && SpellsAcronym(term.ToUpperInvariant(), text));
}
