using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Retrieval;
using NewsBot.Sources;
using NewsBot.Summaries;
using NewsBot.Testing.Logging;
using NSubstitute;

namespace NewsBot.Generative.Tests.Support;

/// <summary>Passages chosen by the test, recorded queries.</summary>
public sealed class ListSearch : IPassageSearch
{
    public List<Passage> Passages { get; } = [];

    public List<PassageQuery> Queries { get; } = [];

    public Task<IReadOnlyList<Passage>> SearchAsync(PassageQuery query, CancellationToken cancellationToken = default)
    {
        Queries.Add(query);
        return Task.FromResult<IReadOnlyList<Passage>>([.. Passages.Where(p => query.SourceId is null || p.SourceId == query.SourceId).Take(query.Top)]);
    }
}

public sealed class ListCatalog(params Article[] articles) : IArticleCatalog
{
    public IReadOnlyList<Article> Articles { get; } = articles;

    public Article? Find(string sourceId) => Articles.FirstOrDefault(a => a.Id == sourceId);
}

/// <summary>
/// The generative services wired as the host would: fakes for retrieval, catalog and the extractive engine,
/// the real <see cref="GenerativeServiceCollectionExtensions.AddGenerativeAnswering"/>, and the fake server as provider.
/// </summary>
public sealed class Harness : IAsyncDisposable
{
    public const string ExtractiveText = "Extractive engine answer.";

    private Harness(FakeOpenAIServer server, ServiceProvider services, ListSearch search, Article article, IAnswerer extractive, ISummarizer extractiveSummarizer, TestLogs logs)
    {
        Server = server;
        Logs = logs;
        Services = services;
        Search = search;
        Article = article;
        Extractive = extractive;
        ExtractiveSummarizer = extractiveSummarizer;
    }

    public FakeOpenAIServer Server { get; }

    /// <summary>What the services logged at warning and above, as the host logs by default.</summary>
    public TestLogs Logs { get; }

    public ServiceProvider Services { get; }

    public ListSearch Search { get; }

    public Article Article { get; }

    public IAnswerer Extractive { get; }

    public ISummarizer ExtractiveSummarizer { get; }

    public IAnswerer Answerer => Services.GetRequiredService<IAnswerer>();

    public ISummarizer Summarizer => Services.GetRequiredService<ISummarizer>();

    public IQuestionCondenser Condenser => Services.GetRequiredService<IQuestionCondenser>();

    public static Dictionary<string, string?> Settings(FakeOpenAIServer server) => new()
    {
        ["Llm:Provider"] = "openai-compatible",
        ["Llm:Endpoint"] = server.V1.ToString(),
        ["Llm:Model"] = "gpt-4o-mini",
        ["Llm:TimeoutSeconds"] = "2",
        ["Llm:DeadlineSeconds"] = "5",
        ["Llm:MaxRetries"] = "1",
        ["Llm:RetryDelaySeconds"] = "0.01",
        ["Llm:MaxCompletionTokens"] = "321",
        ["Llm:Temperature"] = "0.2",
        ["Llm:PromptsDirectory"] = Path.Combine(AppContext.BaseDirectory, "prompts"),
    };

    public static async Task<Harness> StartAsync(Action<Dictionary<string, string?>>? configure = null, Article? article = null)
    {
        var server = await FakeOpenAIServer.StartAsync();
        var settings = Settings(server);
        configure?.Invoke(settings);
        article ??= TestArticles.Seed();

        var services = new ServiceCollection();
        var logs = new TestLogs();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(logs));
        var search = new ListSearch();
        services.AddSingleton<IPassageSearch>(search);
        services.AddSingleton<IArticleCatalog>(new ListCatalog(article));

        var extractive = Substitute.For<IAnswerer>();
        extractive.AnswerAsync(Arg.Any<Question>(), Arg.Any<CancellationToken>())
            .Returns(call => new Answer(call.Arg<Question>().Text, true, ExtractiveText, [], "extractive note"));
        var extractiveSummarizer = Substitute.For<ISummarizer>();
        extractiveSummarizer.SummarizeAsync(Arg.Any<Article>(), Arg.Any<SummaryLength>(), Arg.Any<CancellationToken>())
            .Returns(call => new Summary(call.Arg<Article>().Id, call.Arg<Article>().Title, ExtractiveText, []));
        services.AddKeyedSingleton(AnswererKeys.Extractive, extractive);
        services.AddSingleton(extractive);
        services.AddKeyedSingleton(AnswererKeys.Extractive, extractiveSummarizer);
        services.AddSingleton(extractiveSummarizer);
        services.AddSingleton(Substitute.For<IQuestionCondenser>());

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services.AddGenerativeAnswering(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new Harness(server, provider, search, article, extractive, extractiveSummarizer, logs);
    }

    public static string Seconds(double value) => value.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
