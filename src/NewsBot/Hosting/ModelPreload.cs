using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Answering;
using NewsBot.Embeddings.Local;
using NewsBot.Reader;

namespace NewsBot.Host.Hosting;

/// <summary>
/// Loads the local embedding model and the reader on background threads while the index loads, for verbs about to
/// answer questions. Both load lazily at their first use otherwise, one after the other behind the first question; on
/// two cores they and the index load now overlap. A failure is left to the question that needs the model, which meets
/// it again with its one-line message.
/// </summary>
internal static class ModelPreload
{
    public static void Start(IServiceProvider services)
    {
        if (services.GetService<IEmbeddingGenerator<string, Embedding<float>>>() is LocalEmbeddingGenerator embeddings)
            Start(embeddings.Load);
        if (services.GetService<IAnswerReader>() is OnnxAnswerReader reader)
            Start(reader.Load);
    }

    private static void Start(Action load) =>
        _ = Task.Run(load).ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
