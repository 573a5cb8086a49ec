using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel;
using NewsBot.Chat;
using NewsBot.Generative.Grounding;
using NewsBot.Generative.Plugins;
using NewsBot.Generative.Tokens;
using NewsBot.Retrieval;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace NewsBot.Generative.Prompts;

/// <summary>A prompt template file that cannot be used; the message is one line naming the file.</summary>
public sealed class PromptTemplateException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>One loaded, validated prompt template.</summary>
public sealed record PromptDefinition(string Name, string Path, PromptTemplateConfig Config, KernelFunction Function);

/// <summary>
/// The user-editable prompt templates (prompts/*.yaml, Semantic Kernel prompt template config in YAML).
/// Each is parsed, compiled and rendered once with sample arguments at load, so a broken file stops
/// start-up with one line naming it instead of failing on the first question.
/// </summary>
public sealed class PromptLibrary
{
    public const string AnswerFile = "answer.yaml";
    public const string SummaryFile = "summary.yaml";
    public const string CondenseFile = "condense.yaml";

    private PromptLibrary(PromptDefinition answer, PromptDefinition summary, PromptDefinition condense)
    {
        Answer = answer;
        Summary = summary;
        Condense = condense;
    }

    /// <summary>Answers a question from numbered passages; uses <c>articles.search</c> and <c>$question</c>.</summary>
    public PromptDefinition Answer { get; }

    /// <summary>Summarises one article from its numbered paragraphs: <c>$title</c>, <c>$passages</c>, <c>$sentences</c>.</summary>
    public PromptDefinition Summary { get; }

    /// <summary>Rewrites a follow-up into a standalone question: <c>$history</c>, <c>$question</c>.</summary>
    public PromptDefinition Condense { get; }

