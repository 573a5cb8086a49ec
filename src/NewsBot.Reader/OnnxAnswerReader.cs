using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using NewsBot.Answering;
using NewsBot.Telemetry;

namespace NewsBot.Reader;

/// <summary>
/// The trained reader (a 6-layer BERT cross-encoder, int8) run with ONNX Runtime: each candidate of a question read on
/// its own, several at once. Loads once, at the first question; thread-safe (ONNX Runtime sessions are).
/// </summary>
public sealed class OnnxAnswerReader : IAnswerReader, IDisposable
{
    private static readonly string[] Inputs = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] Outputs = ["answer_logit", "start_logits", "end_logits"];

    private readonly ReaderOptions _options;
    private readonly Lazy<LoadedModel> _model;
    private readonly int _workers;

    public OnnxAnswerReader(IOptions<ReaderOptions> options)
    {
        _options = options.Value;
        _workers = _options.Threads > 0 ? _options.Threads : Math.Max(1, Environment.ProcessorCount);
        _model = new Lazy<LoadedModel>(() => LoadedModel.Load(_options), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public double MinProbability => _options.MinProbability ?? _model.Value.Settings.MinProbability;

    public AnswerFusion Fusion => _model.Value.Fusion;

    /// <summary>Least probability of a short answer for the reply to lead with it.</summary>
    public double MinShortAnswerProbability => _model.Value.MinShortAnswerProbability;

    public bool KnowsWord(string word) => _model.Value.Pairs.Tokenizer.IsWholeWord(word);

    /// <summary>Loads the model now rather than at the first question.</summary>
    public void Load() => _ = _model.Value;

    public Task<IReadOnlyList<ReaderVerdict>> ReadAsync(string question, IReadOnlyList<ReaderCandidate> candidates, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (candidates.Count == 0)
            return Task.FromResult<IReadOnlyList<ReaderVerdict>>([]);
        var model = _model.Value;
        ReaderPair[] pairs;
        using (NewsBotTelemetry.ActivitySource.StartActivity("newsbot.read.pairs"))
        {
            var questionIds = model.Pairs.Question(question);
            pairs = [.. candidates.Select(c => model.Pairs.Build(questionIds, c))];
        }

        using (NewsBotTelemetry.ActivitySource.StartActivity("newsbot.read.onnx"))
            return Task.FromResult(model.Run(pairs, candidates, _workers, cancellationToken));
    }

    public void Dispose()
    {
        if (_model.IsValueCreated)
            _model.Value.Dispose();
    }

    private sealed class LoadedModel(InferenceSession session, ReaderPairs pairs, ReaderModelSettings settings, AnswerFusion fusion, double? minShortAnswerProbability)
        : IDisposable
    {
        public ReaderModelSettings Settings { get; } = settings;

        public AnswerFusion Fusion { get; } = fusion;

        public ReaderPairs Pairs { get; } = pairs;

        /// <summary>The setting, else the value fitted with the fusion, else the span head's own calibration.</summary>
        public double MinShortAnswerProbability { get; } = minShortAnswerProbability ?? fusion.MinShortAnswerProbability ?? settings.MinSpanProbability;

        public static LoadedModel Load(ReaderOptions options)
        {
            var path = options.ModelFile;
            var settings = ReaderModelSettings.Read(options.SettingsFile);
            var fusion = ReaderFusionFile.Read(options.FusionFile);
            ReaderTokenizer tokenizer;
            using (var vocabulary = File.OpenRead(options.VocabularyFile))
                tokenizer = ReaderTokenizer.Create(vocabulary);

            // Each run is single-threaded, and parallelism comes from reading several candidates at once: on two busy cores
            // that measured faster than ONNX Runtime's own threads, which wait for each other at every operator.
            using var sessionOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
            InferenceSession session;
            try
            {
                session = new InferenceSession(path, sessionOptions);
            }
            catch (OnnxRuntimeException e)
            {
                throw new InvalidDataException(
                    $"Answering:Reader:ModelPath: {path} is not a loadable ONNX model ({e.Message.Split('\n')[0].Trim()}); replace it, or set Answering:Reader:Enabled=false.");
            }

            var missing = Inputs.Where(n => !session.InputMetadata.ContainsKey(n))
                .Concat(Outputs.Where(n => !session.OutputMetadata.ContainsKey(n))).ToList();
            if (missing.Count > 0)
            {
                session.Dispose();
                throw new InvalidDataException(
                    $"Answering:Reader:ModelPath: {path} is not a reader model (it lacks {string.Join(", ", missing)}); replace it, or set Answering:Reader:Enabled=false.");
            }

            return new LoadedModel(session, new ReaderPairs(tokenizer, settings), settings, fusion, options.MinShortAnswerProbability);
        }

        /// <summary>
        /// Reads every pair on its own, longest first, on up to <paramref name="workers"/> threads at once: no row is
        /// padded, and, as activations are quantized per run, a pair scores the same whatever else was retrieved with it.
        /// Each worker takes the next pair only when it is free: an array handed to <c>Parallel.ForEach</c> as it is is
        /// cut into ranges, which gave one thread the longest pairs and left 6 pairs 20 % slower to read (25 ms against 20).
        /// </summary>
        public IReadOnlyList<ReaderVerdict> Run(ReaderPair[] pairs, IReadOnlyList<ReaderCandidate> candidates, int workers, CancellationToken cancellationToken)
        {
            var verdicts = new ReaderVerdict[pairs.Length];
            var longestFirst = Enumerable.Range(0, pairs.Length).OrderByDescending(i => pairs[i].Length);
            Parallel.ForEach(
                Partitioner.Create(longestFirst, EnumerablePartitionerOptions.NoBuffering),
                new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
                i => verdicts[i] = Read(pairs[i], candidates[i].Sentence));
            return verdicts;
        }

        private ReaderVerdict Read(ReaderPair pair, string sentence)
        {
            var width = pair.Length;
            var ids = new long[width];
            var types = new long[width];
            var mask = new long[width];
            for (var k = 0; k < width; k++)
            {
                ids[k] = pair.InputIds[k];
                types[k] = pair.TokenTypeIds[k];
                mask[k] = 1;
            }

            long[] shape = [1, width];
            using var inputIds = OrtValue.CreateTensorValueFromMemory(ids, shape);
            using var attentionMask = OrtValue.CreateTensorValueFromMemory(mask, shape);
            using var tokenTypeIds = OrtValue.CreateTensorValueFromMemory(types, shape);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, Inputs, [inputIds, attentionMask, tokenTypeIds], Outputs);
            var answer = outputs[0].GetTensorDataAsSpan<float>()[0];
            var span = SpanDecoder.Best(
                outputs[1].GetTensorDataAsSpan<float>(), outputs[2].GetTensorDataAsSpan<float>(), pair.SentenceStart, pair.SentenceOffsets.Length, Settings.MaxSpanTokens);
            return new ReaderVerdict(1.0 / (1.0 + Math.Exp(-answer)), ShortAnswer(span, pair, sentence));
        }

        /// <summary>The span as characters of the sentence, when confident and shorter than the sentence itself.</summary>
        private SpanInSentence? ShortAnswer(TokenSpan? span, ReaderPair pair, string sentence)
        {
            if (span is not { } s || s.Probability < MinShortAnswerProbability)
                return null;
            var (start, end) = (pair.SentenceOffsets[s.First].Start, pair.SentenceOffsets[s.Last].End);
            while (start < end && char.IsWhiteSpace(sentence[start]))
                start++;
            while (end > start && char.IsWhiteSpace(sentence[end - 1]))
                end--;
            return end > start && end - start < sentence.Trim().Length ? new SpanInSentence(start, end, s.Probability) : null;
        }

        public void Dispose() => session.Dispose();
    }
}
