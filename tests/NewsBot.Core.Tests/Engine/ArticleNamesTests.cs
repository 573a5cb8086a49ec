using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Sources;
using NewsBot.Summaries;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

public class ArticleNamesTests
{
    private static readonly Article Meeting = Article("pmo", "Netanyahu declines Kaspersky meeting",
        ["Prime Minister Benjamin Netanyahu turned down a meeting with Kaspersky Lab.", "Netanyahu said he was busy."],
        ["Mansoor Mohi-Uddin, chief strategist at UBS, said the dollar fell.", "North Korea said it would respond.", "Korea was silent."],
        ["Time Warner said profits rose.", "In June the firm opened a centre in Jerusalem."],
        ["According to The New York Times, the NSA was hacked.", "Russian President Vladimir Putin expanded the spy agencies."],
        ["Kaspersky Lab denied it, and Netanyahu left for Davos.", "Leonid Nevzlin took the stake.", "Mr Nevzlin lives in Israel."],
        ["The Bill & Melinda Gates Foundation gave money to Tucson Kitchen Musicians.", "Arthur B. Smith saw LED lamps and a GDP rise."],
        ["The US banned the software, and the United States warned Jordan Peterson."]);

    // The test engine gives each sentence of an article its own axis of four: four sentences at most.
    private static readonly Article Brief = Article("pmo", "Netanyahu declines Kaspersky meeting",
        ["Prime Minister Benjamin Netanyahu turned down a meeting with Kaspersky Lab.", "Netanyahu said he was busy in Israel, and Kaspersky Lab denied it."],
        ["According to The New York Times, the NSA was hacked.", "Mansoor Mohi-Uddin, chief strategist at UBS, said the dollar fell."]);

    [Theory]
    [InlineData("who is mentioned in the article?", null)]
    [InlineData("Who's in this story?", null)]
    [InlineData("who are the key players?", null)]
    [InlineData("what names does the article mention?", null)]
    [InlineData("which people are mentioned?", NameKind.Person)]
    [InlineData("can you list the people named in the story please", NameKind.Person)]
    [InlineData("who are the main people in it?", NameKind.Person)]
    [InlineData("who is the article about?", NameKind.Person)]
    [InlineData("which companies are mentioned?", NameKind.Organisation)]
    [InlineData("list the organizations in the article", NameKind.Organisation)]
    [InlineData("what firms does the piece mention?", NameKind.Organisation)]
    [InlineData("what places are mentioned?", NameKind.Country)]
    [InlineData("Which countries are involved?", NameKind.Country)]
    [InlineData("list the countries named in the article", NameKind.Country)]
    public void A_request_for_whom_the_article_names_is_recognised(string message, NameKind? kind)
    {
        Assert.True(NamesRequests.Recognise(message, out var asked));
        Assert.Equal(kind, asked);
    }

    [Theory]
    [InlineData("Who is Netanyahu?")]
    [InlineData("who is involved in the hack?")]
    [InlineData("Which companies did Kaspersky hack?")]
    [InlineData("Who was quoted by the Times?")]
    [InlineData("Which people were evacuated?")]
    [InlineData("who is in charge?")]
    [InlineData("what is the article about?")]
    [InlineData("Which countries banned Kaspersky?")]
    [InlineData("What places did the storm hit?")]
    public void A_question_about_someone_is_no_names_request(string message) =>
        Assert.False(NamesRequests.Recognise(message, out _));

    [Fact]
    public void People_need_a_title_a_role_or_a_saying_verb_before_them_and_organisations_a_head_word_or_an_acronym_used_as_one()
    {
        var names = ArticleNames.Of(Meeting).ToDictionary(n => n.Name, n => (n.Kind, n.Mentions));

        Assert.Equal(
            new Dictionary<string, (NameKind, int)>
            {
                ["Benjamin Netanyahu"] = (NameKind.Person, 3),
                ["Mansoor Mohi-Uddin"] = (NameKind.Person, 1),
                ["Vladimir Putin"] = (NameKind.Person, 1),
                ["Leonid Nevzlin"] = (NameKind.Person, 2),
                ["Bill & Melinda Gates Foundation"] = (NameKind.Organisation, 1),
                ["North Korea"] = (NameKind.Country, 1),
                ["Israel"] = (NameKind.Country, 1),
                ["United States"] = (NameKind.Country, 2),
                ["Jordan Peterson"] = (NameKind.Person, 1),
                ["Kaspersky Lab"] = (NameKind.Organisation, 2),
                ["UBS"] = (NameKind.Organisation, 1),
                ["New York Times"] = (NameKind.Organisation, 1),
                ["NSA"] = (NameKind.Organisation, 1),
            },
            names);
    }

