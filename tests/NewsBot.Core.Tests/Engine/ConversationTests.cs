using Microsoft.Extensions.Time.Testing;
using NewsBot.Answering;
using NewsBot.Chat;
using NSubstitute;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

public class ConversationMemoryTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 15, 12, 0, 0, TimeSpan.Zero);

    private static ConversationTurn Turn(string question, FakeTimeProvider time) => new(question, "answer to " + question, time.GetUtcNow());

    [Fact]
    public void Only_the_last_turns_are_kept()
    {
        var time = new FakeTimeProvider(Start);
        var memory = new ConversationMemory(time, turnsKept: 2);

        foreach (var q in new[] { "one", "two", "three" })
            memory.Remember("c", Turn(q, time));

        Assert.Equal(["two", "three"], memory.Recall("c").Select(t => t.Question));
    }

    [Fact]
    public void Conversations_are_kept_apart()
    {
        var time = new FakeTimeProvider(Start);
        var memory = new ConversationMemory(time);

        memory.Remember("alice", Turn("first", time));
        memory.Remember("bob", Turn("second", time));

        Assert.Equal("first", Assert.Single(memory.Recall("alice")).Question);
        Assert.Equal("second", Assert.Single(memory.Recall("bob")).Question);
        Assert.Empty(memory.Recall("carol"));
    }

    [Fact]
    public void Turns_are_forgotten_after_the_quiet_spell()
    {
        var time = new FakeTimeProvider(Start);
        var memory = new ConversationMemory(time, expiry: TimeSpan.FromMinutes(30));
        memory.Remember("c", Turn("old", time));

        time.Advance(TimeSpan.FromMinutes(20));
        memory.Remember("c", Turn("newer", time));
        Assert.Equal(2, memory.Recall("c").Count);

        time.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal("newer", Assert.Single(memory.Recall("c")).Question);

        time.Advance(TimeSpan.FromMinutes(16));
        Assert.Empty(memory.Recall("c"));
    }

    [Fact]
    public void The_number_of_conversations_is_bounded_and_the_least_recent_goes_first()
    {
        var time = new FakeTimeProvider(Start);
        var memory = new ConversationMemory(time, maxConversations: 2);

        memory.Remember("a", Turn("q", time));
        time.Advance(TimeSpan.FromSeconds(1));
        memory.Remember("b", Turn("q", time));
        time.Advance(TimeSpan.FromSeconds(1));
        memory.Remember("a", Turn("again", time));
        time.Advance(TimeSpan.FromSeconds(1));
        memory.Remember("c", Turn("q", time));

        Assert.Empty(memory.Recall("b"));
        Assert.Equal(2, memory.Recall("a").Count);
        Assert.Single(memory.Recall("c"));
    }
}

public class TopicCarryingCondenserTests
{
    private static readonly ConversationTurn[] History =
        [new("Why did the PMO decline the meeting with Kaspersky?", "…", DateTimeOffset.UnixEpoch)];

    private static Task<string> Condense(string question, IReadOnlyList<ConversationTurn>? history = null) =>
        new TopicCarryingCondenser().CondenseAsync(question, history ?? History);

    [Theory]
    [InlineData("And the Americans?")]
    [InlineData("what about the Americans?")]
    [InlineData("Tell me more")]
    [InlineData("why not?")]
    public async Task A_follow_up_carries_the_previous_question(string question) =>
        Assert.Equal($"{question} ({History[0].Question})", await Condense(question));

    [Theory]
    [InlineData("when?", "Why did the PMO decline the meeting with Kaspersky?", "When did the PMO decline the meeting with Kaspersky?")]
    [InlineData("and where?", "Why did the PMO decline the meeting with Kaspersky?", "Where did the PMO decline the meeting with Kaspersky?")]
    [InlineData("How come?", "Did the US ban Kaspersky software?", "Why did the US ban Kaspersky software?")]
    [InlineData("Why?", "Which firm did Israel hack in 2014?", "Why did Israel hack in 2014?")]
    [InlineData("when was that?", "What did the US do about Kaspersky Lab?", "When did the US do about Kaspersky Lab?")]
    [InlineData("by whom?", "why was it banned in the US?", "By whom was it banned in the US?")]
    [InlineData("and how long?", "When was the harbour closed?", "How long was the harbour closed?")]
    [InlineData("when?", "By whom was Kaspersky software banned?", "When was Kaspersky software banned?")]
    public async Task A_bare_question_word_asks_the_previous_question_again_with_it(string question, string previous, string asked) =>
        Assert.Equal(asked, await Condense(question, [new(previous, "…", DateTimeOffset.UnixEpoch)]));

