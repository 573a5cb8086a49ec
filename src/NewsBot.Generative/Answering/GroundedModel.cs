using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using NewsBot.Generative.Configuration;
using NewsBot.Generative.Grounding;
using NewsBot.Generative.Prompts;
using NewsBot.Generative.Resilience;
using NewsBot.Generative.Tokens;

namespace NewsBot.Generative.Answering;

/// <summary>What every grounded generation needs: the kernel and prompts, the resilient caller, the quote verifier and the token budget.</summary>
public sealed class GroundedModel(
    Kernel kernel,
    PromptLibrary prompts,
    ModelCaller caller,
    GroundingVerifier verifier,
    TokenCounter tokens,
    IOptions<LlmOptions> options)
{
    public Kernel Kernel { get; } = kernel;

    public PromptLibrary Prompts { get; } = prompts;

    public ModelCaller Caller { get; } = caller;

    public GroundingVerifier Verifier { get; } = verifier;

    public TokenCounter Tokens { get; } = tokens;

    public LlmOptions Options { get; } = options.Value;
}