    /// <summary>
    /// Resolves <paramref name="directory"/>: absolute as given; relative against the current directory
    /// (a user's edited copy), else against the program folder (the defaults shipped with it).
    /// </summary>
    public static string ResolveDirectory(string directory)
    {
        if (Path.IsPathRooted(directory))
            return directory;
        var fromCurrent = Path.GetFullPath(directory);
        if (Directory.Exists(fromCurrent))
            return fromCurrent;
        var fromProgram = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, directory));
        return Directory.Exists(fromProgram) ? fromProgram : fromCurrent;
    }

    /// <exception cref="PromptTemplateException">A file is missing or broken.</exception>
    public static PromptLibrary Load(string directory)
    {
        var folder = ResolveDirectory(directory);
        return new PromptLibrary(
            LoadOne(folder, AnswerFile, ["question"], usesSearch: true),
            LoadOne(folder, SummaryFile, ["title", "passages", "sentences"], usesSearch: false),
            LoadOne(folder, CondenseFile, ["history", "question"], usesSearch: false));
    }

    private static PromptDefinition LoadOne(string folder, string file, string[] variables, bool usesSearch)
    {
        var path = Path.Combine(folder, file);
        var shown = DisplayPath(path);
        if (!File.Exists(path))
            throw new PromptTemplateException($"{shown}: prompt template not found (set Llm:PromptsDirectory to the folder holding {AnswerFile}, {SummaryFile} and {CondenseFile}).");

        PromptTemplateConfig config;
        try
        {
            config = PromptTemplateConfig.FromJson(YamlToJson(File.ReadAllText(path)));
        }
        catch (YamlException e)
        {
            throw new PromptTemplateException(
                string.Create(CultureInfo.InvariantCulture, $"{shown}: line {e.Start.Line}, column {e.Start.Column}: {ChatText.OneLine(e.InnerException?.Message ?? e.Message)}"), e);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new PromptTemplateException($"{shown}: not a prompt template config: {ChatText.OneLine(e.Message)}", e);
        }

        if (string.IsNullOrWhiteSpace(config.Template))
            throw new PromptTemplateException($"{shown}: 'template' is missing or empty.");
        if (!string.Equals(config.TemplateFormat, PromptTemplateConfig.SemanticKernelTemplateFormat, StringComparison.OrdinalIgnoreCase))
            throw new PromptTemplateException($"{shown}: template_format '{config.TemplateFormat}' is not supported; use '{PromptTemplateConfig.SemanticKernelTemplateFormat}'.");
        if (string.IsNullOrWhiteSpace(config.Name))
            config.Name = Path.GetFileNameWithoutExtension(file);

        KernelFunction function;
        try
        {
            function = KernelFunctionFactory.CreateFromPrompt(config, new KernelPromptTemplateFactory());
        }
        catch (Exception e) when (e is KernelException or ArgumentException)
        {
            throw new PromptTemplateException($"{shown}: the template does not parse: {ChatText.OneLine(e.Message)}", e);
        }

        CheckRenders(shown, config, variables, usesSearch);
        return new PromptDefinition(config.Name!, path, config, function);
    }

    /// <summary>
    /// Renders the template with a marker in every expected variable (and a marker passage from the search
    /// plugin) and checks each marker arrives: a template that forgets the question or the passages would
    /// otherwise let the model answer from nothing.
    /// </summary>
    private static void CheckRenders(string shown, PromptTemplateConfig config, string[] variables, bool usesSearch)
    {
        const string PassageMarker = "zqpassagemarkerzq";
        var builder = Kernel.CreateBuilder();
        var tokens = new TokenCounter(string.Empty, "o200k_base");
        builder.Plugins.AddFromObject(new ArticlesPlugin(new MarkerSearch(PassageMarker), tokens, 1), ArticlesPlugin.PluginName);
        var kernel = builder.Build();

        var arguments = new KernelArguments { [ArticlesPlugin.LedgerArgument] = new PassageLedger(tokens, int.MaxValue), ["source"] = string.Empty };
        foreach (var variable in variables)
            arguments[variable] = Marker(variable);

        string rendered;
        try
        {
            var template = new KernelPromptTemplateFactory().Create(config);
            rendered = template.RenderAsync(kernel, arguments).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is KernelException or ArgumentException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new PromptTemplateException($"{shown}: the template does not render: {ChatText.OneLine(e.Message)}", e);
        }

        foreach (var variable in variables)
        {
            if (!rendered.Contains(Marker(variable), StringComparison.Ordinal))
                throw new PromptTemplateException($"{shown}: the template never uses {{{{${variable}}}}}.");
        }

        if (usesSearch && !rendered.Contains(PassageMarker, StringComparison.Ordinal))
            throw new PromptTemplateException($"{shown}: the template never includes the passages ({{{{{ArticlesPlugin.PluginName}.search query=$question}}}}).");

        static string Marker(string variable) => "zqvar" + variable + "zq";
    }

    private static string YamlToJson(string yaml)
    {
        var value = new DeserializerBuilder()
            .WithAttemptingUnquotedStringTypeDeserialization()
            .Build()
            .Deserialize<object?>(yaml);
        if (value is not IDictionary<object, object?>)
            throw new FormatException("expected a mapping with at least 'template'");
        return ToNode(value)!.ToJsonString();
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        IDictionary<object, object?> map => new JsonObject(map.Select(kv => KeyValuePair.Create(Convert.ToString(kv.Key, CultureInfo.InvariantCulture)!, ToNode(kv.Value)))),
        IEnumerable<object?> list when value is not string => new JsonArray([.. list.Select(ToNode)]),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        float f => JsonValue.Create(f),
        decimal m => JsonValue.Create(m),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private static string DisplayPath(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    private sealed class MarkerSearch(string text) : IPassageSearch
    {
        public Task<IReadOnlyList<Passage>> SearchAsync(PassageQuery query, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<Passage>>([new Passage("validation", "Validation", 1, 0, text.Length, text)]);
    }
}