    [Fact]
    public void The_most_mentioned_come_first_each_with_the_first_body_sentence_naming_it()
    {
        var names = ArticleNames.Of(Meeting);

        Assert.Equal(["Benjamin Netanyahu", "Kaspersky Lab"], names.Take(2).Select(n => n.Name));
        Assert.Equal("Prime Minister Benjamin Netanyahu turned down a meeting with Kaspersky Lab.", names[0].FirstMention.Text);
        Assert.Equal("According to The New York Times, the NSA was hacked.", names.Single(n => n.Name == "NSA").FirstMention.Text);
    }

    [Fact]
    public async Task The_reply_lists_people_then_organisations_quoting_each_first_mention()
    {
        var engine = WiredEngine([Brief]);

        var everyone = await engine.AskAsync(new Question("who is mentioned in the article?"));
        var firms = await engine.AskAsync(new Question("which companies are mentioned?"));

        Assert.True(everyone.Answered);
        Assert.StartsWith(
            "Named in “Netanyahu declines Kaspersky meeting” (most mentioned first; places are not listed):\nPeople:\n" +
            "• Benjamin Netanyahu (2 mentions): “Prime Minister Benjamin Netanyahu turned down a meeting with Kaspersky Lab.” [1]\n",
            everyone.Text, StringComparison.Ordinal);
        Assert.Contains("\nOrganisations:\n• Kaspersky Lab (2 mentions): ", everyone.Text, StringComparison.Ordinal);
        Assert.All(everyone.Citations, c => Assert.Equal(Brief.Slice(c.Start, c.End), c.Quote));
        Assert.DoesNotContain("People:", firms.Text, StringComparison.Ordinal);
        Assert.Equal(4, firms.Citations.Count);
    }

    [Fact]
    public async Task Places_are_the_countries_the_article_names_and_only_when_asked()
    {
        var engine = WiredEngine([Brief]);

        var places = await engine.AskAsync(new Question("what countries are mentioned?"));
        var everyone = await engine.AskAsync(new Question("who is mentioned?"));
        var none = await WiredEngine([QuietStorm]).AskAsync(new Question("what places are mentioned?"));

        Assert.Equal(
            "Named in “Netanyahu declines Kaspersky meeting” (most mentioned first; cities and other places are not listed):\nCountries:\n" +
            "• Israel (1 mention): “Netanyahu said he was busy in Israel, and Kaspersky Lab denied it.” [1]",
            places.Text);
        Assert.DoesNotContain("Countries:", everyone.Text, StringComparison.Ordinal);
        Assert.Equal("I found no countries named in “Storm closes the harbour” (I know countries by name, not cities or other places).", none.Text);
    }

    [Fact]
    public async Task An_article_naming_nobody_says_so_and_with_several_loaded_the_bot_asks_which()
    {
        var one = WiredEngine([QuietStorm]);
        var several = WiredEngine([Brief, QuietStorm]);

        var nobody = await one.AskAsync(new Question("which people are mentioned?"));
        var which = await several.AskAsync(new Question("who is mentioned?", ConversationId: "c"));
        var picked = await several.AskAsync(new Question("pmo", ConversationId: "c"));

        Assert.False(nobody.Answered);
        Assert.Equal("I found no people named in “Storm closes the harbour”.", nobody.Text);
        Assert.Contains("which one?", which.Text, StringComparison.Ordinal);
        Assert.StartsWith("Named in “Netanyahu declines Kaspersky meeting”", picked.Text, StringComparison.Ordinal);
    }
}
