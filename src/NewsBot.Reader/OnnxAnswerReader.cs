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

    /// <summary>Loads the model now rather than at the first question.</summary>
    public void Load() => _ = _model.Value;

    public Task<IReadOnlyList<ReaderVerdict>> ReadAsync(string question, IReadOnlyList<ReaderCandidate> candidates, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (candidates.Count == 0)
            return Task.FromResult<IReadOnlyList<ReaderVerdict>>([]);
        var model = _model.Value;
        if (model.Windows is { } windows)
        {
            WindowPlan plan;
            using (NewsBotTelemetry.ActivitySource.StartActivity("newsbot.read.windows"))
                plan = windows.Plan(model.Pairs.Question(question), candidates);
            using (NewsBotTelemetry.ActivitySource.StartActivity("newsbot.read.onnx"))
                return Task.FromResult(model.Run(plan, candidates, _workers, cancellationToken));
        }

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

    private sealed class LoadedModel(InferenceSession session, ReaderPairs pairs, ReaderWindows? windows, ReaderModelSettings settings, AnswerFusion fusion) : IDisposable
    {
        public ReaderModelSettings Settings { get; } = settings;

        public AnswerFusion Fusion { get; } = fusion;

        public ReaderPairs Pairs { get; } = pairs;

        /// <summary>Set for a window reader (format 2), which reads candidates in windows of their paragraphs.</summary>
        public ReaderWindows? Windows { get; } = windows;

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

            var windows = settings.Format == ReaderModelSettings.WindowFormat ? new ReaderWindows(tokenizer, settings) : null;
            return new LoadedModel(session, new ReaderPairs(tokenizer, settings), windows, settings, fusion);
        }

        /// <summary>
        /// Reads every pair on its own, longest first, on up to <paramref name="workers"/> threads at once: no row is
        /// padded, and, as activations are quantized per run, a pair scores the same whatever else was retrieved with it.
        /// </summary>
        public IReadOnlyList<ReaderVerdict> Run(ReaderPair[] pairs, IReadOnlyList<ReaderCandidate> candidates, int workers, CancellationToken cancellationToken)
        {
            var verdicts = new ReaderVerdict[pairs.Length];
            var longestFirst = Enumerable.Range(0, pairs.Length).OrderByDescending(i => pairs[i].Length).ToArray();
            Parallel.ForEach(
                longestFirst,
                new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
                i => verdicts[i] = Read(pairs[i], candidates[i].Sentence));
            return verdicts;
        }

        /// <summary>
        /// Reads every window on its own, longest first, like pairs; each candidate's probability is the share of the
        /// answer's start the window puts in its sentence (softmax over [CLS] and the window's sentence tokens), and its
        /// short answer the best span inside its sentence. A candidate no window was left for gets probability 0.
        /// </summary>
        public IReadOnlyList<ReaderVerdict> Run(WindowPlan plan, IReadOnlyList<ReaderCandidate> candidates, int workers, CancellationToken cancellationToken)
        {
            var outputs = new (float[] Start, float[] End)[plan.Windows.Count];
            var longestFirst = Enumerable.Range(0, plan.Windows.Count).OrderByDescending(i => plan.Windows[i].Length).ToArray();
            Parallel.ForEach(
                longestFirst,
                new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
                i =>
                {
                    var (_, start, end) = Infer(plan.Windows[i].InputIds, plan.Windows[i].TokenTypeIds);
                    outputs[i] = (start, end);
                });

            var verdicts = new ReaderVerdict[candidates.Count];
            for (var c = 0; c < candidates.Count; c++)
            {
                var k = plan.Reading[c];
                var sentence = k < 0 ? null : plan.Windows[k].Find(candidates[c].Index);
                if (sentence is null)
                {
                    verdicts[c] = new ReaderVerdict(0, null);
                    continue;
                }

                var (start, end) = outputs[k];
                Range[] text = [.. plan.Windows[k].Sentences.Select(s => new Range(s.Position, s.Position + s.Count))];
                var startNorm = SpanDecoder.LogSumExp(start, text);
                var probability = 0.0;
                for (var p = sentence.Position; p < sentence.Position + sentence.Count; p++)
                    probability += Math.Exp(start[p] - startNorm);
                var span = SpanDecoder.Best(start, end, sentence.Position, sentence.Count, Settings.MaxSpanTokens, (startNorm, SpanDecoder.LogSumExp(end, text)));
                verdicts[c] = new ReaderVerdict(Math.Min(1, probability), ShortAnswer(span, sentence.Offsets, candidates[c].Sentence));
            }

            return verdicts;
        }

        private ReaderVerdict Read(ReaderPair pair, string sentence)
        {
            var (answer, start, end) = Infer(pair.InputIds, pair.TokenTypeIds);
            var span = SpanDecoder.Best(start, end, pair.SentenceStart, pair.SentenceOffsets.Length, Settings.MaxSpanTokens);
            return new ReaderVerdict(1.0 / (1.0 + Math.Exp(-answer)), ShortAnswer(span, pair.SentenceOffsets, sentence));
        }

        private (float Answer, float[] Start, float[] End) Infer(int[] inputIds, int[] tokenTypeIds)
        {
            var width = inputIds.Length;
            var ids = new long[width];
            var types = new long[width];
            var mask = new long[width];
            for (var k = 0; k < width; k++)
            {
                ids[k] = inputIds[k];
                types[k] = tokenTypeIds[k];
                mask[k] = 1;
            }

            long[] shape = [1, width];
            using var inputIdsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
            using var attentionMask = OrtValue.CreateTensorValueFromMemory(mask, shape);
            using var tokenTypeIdsValue = OrtValue.CreateTensorValueFromMemory(types, shape);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, Inputs, [inputIdsValue, attentionMask, tokenTypeIdsValue], Outputs);
            return (outputs[0].GetTensorDataAsSpan<float>()[0], outputs[1].GetTensorDataAsSpan<float>().ToArray(), outputs[2].GetTensorDataAsSpan<float>().ToArray());
        }

        /// <summary>The span as characters of the sentence, when confident and shorter than the sentence itself.</summary>
        private SpanInSentence? ShortAnswer(TokenSpan? span, (int Start, int End)[] offsets, string sentence)
        {
            if (span is not { } s || s.Probability < Settings.MinSpanProbability)
                return null;
            var (start, end) = (offsets[s.First].Start, offsets[s.Last].End);
            while (start < end && char.IsWhiteSpace(sentence[start]))
                start++;
            while (end > start && char.IsWhiteSpace(sentence[end - 1]))
                end--;
            return end > start && end - start < sentence.Trim().Length ? new SpanInSentence(start, end, s.Probability) : null;
        }

        public void Dispose() => session.Dispose();
    }
}
