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
/// it again with its one-line message. Disposed before the host: a process that ends (an error, Ctrl-C) while ONNX
/// Runtime is still creating a session would have it print its own error lines after NewsBot's one line.
/// </summary>
internal sealed class ModelPreload : IDisposable
{
    private readonly Task _loads;

    private ModelPreload(Task loads) => _loads = loads;

    public static ModelPreload Start(IServiceProvider services)
    {
        var loads = new List<Task>();
        if (services.GetService<IEmbeddingGenerator<string, Embedding<float>>>() is LocalEmbeddingGenerator embeddings)
            loads.Add(Task.Run(embeddings.Load));
        if (services.GetService<IAnswerReader>() is OnnxAnswerReader reader)
            loads.Add(Task.Run(reader.Load));
        return new ModelPreload(Task.WhenAll(loads));
    }

    public void Dispose()
    {
        try
        {
            _loads.Wait();
        }
        catch (AggregateException)
        {
            // Met again, with its one-line message, by the question that needs the model.
        }
    }
}
