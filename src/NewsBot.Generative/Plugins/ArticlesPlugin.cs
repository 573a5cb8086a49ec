using System.ComponentModel;
using Microsoft.SemanticKernel;
using NewsBot.Generative.Grounding;
using NewsBot.Generative.Tokens;
using NewsBot.Retrieval;

namespace NewsBot.Generative.Plugins;

/// <summary>
/// The retrieval as a Semantic Kernel plugin: <c>{{articles.search query=$question}}</c> in a prompt template
/// (or a tool call) returns numbered passages. The numbers are recorded in the request's
/// <see cref="PassageLedger"/> (argument <see cref="LedgerArgument"/>), which is what citations are verified against.
/// </summary>
public sealed class ArticlesPlugin(IPassageSearch search, TokenCounter tokens, int defaultTop)
{
    public const string PluginName = "articles";

    /// <summary>The <see cref="KernelArguments"/> entry holding the request's <see cref="PassageLedger"/>.</summary>
    public const string LedgerArgument = "passage_ledger";

    [KernelFunction("search")]
    [Description("Searches the news articles. Returns numbered passages; quote them exactly and cite them as [n].")]
    public async Task<string> SearchAsync(
        KernelArguments arguments,
        [Description("What to look for, usually the question.")] string query,
        [Description("Only the article with this id; empty for all articles.")] string? source = null,
        [Description("How many passages at most; 0 for the configured number.")] int top = 0,
        CancellationToken cancellationToken = default)
    {
        // Without a ledger (a caller outside the answerer) the numbers are still consistent within this reply.
        var ledger = arguments.TryGetValue(LedgerArgument, out var value) && value is PassageLedger requestLedger
            ? requestLedger
            : new PassageLedger(tokens, int.MaxValue);
        var passageQuery = new PassageQuery(query, top > 0 ? top : defaultTop, string.IsNullOrWhiteSpace(source) ? null : source);
        var passages = await search.SearchAsync(passageQuery, cancellationToken);
        return ledger.Admit(passages);
    }
}