    [Theory]
    [InlineData("where is he going?", "Who is Netanyahu?", "where is Netanyahu going?")]
    [InlineData("What did she say?", "Who is Eugene Kaspersky?", "What did Eugene Kaspersky say?")]
    [InlineData("why did he offer to meet?", "Why did the PMO decline the meeting with Kaspersky?", "why did Kaspersky offer to meet?")]
    [InlineData("what is his company called?", "Who is Eugene Kaspersky?", "what is Eugene Kaspersky’s company called?")]
    [InlineData("Where does her company work?", "What does Maria Smith do?", "Where does Maria Smith’s company work?")]
    [InlineData("who is he?", "What did Kaspersky's firm take?", "who is Kaspersky?")]
    [InlineData("Did he predict his death?", "What did Jesus' followers say?", "Did Jesus predict his death?")]
    [InlineData("what did she buy?", "When did AT&T's CEO resign?", "what did AT&T's CEO buy?")]
    [InlineData("He did what?", "Who is Netanyahu?", "Netanyahu did what?")]
    [InlineData("where was he born?", "Who is Mr. Kaspersky?", "where was Mr. Kaspersky born?")]
    // A name after "to", "in", "at" is most often a place: "he" is the other one.
    [InlineData("what did he write?", "Did Kaspersky write to Netanyahu?", "what did Kaspersky write?")]
    public async Task A_pronoun_the_previous_question_settles_is_replaced_by_the_name(string question, string previous, string? resolved) =>
        Assert.Equal(resolved ?? $"{question} ({previous})", await Condense(question, [new(previous, "…", DateTimeOffset.UnixEpoch)]));

    [Theory]
    [InlineData("what did the pmo say?")]
    [InlineData("What did the PMO say?")]
    [InlineData("Who is Netanyahu?")]
    [InlineData("what is Stuxnet?")]
    [InlineData("what does the firm sell?")]
    [InlineData("what happened in the storm?")]
    [InlineData("What happened at Davos?")]
    [InlineData("tell me about the storm")]
    [InlineData("Tell me about Stuxnet")]
    [InlineData("tell me about ferries")]
    [InlineData("what happened to yuganskneftegaz?")]
    [InlineData("what did khodorkovsky say?")]
    [InlineData("tell me more about the shelters")]
    [InlineData("where does it mention the shelters?")]
    [InlineData("what does it say about Davos?")]
    [InlineData("quote the part about the ferries")]
    public async Task A_question_that_names_its_own_subject_stands_alone(string question) =>
        Assert.Equal(question, await Condense(question, [new("who is eugene kaspersky?", "…", DateTimeOffset.UnixEpoch)]));

    [Theory]
    [InlineData("what year?")]
    [InlineData("Norton?")]
    [InlineData("The PMO?")]
    [InlineData("how many were injured?")]
    [InlineData("who was arrested?")]
    [InlineData("what happened to him?")]
    [InlineData("what happened then?")]
    [InlineData("what happened in there?")]
    [InlineData("tell me about it")]
    [InlineData("tell me more about them")]
    public async Task A_fragment_with_one_word_of_content_carries_the_previous_question(string question) =>
        Assert.Equal($"{question} (How many people died in the attack?)",
            await Condense(question, [new("How many people died in the attack?", "…", DateTimeOffset.UnixEpoch)]));

    [Theory]
    [InlineData("why did he decline?", "who wrote it?")]
    [InlineData("when was it published?", "Who is the author of the article?")]
    [InlineData("and why?", "summarize it")]
    [InlineData("what did they say about it?", "What's the headline?")]
    [InlineData("Tell me more", "what is the article about?")]
    [InlineData("and why?", "give me a timeline")]
    [InlineData("and why?", "who is mentioned?")]
    [InlineData("why did he decline?", "what are the key quotes?")]
    public async Task A_question_about_the_article_as_a_whole_has_no_topic_to_carry(string question, string previous) =>
        Assert.Equal(question, await Condense(question, [new(previous, "…", DateTimeOffset.UnixEpoch)]));

    [Theory]
    [InlineData("what about the US?", "What did the PMO say?", "What did the US say?")]
    [InlineData("And Norton?", "How many users does Kaspersky Lab have?", "How many users does Norton have?")]
    [InlineData("how about Germany?", "When did Israel hack Kaspersky's network?", null)]
    [InlineData("what about Mossad?", "Who hacked Kaspersky's network?", "Who hacked Mossad's network?")]
    [InlineData("and what about the New York Times?", "What did the PMO say?", "What did the New York Times say?")]
    public async Task What_about_a_name_asks_the_previous_question_about_it(string question, string previous, string? asked) =>
        Assert.Equal(asked ?? $"{question} ({previous})", await Condense(question, [new(previous, "…", DateTimeOffset.UnixEpoch)]));

