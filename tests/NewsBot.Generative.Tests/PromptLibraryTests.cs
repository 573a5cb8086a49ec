using NewsBot.Generative.Prompts;
using NewsBot.Generative.Tests.Support;
using NewsBot.Testing.Repository;

namespace NewsBot.Generative.Tests;

public sealed class PromptLibraryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("newsbot-prompts-").FullName;

    public PromptLibraryTests()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "prompts"), "*.yaml"))
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_shipped_prompts_load_from_the_repository_and_from_the_program_folder()
    {
        var library = PromptLibrary.Load(_folder);
        Assert.Equal("answer", library.Answer.Name);
        Assert.Equal("summary", library.Summary.Name);
        Assert.Equal("condense", library.Condense.Name);

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "prompts"), PromptLibrary.ResolveDirectory("prompts"));
        PromptLibrary.Load("prompts");
    }

    [Fact]
    public void Broken_yaml_names_the_file_and_the_line()
    {
        File.WriteAllText(Path.Combine(_folder, "summary.yaml"), "name: summary\ntemplate: |\n  hello {{$title}}\n bad: [unclosed\n");

        var error = Assert.Throws<PromptTemplateException>(() => PromptLibrary.Load(_folder));

        AssertOneLineNaming("summary.yaml", error);
        Assert.Contains("line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_names_the_file()
    {
        File.Delete(Path.Combine(_folder, "condense.yaml"));

        var error = Assert.Throws<PromptTemplateException>(() => PromptLibrary.Load(_folder));

        AssertOneLineNaming("condense.yaml", error);
    }

    [Fact]
    public void Template_that_never_uses_the_question_is_rejected()
    {
        Rewrite("answer.yaml", t => t.Replace("Question: {{$question}}", "Question: (none)", StringComparison.Ordinal));

        var error = Assert.Throws<PromptTemplateException>(() => PromptLibrary.Load(_folder));

        AssertOneLineNaming("answer.yaml", error);
        Assert.Contains("{{$question}}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_that_never_includes_the_passages_is_rejected()
    {
        Rewrite("answer.yaml", t => t.Replace("{{articles.search query=$question source=$source}}", "(no passages)", StringComparison.Ordinal));

        var error = Assert.Throws<PromptTemplateException>(() => PromptLibrary.Load(_folder));

        AssertOneLineNaming("answer.yaml", error);
        Assert.Contains("passages", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_calling_an_unknown_function_is_rejected()
    {
        Rewrite("answer.yaml", t => t.Replace("articles.search", "articles.serch", StringComparison.Ordinal));

        var error = Assert.Throws<PromptTemplateException>(() => PromptLibrary.Load(_folder));

        AssertOneLineNaming("answer.yaml", error);
        Assert.Contains("does not render", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_with_an_invalid_block_is_rejected()
    {
        Rewrite("condense.yaml", t => t.Replace("{{$history}}", "{{$history 'x' 'y'}}", StringComparison.Ordinal));

        var error = Assert.Throws<PromptTemplateException>(() => PromptLibrary.Load(_folder));

        AssertOneLineNaming("condense.yaml", error);
    }

    [Fact]
    public void Unsupported_template_format_is_rejected()
    {
        Rewrite("summary.yaml", t => t.Replace("template_format: semantic-kernel", "template_format: handlebars", StringComparison.Ordinal));

        var error = Assert.Throws<PromptTemplateException>(() => PromptLibrary.Load(_folder));

        AssertOneLineNaming("summary.yaml", error);
        Assert.Contains("handlebars", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_without_a_template_is_rejected()
    {
        File.WriteAllText(Path.Combine(_folder, "answer.yaml"), "name: answer\ndescription: nothing here\n");

        var error = Assert.Throws<PromptTemplateException>(() => PromptLibrary.Load(_folder));

        AssertOneLineNaming("answer.yaml", error);
    }

    private void Rewrite(string file, Func<string, string> change)
    {
        var path = Path.Combine(_folder, file);
        var before = File.ReadAllText(path);
        var after = change(before);
        Assert.NotEqual(before, after);
        File.WriteAllText(path, after);
    }

    private static void AssertOneLineNaming(string file, PromptTemplateException error)
    {
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains(file + ":", error.Message, StringComparison.Ordinal);
    }
}
