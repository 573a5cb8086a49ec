using System.ClientModel;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using NewsBot.Generative.Configuration;
using NewsBot.Generative.Grounding;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace NewsBot.Generative.Resilience;

/// <summary>The model could not produce a usable reply in time; <see cref="Reason"/> is short and safe to show.</summary>
public sealed class ModelUnavailableException(string reason, Exception? inner = null)
    : Exception($"The language model is unavailable: {reason}.", inner)
{
    public string Reason { get; } = reason;
}

/// <summary>
/// Runs one model request with a per-attempt timeout, bounded retries with exponential backoff (or the
/// provider's Retry-After) for timeouts, 429, 5xx and unusable replies, and an overall deadline, all on
/// the injected <see cref="TimeProvider"/>. Whatever the provider does, the call ends by the deadline with
/// a result or a <see cref="ModelUnavailableException"/>; only the caller's own cancellation escapes as such.
/// </summary>
public sealed partial class ModelCaller
{
    /// <summary>Longest Retry-After honoured; longer requests are cut to it (the deadline bounds the whole call anyway).</summary>
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    public ModelCaller(TimeSpan attemptTimeout, TimeSpan deadline, int maxRetries, TimeSpan retryDelay, TimeProvider timeProvider, ILogger logger)
    {
        _logger = logger;
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddTimeout(deadline);
        if (maxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retryDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    !args.Context.CancellationToken.IsCancellationRequested
                    && args.Outcome.Exception is { } e
                    && IsTransient(e)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Exception) is { } wait && wait > retryDelay ? (TimeSpan?)wait : null),
                OnRetry = args =>
                {
                    LogRetry(_logger, args.AttemptNumber + 1, Describe(args.Outcome.Exception), args.RetryDelay.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        _pipeline = builder.AddTimeout(attemptTimeout).Build();
    }

    public static ModelCaller ForAnswers(LlmOptions options, TimeProvider timeProvider, ILogger logger) => new(
        TimeSpan.FromSeconds(options.TimeoutSeconds),
        TimeSpan.FromSeconds(options.DeadlineSeconds),
        options.MaxRetries,
        TimeSpan.FromSeconds(options.RetryDelaySeconds),
        timeProvider,
        logger);

    /// <exception cref="ModelUnavailableException">No usable reply within the deadline.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(attempt, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not ModelUnavailableException)
        {
            var reason = Describe(e);
            LogUnavailable(_logger, reason);
            throw new ModelUnavailableException(reason, e);
        }
    }

    private static bool IsTransient(Exception e) => StatusOf(e) switch
    {
        null => true,
        HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => true,
        var status => (int)status >= 500,
    };

    /// <summary>A short, secret-free description of why a request failed.</summary>
    internal static string Describe(Exception? e) => e switch
    {
        null => "unknown failure",
        TimeoutRejectedException or OperationCanceledException => "the request timed out",
        MalformedCompletionException => "the reply was empty or malformed",
        _ when StatusOf(e) is { } status => (int)status switch
        {
            429 => "the provider is rate-limiting requests (429)",
            >= 500 => string.Create(CultureInfo.InvariantCulture, $"the provider failed ({(int)status})"),
            _ => string.Create(CultureInfo.InvariantCulture, $"the provider refused the request ({(int)status})"),
        },
        _ when Find<System.Text.Json.JsonException>(e) is not null || Find<FormatException>(e) is not null => "the reply was not valid",
        _ when Find<HttpRequestException>(e) is not null => "the provider could not be reached",
        _ => "the reply could not be used",
    };

    private static HttpStatusCode? StatusOf(Exception e)
    {
        if (Find<ClientResultException>(e) is { Status: > 0 } client)
            return (HttpStatusCode)client.Status;
        if (Find<HttpOperationException>(e) is { StatusCode: { } code })
            return code;
        return Find<HttpRequestException>(e)?.StatusCode;
    }

    private static TimeSpan? RetryAfter(Exception? e)
    {
        if (e is null || Find<ClientResultException>(e)?.GetRawResponse() is not { } response)
            return null;
        if (!response.Headers.TryGetValue("Retry-After", out var value) || string.IsNullOrWhiteSpace(value))
            return null;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            return TimeSpan.FromSeconds(Math.Min(seconds, MaxRetryAfter.TotalSeconds));
        return null;
    }

    private static T? Find<T>(Exception e)
        where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T match)
                return match;
            if (current is AggregateException { InnerExceptions.Count: > 0 } aggregate)
                return aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(x => x is not null);
        }

        return null;
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "Language model attempt failed ({Reason}); retry {Attempt} in {DelaySeconds:0.0} s")]
    private static partial void LogRetry(ILogger logger, int attempt, string reason, double delaySeconds);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Language model unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