    [Theory]
    // Two names a pronoun could mean: which one is not for the bot to guess.
    [InlineData("why did he refuse?", "Did Netanyahu meet Eugene Kaspersky?")]
    // An acronym or an organisation is not "he".
    [InlineData("what did he say?", "What did the PMO decline?")]
    [InlineData("where is she based?", "Who founded Kaspersky Lab?")]
    [InlineData("did he attend?", "What happened in Davos?")]
    // "they" as often means people named by a common noun; "it" stands for the ban here, not for a name.
    [InlineData("what did they find?", "Why did the NSA ban the software?")]
    [InlineData("why did they do it?", "Did the US ban Kaspersky software?")]
    // "what about" something that is not a name, or a previous question with no name to swap.
    [InlineData("what about the software?", "What did the PMO say?")]
    [InlineData("And the Americans?", "Why did the PMO decline the meeting with Kaspersky?")]
    [InlineData("what about Russia?", "How many people use the software?")]
    // A question of its own after "and" is not a name to swap in.
    [InlineData("And what did Netanyahu say?", "What did the PMO say?")]
    [InlineData("and Netanyahu declined?", "Why did the PMO decline?")]
    public async Task A_reference_the_previous_question_does_not_settle_carries_it_in_brackets(string question, string previous) =>
        Assert.Equal($"{question} ({previous})", await Condense(question, [new(previous, "…", DateTimeOffset.UnixEpoch)]));

    [Fact]
    public async Task After_a_who_question_a_pronoun_means_the_person_the_answer_named()
    {
        ConversationTurn[] history = [new("Who turned down the meeting with Kaspersky?", "…", DateTimeOffset.UnixEpoch, [], "Benjamin Netanyahu")];

        Assert.Equal("Why did Benjamin Netanyahu decline?", await Condense("Why did he decline?", history));
    }

    [Fact]
    public async Task A_name_written_out_still_carries_the_previous_question_where_another_reference_remains()
    {
        ConversationTurn[] history = [new("Who turned down the meeting with Kaspersky?", "…", DateTimeOffset.UnixEpoch, [], "Benjamin Netanyahu")];

        Assert.Equal($"why did Benjamin Netanyahu turn it down? ({history[0].Question})", await Condense("why did he turn it down?", history));
    }

    [Theory]
    [InlineData("Tell me about the ban")]
    [InlineData("How many people use Kaspersky software?")]
    [InlineData("Who is Eugene Kaspersky?")]
    [InlineData("What is the Davos forum?")]
    public async Task A_bare_question_word_after_what_it_cannot_be_put_into_carries_it_in_brackets(string previous) =>
        Assert.Equal($"why? ({previous})", await Condense("why?", [new(previous, "…", DateTimeOffset.UnixEpoch)]));

    [Theory]
    [InlineData("How many users does Kaspersky Lab have?")]
    [InlineData("Who won the 2018 World Cup?")]
    [InlineData("When did Israel hack Kaspersky's network?")]
    public async Task A_standalone_question_is_left_alone(string question) =>
        Assert.Equal(question, await Condense(question));

    [Fact]
    public async Task Without_history_nothing_is_carried() =>
        Assert.Equal("And the Americans?", await Condense("And the Americans?", []));

    [Fact]
    public async Task Only_the_latest_turn_is_carried()
    {
        ConversationTurn[] history = [new("first topic?", "…", DateTimeOffset.UnixEpoch), new("second topic?", "…", DateTimeOffset.UnixEpoch)];

        Assert.Equal("And then? (second topic?)", await Condense("And then?", history));
    }

    [Fact]
    public async Task A_chain_of_follow_ups_carries_the_topic_they_lean_on_not_each_other()
    {
        var history = new List<ConversationTurn>(History);
        string condensed = "";
        foreach (var followUp in new[] { "and the Americans?", "and why?", "and why is that?", "tell me more" })
        {
            condensed = await Condense(followUp, history);
            history.Add(new(condensed, "…", DateTimeOffset.UnixEpoch));
        }

        Assert.Equal($"tell me more ({History[0].Question})", condensed);
    }

