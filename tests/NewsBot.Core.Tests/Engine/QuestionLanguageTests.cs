using NewsBot.Answering;
using NewsBot.Chat;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

public class QuestionLanguageTests
{
    private static readonly Sources.Article Meeting = Article("pmo", "Netanyahu declines Kaspersky meeting",
        ["The office said Netanyahu must decline the meeting with Kaspersky."]);

    [Theory]
    [InlineData("¿Por qué Netanyahu rechazó la reunión?")]
    [InlineData("por que netanyahu rechazo la reunion")]
    [InlineData("Pourquoi Netanyahu a-t-il refusé la réunion ?")]
    [InlineData("Warum hat Netanyahu das Treffen mit Kaspersky abgelehnt?")]
    [InlineData("Waarom wilde Netanyahu Kaspersky niet ontmoeten?")]
    [InlineData("Почему Нетаньяху отказался от встречи?")]
    [InlineData("למה נתניהו סירב לפגישה?")]
    [InlineData("内塔尼亚胡为什么拒绝会面？")]
    public void A_question_plainly_in_another_language_is_recognised(string question)
    {
        Assert.True(QuestionLanguage.LooksNotEnglish(question));
    }

    [Theory]
    [InlineData("Why did the PMO decline the meeting?")]
    [InlineData("why did bibi say no")]
    [InlineData("Kaspersky revenue?")]
    [InlineData("What did the Bundestag say about la Liga?")]
    [InlineData("Who is José Ángel Sánchez?")]
    [InlineData("Is Kaspersky Lab in Moscow?")]
    [InlineData("Guillermo del Toro film?")]
    [InlineData("When did the Île-de-France café open?")]
    [InlineData("Did Putin say «nyet»?")]
    public void An_english_question_is_read_as_usual(string question)
    {
        Assert.False(QuestionLanguage.LooksNotEnglish(question));
    }

    [Fact]
    public async Task The_engine_asks_for_English_instead_of_saying_the_article_is_silent()
    {
        var engine = WiredEngine(Meeting);

        var reply = await engine.AskAsync(new Question("¿Por qué Netanyahu rechazó la reunión?", ConversationId: "ana"));

        Assert.False(reply.Answered);
        Assert.Empty(reply.Citations);
        Assert.Equal(QuestionLanguage.EnglishOnlyReply, reply.Text);
    }
}
