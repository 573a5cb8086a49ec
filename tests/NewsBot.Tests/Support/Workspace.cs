using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using NewsBot.Chat;
using NewsBot.Embeddings.Local;
using NewsBot.Host.Hosting;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Testing.Repository;

namespace NewsBot.Tests.Support;

/// <summary>A temporary folder with a seeds folder (holding a copy of the repository's seed article) and an index path.</summary>
public sealed class Workspace : IDisposable
{
    public const string SeedId = RepositoryFiles.SeedSourceId;

    public Workspace(bool withSeed = true)
    {
        Root = Path.Combine(Path.GetTempPath(), "newsbot-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Seeds);
        if (withSeed)
            File.Copy(SeedSourcePath, Path.Combine(Seeds, SeedId + ".txt"));
    }

    public static string SeedSourcePath => RepositoryFiles.SeedPath;

    public string Root { get; }

    public string Seeds => Path.Combine(Root, "seeds");

    public string IndexPath => Path.Combine(Root, "data", "newsbot.db");

    public string Write(string fileName, string content) => Write(fileName, Encoding.UTF8.GetBytes(content));

    public string Write(string fileName, byte[] content)
    {
        var path = Path.Combine(Seeds, fileName);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Delete(string fileName) => File.Delete(Path.Combine(Seeds, fileName));

    /// <summary>
    /// The real host on this workspace. The embedding model is the real default (ArcticXs), shared between hosts to save its
    /// load time, behind <paramref name="embeddings"/> when a test wants to watch or disguise it.
    /// </summary>
    public IHost BuildHost(
        Func<IEmbeddingGenerator<string, Embedding<float>>, IEmbeddingGenerator<string, Embedding<float>>>? embeddings = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<HostApplicationBuilder>? configure = null)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Ingestion:SeedsPath"] = Seeds,
            ["Storage:IndexPath"] = IndexPath,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            overrides[key] = value;
        var generator = embeddings?.Invoke(SharedModel.Instance) ?? SharedModel.Instance;
        var host = NewsBotHost.Build(new HostSettings(null, overrides), builder =>
        {
            builder.Services.RemoveAll<IEmbeddingGenerator<string, Embedding<float>>>();
            builder.Services.AddSingleton(generator);
            configure?.Invoke(builder);
        });
        NewsBotHost.ValidateOptionsAsync(host, CancellationToken.None).GetAwaiter().GetResult();
        return host;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold the index open for a moment; the OS cleans temp eventually.
        }
    }
}

/// <summary>The real default embedding model, loaded once per test run.</summary>
public static class SharedModel
{
    private static readonly Lazy<LocalEmbeddingGenerator> Model = new(() => new LocalEmbeddingGenerator(LocalEmbeddingModel.ArcticXs));

    public static IEmbeddingGenerator<string, Embedding<float>> Instance => new Unowned(Model.Value);

    public static string ModelId => LocalEmbeddingModel.ArcticXs.ModelId;

    /// <summary>Forwards to the shared model but never disposes it, since hosts dispose their singletons.</summary>
    private sealed class Unowned(IEmbeddingGenerator<string, Embedding<float>> inner) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.GenerateAsync(values, options, cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

        public void Dispose()
        {
        }
    }
}

/// <summary>Counts the texts embedded and can claim to be a different model.</summary>
public sealed class WatchedEmbeddings(IEmbeddingGenerator<string, Embedding<float>> inner, string? claimedModelId = null)
    : IEmbeddingGenerator<string, Embedding<float>>
{
    private int _texts;
    private int _calls;

    public int Texts => Volatile.Read(ref _texts);

    public int Calls => Volatile.Read(ref _calls);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = values.ToList();
        Interlocked.Add(ref _texts, list.Count);
        Interlocked.Increment(ref _calls);
        return inner.GenerateAsync(list, options, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        if (claimedModelId is not null && serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            var real = (EmbeddingGeneratorMetadata?)inner.GetService(serviceType);
            return new EmbeddingGeneratorMetadata(real?.ProviderName, real?.ProviderUri, claimedModelId, real?.DefaultModelDimensions);
        }

        return inner.GetService(serviceType, serviceKey);
    }

    public void Dispose() => inner.Dispose();
}

public static class HostExtensions
{
    public static INewsBotEngine Engine(this IHost host) => host.Services.GetRequiredService<INewsBotEngine>();

    public static Ingestor Ingestor(this IHost host) => host.Services.GetRequiredService<Ingestor>();

    public static IndexSnapshot Snapshot(this IHost host) => host.Services.GetRequiredService<CurrentIndex>().Snapshot;

    public static Task<ReloadReport> IngestAsync(this IHost host) => host.Ingestor().ReloadAsync();

    /// <summary>
    /// Completes when a started host's ingestion worker has finished its start-up reload; <c>/healthz</c> says "ok" as
    /// soon as the stored index is served, which is before that reload has looked at the store and the seeds.
    /// </summary>
    public static Task StartupReloadAsync(this IHost host) =>
        host.Services.GetServices<IHostedService>().OfType<IngestionWorker>().Single().ExecuteTask
        ?? throw new InvalidOperationException("The host has not been started.");
}

/// <summary>One ingested seed index shared by the tests of a class that only read it.</summary>
public sealed class SeededIndexFixture : IAsyncLifetime
{
    public Workspace Workspace { get; } = new();

    public IHost Host { get; private set; } = null!;

    public ReloadReport FirstReport { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = Workspace.BuildHost();
        FirstReport = await Host.IngestAsync();
    }

    public Task DisposeAsync()
    {
        Host.Dispose();
        Workspace.Dispose();
        return Task.CompletedTask;
    }
}