    [Fact]
    public async Task A_standalone_question_with_brackets_is_carried_whole()
    {
        ConversationTurn[] history = [new("What did the PMO (Netanyahu's office) say?", "…", DateTimeOffset.UnixEpoch)];

        Assert.Equal("And then? (What did the PMO (Netanyahu's office) say?)", await Condense("And then?", history));
    }
}

public class FollowUpTests
{
    private static readonly Sources.Article Story = Article("pmo", "Netanyahu declines Kaspersky meeting",
        ["The office said Netanyahu must decline the meeting with Kaspersky.", "He will be in Davos from Tuesday."]);

    [Fact]
    public async Task A_refused_follow_up_is_named_as_it_was_asked_not_with_the_topic_it_carried()
    {
        // A score no sentence reaches: every question is refused.
        var engine = WiredEngine(Story, new AnsweringOptions { MinScore = 1000 });
        await engine.AskAsync(new Question("Why did the office decline the meeting?", ConversationId: "alice"));

        var followUp = await engine.AskAsync(new Question("and who is he?", ConversationId: "alice"));

        Assert.False(followUp.Answered);
        Assert.Equal("The article doesn't say — I found nothing that answers “and who is he?”.", followUp.Text);
    }

    [Theory]
    [InlineData("what did he say?", "I don't know who “he” is here — ask again with the name.")]
    [InlineData("Why did they refuse?", "I don't know who “they” is here — ask again with the name.")]
    [InlineData("When did it happen?", "I don't know what “it” refers to here — ask again naming it.")]
    // A question that names something is refused as usual: the pronoun is not why.
    [InlineData("When did Netanyahu decline?", null)]
    [InlineData("Is it true that Kaspersky met him?", null)]
    public async Task A_first_question_refused_for_a_pronoun_nothing_named_asks_what_is_meant(string question, string? reply)
    {
        var engine = WiredEngine(Story, new AnsweringOptions { MinScore = 1000 });

        var answer = await engine.AskAsync(new Question(question, ConversationId: "ivy"));

        Assert.False(answer.Answered);
        Assert.Equal(reply ?? $"The article doesn't say — I found nothing that answers “{question}”.", answer.Text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("alice")]
    public async Task Reading_on_before_anything_was_quoted_says_to_ask_first(string? conversation)
    {
        var engine = WiredEngine(Story);

        var next = await engine.AskAsync(new Question("what did he say next?", ConversationId: conversation));

        Assert.False(next.Answered);
        Assert.Equal(Continuation.NothingToReadOn, next.Text);
    }

    [Theory]
    [InlineData("how many users?", true)]
    [InlineData("what's stuxnet?", true)]
    [InlineData("what year?", false)]
    [InlineData("how many users did they count?", false)]
    [InlineData("why?", false)]
    [InlineData("and what else?", false)]
    public void A_fragment_asks_on_its_own_when_it_names_something_and_refers_back_to_no_one(string fragment, bool alone) =>
        Assert.Equal(alone, TopicCarryingCondenser.AsksOnItsOwn(fragment));

    [Fact]
    public async Task A_fragment_refused_with_the_previous_question_is_asked_on_its_own()
    {
        const string fragment = "how many users?";
        var story = Article("firm", "Kaspersky Lab under scrutiny",
            ["Eugene Kaspersky is a mathematical engineer.", "Kaspersky Lab's program has over 400 million users."]);
        const string users = "Kaspersky Lab's program has over 400 million users.";
        // The reader finds the users sentence answering only a question about users that carries nothing else along.
        var reader = Substitute.For<IAnswerReader>();
        reader.MinProbability.Returns(0.5);
        reader.ReadAsync(Arg.Any<string>(), Arg.Any<IReadOnlyList<ReaderCandidate>>(), Arg.Any<CancellationToken>())
            .Returns(call => Task.FromResult<IReadOnlyList<ReaderVerdict>>([.. call.Arg<IReadOnlyList<ReaderCandidate>>().Select(c =>
                new ReaderVerdict(c.Sentence == users && !call.Arg<string>().Contains('(', StringComparison.Ordinal) ? 0.9 : 0.01, null))]));
        var engine = WiredEngine([story], new AnsweringOptions { MinCoverage = 0, MinScore = 0 }, reader: reader);

        await engine.AskAsync(new Question("What does his company do?", ConversationId: "c"));
        var answer = await engine.AskAsync(new Question(fragment, ConversationId: "c"));

        Assert.True(answer.Answered);
        Assert.Equal(users, Assert.Single(answer.Citations).Quote);
        // Later follow-ups lean on what was answered, not on the question it was first carried with.
        Assert.Equal(fragment, answer.Question);
    }
}
