using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsBot.Host.Hosting;

namespace NewsBot.Tests;

/// <summary>Settings the binder would drop in silence are start-up errors; every numeric option has a range.</summary>
public sealed class ConfigurationCheckTests
{
    /// <summary>Valid settings that switch on every validator (Discord and both model connections), so each range is checked.</summary>
    private static readonly Dictionary<string, string?> Baseline = new()
    {
        ["Discord:Token"] = "MTE4MTIzOTQxMjc4NTk1ODkzMg.fake.token-for-validation",
        ["Llm:Provider"] = "openai-compatible",
        ["Llm:Endpoint"] = "http://127.0.0.1:9/v1",
        ["Llm:Model"] = "test-model",
        ["Llm:Embeddings:Provider"] = "openai-compatible",
        ["Llm:Embeddings:Endpoint"] = "http://127.0.0.1:9/v1",
        ["Llm:Embeddings:Model"] = "test-embedder",
    };

    private static IReadOnlyList<string> Failures(params (string Key, string? Value)[] settings)
    {
        var overrides = new Dictionary<string, string?>(Baseline);
        foreach (var (key, value) in settings)
            overrides[key] = value;
        try
        {
            using var host = NewsBotHost.Build(new HostSettings(null, overrides), FrontEnds.Add);
            NewsBotHost.ValidateOptionsAsync(host, CancellationToken.None).GetAwaiter().GetResult();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return e.Failures.ToList();
        }
    }

    [Fact]
    public void The_baseline_is_valid() => Assert.Empty(Failures());

    [Theory]
    [InlineData("Answering:MaxQuestionLenght", "100", "Answering:MaxQuestionLength")]
    [InlineData("Answeringg:MaxQuestionLength", "100", "Answering:MaxQuestionLength")]
    [InlineData("Retrieval:DenseWieght", "1", "Retrieval:DenseWeight")]
    [InlineData("Discord:Gateway:HeloTimeout", "00:00:05", "Discord:Gateway:HelloTimeout")]
    [InlineData("Ingestion:Chunking:MaxToken", "100", "Ingestion:Chunking:MaxTokens")]
    public void An_unknown_key_names_itself_and_the_nearest_known_one(string key, string value, string nearest)
    {
        var failure = Assert.Single(Failures((key, value)));
        Assert.Equal($"{key} is not a NewsBot setting; did you mean {nearest}?", failure);
    }

