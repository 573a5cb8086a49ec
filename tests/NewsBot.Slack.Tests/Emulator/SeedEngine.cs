using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Host.Hosting;
using NewsBot.Ingestion;
using NewsBot.Sources;
using NewsBot.Summaries;
using NewsBot.Testing.Repository;

namespace NewsBot.Slack.Tests.Emulator;

/// <summary>
/// The real engine, built once for the test run: the default local embedding model, a real SQLite
/// index in a temporary folder, the seed article. Tests wrap it in a <see cref="CountingEngine"/>.
/// </summary>
public sealed class SeedEngine : IAsyncLifetime
{
    public const string SourceId = RepositoryFiles.SeedSourceId;

    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("newsbot-slack-");
    private IHost? _host;

    public INewsBotEngine Engine { get; private set; } = null!;

    public static string ArticleText => RepositoryFiles.SeedArticleText;

    public async Task InitializeAsync()
    {
        var seeds = _temp.CreateSubdirectory("seeds");
        File.WriteAllText(Path.Combine(seeds.FullName, SourceId + ".txt"), ArticleText);
        _host = await NewsBotHost.BuildReadyAsync(
            new HostSettings(null, new Dictionary<string, string?>
            {
                ["Ingestion:SeedsPath"] = seeds.FullName,
                ["Storage:IndexPath"] = Path.Combine(_temp.FullName, "index.db"),
                ["Llm:Provider"] = "none",
            }),
            null,
            CancellationToken.None);
        Engine = _host.Services.GetRequiredService<INewsBotEngine>();
    }

    public Task DisposeAsync()
    {
        _host?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _temp.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class SeedEngineCollection : ICollectionFixture<SeedEngine>
{
    public const string Name = "Slack front end on the seed engine";
}

/// <summary>Passes everything to the real engine and counts what the front end asked of it.</summary>
public sealed class CountingEngine(INewsBotEngine inner) : INewsBotEngine
{
    private int _asks;
    private int _summaries;
    private int _reloads;

    public System.Collections.Concurrent.ConcurrentQueue<Question> Questions { get; } = new();

    public System.Collections.Concurrent.ConcurrentQueue<SummaryRequest> SummaryRequests { get; } = new();

    public int Asks => Volatile.Read(ref _asks);

    public int Summaries => Volatile.Read(ref _summaries);

    public int Reloads => Volatile.Read(ref _reloads);

    public Task<Answer> AskAsync(Question question, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _asks);
        Questions.Enqueue(question);
        return inner.AskAsync(question, cancellationToken);
    }

    public Task<Summary> SummarizeAsync(SummaryRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _summaries);
        SummaryRequests.Enqueue(request);
        return inner.SummarizeAsync(request, cancellationToken);
    }

    public IReadOnlyList<SourceInfo> ListSources() => inner.ListSources();

    public string? SourceNamed(string words) => inner.SourceNamed(words);

    public string? IndexNotice() => inner.IndexNotice();

    public Task<ReloadReport> ReloadAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reloads);
        return inner.ReloadAsync(cancellationToken);
    }
}
