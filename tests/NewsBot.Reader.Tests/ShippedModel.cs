using Microsoft.Extensions.Options;

namespace NewsBot.Reader.Tests;

/// <summary>The model shipped in models/reader/, copied next to the tests by the build, as the program finds it.</summary>
internal static class ShippedModel
{
    public static ReaderOptions Options { get; } = new();

    public static ReaderTokenizer Tokenizer { get; } = CreateTokenizer();

    public static ReaderModelSettings Settings { get; } = ReaderModelSettings.Read(Options.SettingsFile);

    public static OnnxAnswerReader Reader { get; } = new(Microsoft.Extensions.Options.Options.Create(new ReaderOptions { Threads = 2 }));

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static ReaderTokenizer CreateTokenizer()
    {
        using var vocabulary = File.OpenRead(Options.VocabularyFile);
        return ReaderTokenizer.Create(vocabulary);
    }
}
