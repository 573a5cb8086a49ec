using Microsoft.Extensions.Logging;
using NewsBot.Answering;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Sources;
using NewsBot.Summaries;
using NewsBot.Telemetry;

namespace NewsBot.Chat;

/// <summary>
/// The one entry point of every chat front end: cleans the question, replies to small talk, resolves follow-ups, answers,
/// and checks that every quote is verbatim before anything leaves.
/// </summary>
public sealed partial class NewsBotEngine(
    CurrentIndex index,
    QuestionGuard guard,
    IAnswerer answerer,
    ISummarizer summarizer,
    IConversationMemory memory,
    IQuestionCondenser condenser,
    ReloadCoordinator reloads,
    IndexHealth health,
    TimeProvider time,
    ILogger<NewsBotEngine> logger) : INewsBotEngine
{
    private const int MaxKnownIds = 20;
    private const int MaxEchoedId = 80;

    // What a /summary command is remembered as: a request about the article as a whole, which no follow-up carries along.
    private const string SummaryTurn = "summarize the article";

    private const string NoArticlesLoaded = "No articles are loaded yet; add files to the seeds folder and reload.";

    public async Task<Answer> AskAsync(Question question, CancellationToken cancellationToken = default)
    {
        var text = guard.Clean(question.Text);
        if (SeveralQuestions.Of(text) is not { } asked)
            return await AskOneAsync(question, cancellationToken);

        // Asked in turn, as if sent one by one: each is a turn of the conversation, so "and when?" reads on from the last.
        var answers = new List<Answer>(SeveralQuestions.MaxAnswered);
        foreach (var one in asked.Take(SeveralQuestions.MaxAnswered))
            answers.Add(await AskOneAsync(question with { Text = one }, cancellationToken));
        return SeveralQuestions.Combine(text, answers, asked.Count);
    }

    private async Task<Answer> AskOneAsync(Question question, CancellationToken cancellationToken)
    {
        using var activity = NewsBotTelemetry.ActivitySource.StartActivity("newsbot.question");
        NewsBotTelemetry.QuestionsAsked.Add(1);
        var text = guard.Clean(question.Text);
        var before = index.Snapshot;
        activity?.SetTag("newsbot.index.version", index.Version);
        if (question.SourceId is not null && before.Find(question.SourceId) is null)
        {
            // "ask --source yukos": headline words name the article as its id does.
            question = question with { SourceId = NamedIn(before, question.SourceId) ?? throw UnknownSource(question.SourceId, before) };
        }

        if (SmallTalk.Recognise(text) is { } act)
        {
            // Not a turn of the conversation: "what did he say next?" after "thanks" still reads on from the last quote.
            LogSmallTalk(logger, act);
            return new Answer(text, false, SmallTalk.Reply(act), []);
        }

        if (BotQuestions.Recognise(text) is { } aboutTheBot)
        {
            // About the bot, not the articles: like small talk, not a turn a follow-up leans on.
            return new Answer(text, false, BotQuestions.Reply(aboutTheBot, before.Articles), []);
        }

        if (QuestionLanguage.LooksNotEnglish(text))
            return new Answer(text, false, QuestionLanguage.EnglishOnlyReply, []);

        var history = question.ConversationId is null ? [] : memory.Recall(question.ConversationId);
        if (history is [.., { AskedWhichArticle: true } asked] && ArticleChoice.Pick(text, Offered(asked, before)) is { } chosen)
        {
            // "bbc_2", "the second one", "the one about Yukos" after "which one?": the request it was asked for, about that one.
            (text, question) = (asked.Question, question with { SourceId = chosen.Id });
        }
        else if (history is [.., { Listed: { Count: > 1 } lastListed }] && ArticleChoice.ByPlace(text, ArticlesOf(lastListed, before)) is { } placed)
        {
            // "tell me more about the third one" after a digest or a search: that article, summarised.
            (text, question) = (SummaryTurn, question with { SourceId = placed.Id });
        }

        if (Continuation.Asks(text) && history is not [.., { Citations.Count: > 0 }])
        {
            // Searched as a question, "what did he say next?" asks what "he" said: a refusal naming "he" as a speaker.
            return new Answer(text, false, Continuation.NothingToReadOn, []);
        }

        // "summarize the article about Yukos": the request as it reads without its naming of the article, which picks it.
        var named = question.SourceId is null ? ArticleReference.Of(text) : null;
        var whole = named?.Request ?? text;
        var started = time.GetTimestamp();
        string standalone;
        Answer answer;
        var askedWhichArticle = false;
        IReadOnlyList<string>? listed = null;
        if (history.Count > 0 && Continuation.Asks(text) && Continuation.After(before, history[^1]) is { } next)
        {
            (standalone, answer) = (history[^1].Question, next with { Question = text });
        }
        else if (question.SourceId is null && ArticleSearch.Recognise(text) is { } sought)
        {
            // Which articles hold something: a search of them all, not a question one sentence answers.
            standalone = text;
            answer = ArticleSearch.Find(text, sought, before);
            listed = ArticlesListed(answer.Citations);
        }
        else if (question.SourceId is null && named is null && DigestRequests.Recognise(text))
        {
            // What the news is across the articles, not what one of them says; with one loaded, its summary.
            standalone = text;
            answer = before.Articles.Count == 1
                ? await SummaryAnswerAsync(text, before.Articles[0].Id, SummaryLength.Medium, cancellationToken)
                : DigestAnswer(text, before);
            listed = ArticlesListed(answer.Citations);
        }
        else if (WholeArticleRequest.Of(whole) is { } request)
        {
            // About one article as a whole: with many loaded, the first by id is a guess, and "who wrote this?" would cite every
            // byline. Never condensed: "who wrote it? (the last question)" is no longer a question about the byline.
            standalone = whole;
            var meant = named is { } naming ? ArticleReference.Resolve(naming.Named, before)?.Id : ArticleMeant(question.SourceId, history, before);
            askedWhichArticle = meant is null && before.Articles.Count > 1;
            if (askedWhichArticle)
            {
                // After a search or a digest that listed several, the choice is among those.
                var found = named is null ? LastListed(history, before) : null;
                var offered = found ?? before.Articles;
                (listed, answer) = ([.. offered.Select(a => a.Id)], WhichArticle(text, named?.Named, offered, found is not null));
            }
            else
            {
                var article = meant is null ? null : before.Find(meant);
                answer = request.Summary is { } length ? await SummaryAnswerAsync(text, meant, length, cancellationToken)
                    : article is not null && request.Timeline ? TimelineAnswer(text, article)
                    : article is not null && request.Names ? NamesAnswer(text, article, request.NameKind)
                    : article is not null && request.Quotes ? QuotesAnswer(text, article)
                    : await answerer.AnswerAsync(question with { Text = whole, SourceId = meant }, cancellationToken);
            }
        }
        else
        {
            standalone = history.Count == 0 ? text : await condenser.CondenseAsync(text, history, cancellationToken);
            using (NewsBotTelemetry.ActivitySource.StartActivity("newsbot.answer"))
                answer = await answerer.AnswerAsync(question with { Text = standalone }, cancellationToken);
            // "and the shelters?" after "when will the ferries resume?": nothing says when the shelters do, but the person
            // asked about the shelters, and what the article says about them is the answer they can have.
            if (!answer.Answered && standalone != text && TopicRequest.OfFollowUp(text) is { } topic
                && await answerer.AnswerAsync(question with { Text = $"What does the article say about {topic}?" }, cancellationToken) is { Answered: true } about)
                answer = about with { Question = text };
            // "how many users?" after "what does his company do?": carried along with that question it was refused, but it
            // names what it asks about, and on its own the article answers it.
            if (!answer.Answered && standalone != text && TopicCarryingCondenser.AsksOnItsOwn(text)
                && await answerer.AnswerAsync(question with { Text = text }, cancellationToken) is { Answered: true } alone)
                (standalone, answer) = (text, alone);
            // A refusal names the question it was given: the person's own words, not the topic carried along with them.
            if (!answer.Answered && standalone != text)
                answer = answer with { Text = answer.Text.Replace(QuoteMarks.Wrap(standalone), QuoteMarks.Wrap(text), StringComparison.Ordinal) };
            else if (!answer.Answered && history.Count == 0 && FollowUpReferences.AskWhatIsMeant(text) is { } clarification)
                answer = answer with { Text = clarification };
            if (answer.Answered && Attribution.TopicOfTheBotsView(text) is not null)
                answer = answer with { Text = "I don't give opinions; here is what the article says. " + answer.Text };
        }

        using (NewsBotTelemetry.ActivitySource.StartActivity("newsbot.verify"))
            EnsureVerbatim(answer.Citations, before);
        var elapsed = time.GetElapsedTime(started);
        (answer.Answered ? NewsBotTelemetry.QuestionsAnswered : NewsBotTelemetry.QuestionsRefused).Add(1);
        NewsBotTelemetry.AnswerDuration.Record(elapsed.TotalSeconds);
        activity?.SetTag("newsbot.answered", answer.Answered);
        activity?.SetTag("newsbot.citations", answer.Citations.Count);
        LogAnswered(logger, answer.Answered, answer.Citations.Count, elapsed.TotalMilliseconds);

        if (question.ConversationId is not null)
            memory.Remember(question.ConversationId, new ConversationTurn(
                standalone, answer.Text, time.GetUtcNow(), answer.Citations, answer.ShortAnswer?.Text, askedWhichArticle, listed));
        return answer with { Question = text };
    }

    public async Task<Summary> SummarizeAsync(SummaryRequest request, CancellationToken cancellationToken = default)
    {
        var snapshot = index.Snapshot;
        if (snapshot.Articles.Count == 0)
            throw new QuestionRejectedException(QuestionProblem.UnknownSource, NoArticlesLoaded);
        var history = request.ConversationId is null ? [] : memory.Recall(request.ConversationId);
        var sourceId = request.SourceId is null ? ArticleMeant(null, history, snapshot)
            : NamedIn(snapshot, request.SourceId) ?? throw UnknownSource(request.SourceId, snapshot);
        IReadOnlyList<string>? listed = null;
        Summary summary;
        if (sourceId is not null && snapshot.Find(sourceId) is { } article)
        {
            summary = await summarizer.SummarizeAsync(article, request.Length, cancellationToken);
        }
        else
        {
            // "/summary" with several loaded and none being discussed: what they are about, not the first by id.
            summary = NewsDigest.Of(snapshot);
            listed = ArticlesListed(summary.Citations);
        }

        EnsureVerbatim(summary.Citations, snapshot);
        if (request.ConversationId is not null)
            memory.Remember(request.ConversationId, new ConversationTurn(SummaryTurn, summary.Text, time.GetUtcNow(), summary.Citations, Listed: listed));
        return summary;
    }

    /// <summary>"What's the news?": the digest <c>/summary</c> gives with several loaded, as the reply.</summary>
    private static Answer DigestAnswer(string text, IndexSnapshot snapshot)
    {
        if (snapshot.Articles.Count == 0)
            return new Answer(text, false, NoArticlesLoaded, []);
        var digest = NewsDigest.Of(snapshot);
        return new Answer(text, digest.Citations.Count > 0, $"{digest.Title}:\n{digest.Text}", digest.Citations, digest.Note);
    }

    /// <summary>The articles a reply listed to choose from (a search's or a digest's), when it quoted several; else null.</summary>
    private static List<string>? ArticlesListed(IReadOnlyList<Citation> citations) =>
        citations.Select(c => c.SourceId).Distinct().ToList() is { Count: > 1 } ids ? ids : null;

    /// <summary>"Give me a timeline": the article's dated sentences in the order of their dates.</summary>
    private static Answer TimelineAnswer(string text, Article article)
    {
        var (events, citations) = Timeline.Of(article);
        return citations.Count == 0
            ? new Answer(text, false, $"{QuoteMarks.Wrap(article.Title)} gives no dates to order its events by.", [])
            : new Answer(text, true, $"Timeline of {QuoteMarks.Wrap(article.Title)}, by the years it names:\n{events}", citations);
    }

    /// <summary>"Who is mentioned in the story?": the people and organisations it names, each with its first mention quoted.</summary>
    private static Answer NamesAnswer(string text, Article article, NameKind? kind)
    {
        var (listing, citations) = ArticleNames.Listing(article, kind);
        var (what, unlisted) = kind switch
        {
            NameKind.Person => ("people", "places are not listed"),
            NameKind.Organisation => ("organisations", "places are not listed"),
            NameKind.Country => ("countries", "cities and other places are not listed"),
            _ => ("people or organisations", "places are not listed"),
        };
        return citations.Count == 0
            ? new Answer(text, false, $"I found no {what} named in {QuoteMarks.Wrap(article.Title)}{(kind == NameKind.Country ? " (I know countries by name, not cities or other places)" : "")}.", [])
            : new Answer(text, true, $"Named in {QuoteMarks.Wrap(article.Title)} (most mentioned first; {unlisted}):\n{listing}", citations);
    }

    /// <summary>"What are the key quotes?": the article's sentences holding someone's words in quotation marks.</summary>
    private static Answer QuotesAnswer(string text, Article article)
    {
        var (listing, citations, total) = ArticleQuotes.Of(article);
        var heading = total > citations.Count ? $"The first {citations.Count} of {total} sentences" : "The sentences";
        return citations.Count == 0
            ? new Answer(text, false, $"{QuoteMarks.Wrap(article.Title)} quotes no one's own words.", [])
            : new Answer(text, true, $"{heading} of {QuoteMarks.Wrap(article.Title)} that quote someone, in order:\n{listing}", citations);
    }

    /// <summary>"Summarize the article" in a chat: the summary <c>/summary</c> gives, as the reply.</summary>
    /// <remarks>"in bullet points": each cited sentence on a line of its own, as quoted, instead of the summary's prose.</remarks>
    private async Task<Answer> SummaryAnswerAsync(string text, string? sourceId, SummaryLength length, CancellationToken cancellationToken)
    {
        var summary = await SummarizeAsync(new SummaryRequest(sourceId, length), cancellationToken);
        var body = SummaryRequests.AsksForBullets(text) && summary.Citations.Count > 0
            ? "\n" + string.Join("\n", summary.Citations.Select(c => $"• {c.Quote} [{c.Number}]"))
            : " " + summary.Text;
        return new Answer(text, summary.Citations.Count > 0, $"Summary of {QuoteMarks.Wrap(summary.Title)}:{body}", summary.Citations, summary.Note);
    }

    /// <summary>
    /// The article "summarize it", "what is the article about?" or "who wrote it?" means: the one the question is scoped to, else the one
    /// the conversation last quoted, else the only one loaded; null when that leaves several, or when the last reply listed
    /// several articles ("which articles mention Israel?"), of which "summarize it" could mean any.
    /// </summary>
    private static string? ArticleMeant(string? sourceId, IReadOnlyList<ConversationTurn> history, IndexSnapshot snapshot)
    {
        if (sourceId is not null)
            return sourceId;
        if (history.LastOrDefault(t => t.Citations is { Count: > 0 }) is { Listed: null, Citations: [var first, ..] } && snapshot.Find(first.SourceId) is not null)
            return first.SourceId;
        return snapshot.Articles.Count == 1 ? snapshot.Articles[0].Id : null;
    }

    /// <summary>"Summarize the article" with several loaded and none in the conversation: which one, not the first by id.</summary>
    /// <remarks>Every front end has <c>/summary</c> with a source id; a question about the article puts it in the conversation.</remarks>
    /// <param name="named">The words that named an article none fits, or fits no better than another.</param>
    /// <param name="offered">The articles to choose from: all loaded, or those the last reply listed.</param>
    /// <param name="found">Whether <paramref name="offered"/> are those the last reply listed (a search or a digest).</param>
    private static Answer WhichArticle(string text, string? named, IReadOnlyList<Article> offered, bool found)
    {
        var which = found
            ? $"Which of the {ArticleListing.Count(offered.Count)} listed? "
            : $"{ArticleListing.Count(offered.Count)} are loaded; which one? Ask a question about it first, or use /summary with its id: ";
        return new(text, false, (named is null ? string.Empty : $"I can't tell which article {QuoteMarks.Wrap(named)} means. ") + which + ArticleListing.Of(offered) + ".", []);
    }

    /// <summary>The articles the last reply that quoted anything listed to choose from (a search's or a digest's), or null.</summary>
    private static IReadOnlyList<Article>? LastListed(IReadOnlyList<ConversationTurn> history, IndexSnapshot snapshot) =>
        history.LastOrDefault(t => t.Citations is { Count: > 0 })?.Listed is { Count: > 1 } ids ? ArticlesOf(ids, snapshot) : null;

    /// <summary>The articles a "which one?" reply offered, in its order; all loaded when it recorded none (or they are gone).</summary>
    private static IReadOnlyList<Article> Offered(ConversationTurn asked, IndexSnapshot snapshot) =>
        asked.Listed is { } ids && ArticlesOf(ids, snapshot) is { Count: > 0 } offered ? offered : snapshot.Articles;

    /// <summary>The articles of these ids still loaded, in this order.</summary>
    private static List<Article> ArticlesOf(IEnumerable<string> ids, IndexSnapshot snapshot) => [.. ids.Select(snapshot.Find).OfType<Article>()];

    public IReadOnlyList<SourceInfo> ListSources() => index.Snapshot.Describe();

    public string? SourceNamed(string words) => NamedIn(index.Snapshot, words);

    private static string? NamedIn(IndexSnapshot snapshot, string words) => ArticleReference.Resolve(words, snapshot)?.Id;

    public string? IndexNotice() => Chat.IndexNotice.Describe(health.Current);

    public Task<ReloadReport> ReloadAsync(CancellationToken cancellationToken = default) => reloads.RequestAsync(cancellationToken);

    private void EnsureVerbatim(IReadOnlyList<Citation> citations, IndexSnapshot before)
    {
        // The answer was built on whichever snapshot was current while it ran; a reload may have swapped it since.
        try
        {
            CitationVerifier.EnsureVerbatim(citations, before);
        }
        catch (InvalidOperationException) when (!ReferenceEquals(before, index.Snapshot))
        {
            CitationVerifier.EnsureVerbatim(citations, index.Snapshot);
        }
    }

    /// <summary>
    /// The id is whatever was typed (or pasted), so it is cleaned like a question (no escape sequences or control
    /// characters reach a terminal) and shortened like any other echo of the user's text.
    /// </summary>
    private static QuestionRejectedException UnknownSource(string sourceId, IndexSnapshot snapshot)
    {
        var echoed = ChatText.Truncate(QuestionGuard.Normalize(sourceId), MaxEchoedId);
        return new(QuestionProblem.UnknownSource, snapshot.Articles.Count == 0
            ? $"There is no article '{echoed}': no articles are loaded yet."
            : $"There is no article '{echoed}'. Known: {KnownIds(snapshot.Articles)}.");
    }

    /// <summary>The ids an unknown one may have meant; an archive of thousands is named by its first few and its size.</summary>
    private static string KnownIds(IReadOnlyList<Article> articles) => articles.Count <= MaxKnownIds
        ? string.Join(", ", articles.Select(a => a.Id))
        : $"{string.Join(", ", articles.Take(MaxKnownIds).Select(a => a.Id))} and {articles.Count - MaxKnownIds:N0} more (see sources)";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Small talk ({Act}): replied without looking anything up")]
    private static partial void LogSmallTalk(ILogger logger, SocialAct act);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Answered={Answered} with {Citations} citations in {ElapsedMs:F1} ms")]
    private static partial void LogAnswered(ILogger logger, bool answered, int citations, double elapsedMs);
}
