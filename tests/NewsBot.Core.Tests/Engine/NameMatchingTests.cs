using NewsBot.Retrieval;

namespace NewsBot.Core.Tests.Engine;

public class NameMatchingTests
{
    [Theory]
    [InlineData("Israel", "Israelis", true)]
    [InlineData("Russia", "Russian", true)]
    [InlineData("America", "Americans", true)]
    [InlineData("Iran", "Ireland", false)]
    [InlineData("Mali", "Malibu", false)]
    public void A_name_meets_its_derived_forms(string name, string derived, bool same)
    {
        var a = Assert.Single(TermAnalyzer.Shared.Terms(name));
        var b = Assert.Single(TermAnalyzer.Shared.Terms(derived));

        Assert.Equal(same, NameMatching.SameName(a, b));
    }

    [Fact]
    public void The_derived_forms_of_a_term_are_exactly_the_terms_it_is_the_same_name_as()
    {
        string[] words =
        [
            "israel", "isra", "israelis", "israeli", "russia", "russian", "russians", "america", "american", "americans",
            "iran", "irani", "iranian", "ireland", "mali", "malian", "malibu", "china", "chinese", "japan", "japanese",
            "brit", "british", "briti", "pole", "polish", "pol", "poles", "arab", "arabic", "arabs", "taiwan", "taiwanes", "taiwanese",
        ];

        foreach (var term in words)
        {
            var forms = NameMatching.DerivedForms(term).ToHashSet(StringComparer.Ordinal);
            foreach (var other in words)
                Assert.True(NameMatching.SameName(term, other) == forms.Contains(other), $"{term} / {other}");
        }
    }

    [Theory]
    [InlineData("NSA", "the Israelis provided the US National Security Agency with evidence", true)]
    [InlineData("WEF", "on the sidelines of the World Economic Forum in Switzerland", true)]
    [InlineData("PMO", "In a message sent to the Prime Minister’s Office, seen by reporters", true)]
    [InlineData("NSA", "the National Guard and the Security Council agreed", false)]
    public void An_acronym_meets_the_name_it_stands_for(string acronym, string text, bool spelt)
    {
        Assert.Equal(spelt, NameMatching.SpellsAcronym(acronym, text));
    }

    [Fact]
    public void Irregular_verb_forms_share_their_base_term()
    {
        Assert.Equal(TermAnalyzer.Shared.Terms("take give win"), TermAnalyzer.Shared.Terms("taken gave won"));
        Assert.Equal(TermAnalyzer.Shared.Terms("founded"), TermAnalyzer.Shared.Terms("found"));
    }
}
