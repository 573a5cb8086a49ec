using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using NewsBot.Answering;

namespace NewsBot.Reader;

/// <summary>
/// The trained reader (a 6-layer BERT cross-encoder, int8) run with ONNX Runtime: every candidate of a question in
/// one batch, padded to the longest. Loads once, at the first question; thread-safe (ONNX Runtime sessions are).
/// </summary>
public sealed class OnnxAnswerReader : IAnswerReader, IDisposable
{
    private static readonly string[] Inputs = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] Outputs = ["answer_logit", "start_logits", "end_logits"];

    private readonly ReaderOptions _options;
    private readonly Lazy<LoadedModel> _model;

    public OnnxAnswerReader(IOptions<ReaderOptions> options)
    {
        _options = options.Value;
        _model = new Lazy<LoadedModel>(() => LoadedModel.Load(_options), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public double MinProbability => _options.MinProbability ?? _model.Value.Settings.MinProbability;

    /// <summary>Loads the model now rather than at the first question.</summary>
    public void Load() => _ = _model.Value;

    public Task<IReadOnlyList<ReaderVerdict>> ReadAsync(string question, IReadOnlyList<ReaderCandidate> candidates, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (candidates.Count == 0)
            return Task.FromResult<IReadOnlyList<ReaderVerdict>>([]);
        var model = _model.Value;
        var questionIds = model.Pairs.Question(question);
        var pairs = candidates.Select(c => model.Pairs.Build(questionIds, c)).ToArray();
        return Task.FromResult(model.Run(pairs, candidates));
    }

    public void Dispose()
    {
        if (_model.IsValueCreated)
            _model.Value.Dispose();
    }

    private sealed class LoadedModel(InferenceSession session, ReaderPairs pairs, ReaderModelSettings settings, int padding) : IDisposable
    {
        public ReaderModelSettings Settings { get; } = settings;

        public ReaderPairs Pairs { get; } = pairs;

        public static LoadedModel Load(ReaderOptions options)
        {
            var path = options.ModelFile;
            var settings = ReaderModelSettings.Read(options.SettingsFile);
            ReaderTokenizer tokenizer;
            using (var vocabulary = File.OpenRead(options.VocabularyFile))
                tokenizer = ReaderTokenizer.Create(vocabulary);

            var threads = options.Threads > 0 ? options.Threads : Math.Max(1, Environment.ProcessorCount);
            using var sessionOptions = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
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

            return new LoadedModel(session, new ReaderPairs(tokenizer, settings), settings, tokenizer.PaddingId);
        }

        public IReadOnlyList<ReaderVerdict> Run(ReaderPair[] pairs, IReadOnlyList<ReaderCandidate> candidates)
        {
            var batch = pairs.Length;
            var width = pairs.Max(p => p.Length);
            var ids = new long[batch * width];
            var mask = new long[batch * width];
            var types = new long[batch * width];
            Array.Fill(ids, padding);
            for (var row = 0; row < batch; row++)
            {
                var pair = pairs[row];
                for (var k = 0; k < pair.Length; k++)
                {
                    ids[(row * width) + k] = pair.InputIds[k];
                    types[(row * width) + k] = pair.TokenTypeIds[k];
                    mask[(row * width) + k] = 1;
                }
            }

            long[] shape = [batch, width];
            using var inputIds = OrtValue.CreateTensorValueFromMemory(ids, shape);
            using var attentionMask = OrtValue.CreateTensorValueFromMemory(mask, shape);
            using var tokenTypeIds = OrtValue.CreateTensorValueFromMemory(types, shape);
            var inputs = new Dictionary<string, OrtValue>
            {
                ["input_ids"] = inputIds,
                ["attention_mask"] = attentionMask,
                ["token_type_ids"] = tokenTypeIds,
            };
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, inputs, Outputs);
            var answer = outputs[0].GetTensorDataAsSpan<float>();
            var starts = outputs[1].GetTensorDataAsSpan<float>();
            var ends = outputs[2].GetTensorDataAsSpan<float>();

            var verdicts = new ReaderVerdict[batch];
            for (var row = 0; row < batch; row++)
            {
                var pair = pairs[row];
                var span = SpanDecoder.Best(
                    starts.Slice(row * width, width), ends.Slice(row * width, width), pair.SentenceStart, pair.SentenceOffsets.Length, Settings.MaxSpanTokens);
                verdicts[row] = new ReaderVerdict(1.0 / (1.0 + Math.Exp(-answer[row])), ShortAnswer(span, pair, candidates[row].Sentence));
            }

            return verdicts;
        }

        /// <summary>The span as characters of the sentence, when confident and shorter than the sentence itself.</summary>
        private SpanInSentence? ShortAnswer(TokenSpan? span, ReaderPair pair, string sentence)
        {
            if (span is not { } s || s.Probability < Settings.MinSpanProbability)
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