    [Theory]
    [InlineData("Discord:AskChannelIds:0", "general")]
    [InlineData("Discord:AdminUserIds:0", "bob")]
    [InlineData("Discord:AdminRoleIds:1", "12x")]
    [InlineData("Discord:GuildId", "myserver")]
    [InlineData("Answering:RequireSpeaker", "sometimes")]
    public void A_value_that_does_not_convert_is_an_error_naming_the_key(string key, string value)
    {
        var failure = Assert.Single(Failures((key, value)));
        Assert.StartsWith($"{key}: '{value}' is not ", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Discord:GuildId")]
    [InlineData("Discord:AdminUserIds:0")]
    public void A_token_pasted_into_an_id_setting_is_not_repeated(string key)
    {
        const string token = "MTE4MTIzOTQxMjc4NTk1ODkzMg.GhX2Kd.pasted-into-the-wrong-setting";

        var failure = Assert.Single(Failures((key, token)));

        Assert.Equal($"{key}: the value given ({token.Length} characters, not repeated here) is not a whole number (ids are numbers).", failure);
    }

    [Fact]
    public void Known_keys_in_any_case_lists_and_host_sections_pass() =>
        Assert.Empty(Failures(
            ("answering:maxquestionlength", "300"),
            ("Discord:AskChannelIds:0", "645027906669510667"),
            ("Discord:AskChannelIds", ""),
            ("Logging:LogLevel:Default", "Warning"),
            ("//", "a comment, as in appsettings.example.json")));

    [Theory]
    [InlineData(null, 30)]
    [InlineData("00:01:00", 70)]
    [InlineData("00:00:00", 10)]
    public void The_host_allows_the_front_ends_drain_time_plus_10_s_to_stop(string? drainTime, int seconds)
    {
        var overrides = new Dictionary<string, string?>(Baseline);
        if (drainTime is not null)
            overrides["FrontEnds:StopDrainTime"] = drainTime;
        using var host = NewsBotHost.Build(new HostSettings(null, overrides), FrontEnds.Add);

        var options = host.Services.GetRequiredService<IOptions<Microsoft.Extensions.Hosting.HostOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(seconds), options.ShutdownTimeout);
        Assert.True(options.ServicesStopConcurrently);
        // Not ConsoleLifetime, which would swallow the second signal (see ProcessTests).
        Assert.Equal("CommandLineLifetime", host.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostLifetime>().GetType().Name);
    }

    private static string ExampleSettingsFile =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Support.Workspace.SeedSourcePath))!, "appsettings.example.json");

    [Fact]
    public async Task The_example_settings_file_holds_only_known_keys()
    {
        using var host = NewsBotHost.Build(new HostSettings(ExampleSettingsFile), FrontEnds.Add);
        await NewsBotHost.ValidateOptionsAsync(host, CancellationToken.None);
    }

    /// <summary>README says the example lists every key; a new option that is not added there fails here.</summary>
    [Fact]
    public void The_example_settings_file_lists_every_key()
    {
        var listed = new ConfigurationBuilder().AddJsonFile(ExampleSettingsFile).Build().AsEnumerable()
            .Select(p => p.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var missing = RegisteredSections()
            .SelectMany(s => ConfigurationKeyCheck.KnownKeys(s.Key, s.Value))
            .Where(key => !listed.Contains(key))
            .Order(StringComparer.Ordinal);

        Assert.Empty(missing);
    }

    /// <summary>
    /// Copied as appsettings.json, the example must change nothing: every value it writes is the default. It writes an
    /// empty string where the default is null (a secret, a path or URL left unset), which NewsBot reads as unset too.
    /// </summary>
    [Fact]
    public void The_example_settings_file_binds_every_option_to_its_default()
    {
        using var withExample = NewsBotHost.Build(new HostSettings(ExampleSettingsFile), FrontEnds.Add);
        using var without = NewsBotHost.Build(new HostSettings(null), FrontEnds.Add);

        foreach (var optionsType in RegisteredSections().Values)
            Assert.Equal(Bound(without, optionsType), Bound(withExample, optionsType));
    }

    private static IReadOnlyDictionary<string, Type> RegisteredSections()
    {
        IServiceCollection? services = null;
        NewsBotHost.Build(new HostSettings(null), b =>
        {
            FrontEnds.Add(b);
            services = b.Services;
        }).Dispose();

        return ConfigurationKeyCheck.BoundSections(services!);
    }

    /// <summary>The bound options as JSON, an empty string as null, headed by their type's name so that a difference names the class.</summary>
    private static string Bound(Microsoft.Extensions.Hosting.IHost host, Type optionsType)
    {
        var options = host.Services.GetRequiredService(typeof(IOptions<>).MakeGenericType(optionsType));
        var value = options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options);
        return $"{optionsType.Name} {JsonSerializer.Serialize(value, optionsType).Replace("\"\"", "null", StringComparison.Ordinal)}";
    }

    [Theory]
    [InlineData(null, null, 6)]
    [InlineData("12", null, 6)]
    [InlineData("12", "20", 20)]
    [InlineData(null, "2", 2)]
    public void With_the_reader_on_its_candidate_count_sizes_retrieval(string? retrievalCandidates, string? readerCandidates, int expected)
    {
        var overrides = new Dictionary<string, string?> { ["Retrieval:Candidates"] = retrievalCandidates, ["Answering:Reader:Candidates"] = readerCandidates };
        using var host = NewsBotHost.Build(new HostSettings(null, overrides.Where(o => o.Value is not null).ToDictionary()));

        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<NewsBot.Retrieval.RetrievalOptions>>().Value.Candidates);
    }

    [Fact]
    public void With_the_reader_off_retrieval_keeps_its_own_candidate_count()
    {
        var overrides = new Dictionary<string, string?> { ["Answering:Reader:Enabled"] = "false", ["Retrieval:Candidates"] = "12" };
        using var host = NewsBotHost.Build(new HostSettings(null, overrides));

        Assert.Equal(12, host.Services.GetRequiredService<IOptions<NewsBot.Retrieval.RetrievalOptions>>().Value.Candidates);
    }

    [Fact]
    public void A_secret_value_is_never_repeated()
    {
        var failures = Failures(("Discord:Tokn", "s3cret-token-value"));
        Assert.DoesNotContain(failures, f => f.Contains("s3cret", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> OutOfRangeNumbers()
    {
        var data = new TheoryData<string, string>();
        IServiceCollection? services = null;
        using (NewsBotHost.Build(new HostSettings(null, Baseline), b =>
        {
            FrontEnds.Add(b);
            services = b.Services;
        }))
        {
        }

        foreach (var (section, type) in ConfigurationKeyCheck.BoundSections(services!))
        {
            foreach (var (key, numberType) in NumericKeys(section, type, 0))
            {
                data.Add(key, "-1000000000");
                if (numberType == typeof(double) || numberType == typeof(float))
                {
                    data.Add(key, "NaN");
                    data.Add(key, "1e12");
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OutOfRangeNumbers))]
    public void Every_numeric_option_has_a_range(string key, string value)
    {
        var failures = Failures((key, value));
        var parent = key[..key.LastIndexOf(':')];
        var name = key[(key.LastIndexOf(':') + 1)..];
        Assert.Contains(failures, f => f.Contains(parent, StringComparison.OrdinalIgnoreCase) || f.Contains($"'{name}'", StringComparison.Ordinal));
    }

    private static IEnumerable<(string Key, Type Type)> NumericKeys(string prefix, Type type, int depth)
    {
        if (depth > 5)
            yield break;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var key = $"{prefix}:{property.Name}";
            if (propertyType.IsPrimitive && propertyType != typeof(bool) && propertyType != typeof(char) && property.SetMethod is { IsPublic: true })
                yield return (key, propertyType);
            else if (propertyType.IsClass && propertyType != typeof(string) && propertyType != typeof(Uri)
                && !TypeDescriptor.GetConverter(propertyType).CanConvertFrom(typeof(string)) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(propertyType))
            {
                foreach (var nested in NumericKeys(key, propertyType, depth + 1))
                    yield return nested;
            }
        }
    }
}
