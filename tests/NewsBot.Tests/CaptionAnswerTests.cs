using NewsBot.Answering;
using NewsBot.Sources;
using NewsBot.Tests.Support;

namespace NewsBot.Tests;

/// <summary>A web page whose figure caption alone states a fact, read by the real cleaner, index and reader.</summary>
public sealed class CaptionAnswerTests : IAsyncLifetime
{
    private const string Page = """
        <!DOCTYPE html>
        <html lang="en"><head><title>Harbour bridge closed after storm | Coastal Herald</title></head>
        <body><main><article>
          <h1>Harbour bridge closed after storm</h1>
          <p class="byline">By Maria Garcia</p>
          <figure><img src="bridge.jpg" alt="The bridge"><figcaption>Waves break over the harbour bridge on Wednesday night. (Getty Images)</figcaption></figure>
          <p>The harbour bridge was closed to traffic on Thursday after a storm sent waves over its deck, the city&rsquo;s transport office said.</p>
          <p>&ldquo;We will not reopen it until we are sure it is safe,&rdquo; said Tom Baker, the city engineer.</p>
          <p>Commuters were advised to use the ferry or the ring road.</p>
        </article></main></body></html>
        """;

    private readonly Workspace _workspace = new(withSeed: false);
    private Microsoft.Extensions.Hosting.IHost _host = null!;

    public async Task InitializeAsync()
    {
        _workspace.Write("bridge.html", Page);
        _host = _workspace.BuildHost();
        await _host.IngestAsync();
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        _workspace.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_fact_only_the_figure_caption_states_is_quoted_from_it_as_a_caption_without_the_credit()
    {
        var answer = await _host.Engine().AskAsync(new Question("When did waves break over the harbour bridge?"));

        Assert.True(answer.Answered);
        var quote = Assert.Single(answer.Citations);
        Assert.Equal("Waves break over the harbour bridge on Wednesday night.", quote.Quote);
        var article = _host.Snapshot().Find(quote.SourceId)!;
        Assert.Equal(quote.Quote, article.Slice(quote.Start, quote.End));
        Assert.Equal(ParagraphKind.Caption, article.Paragraphs.Single(p => p.Number == quote.Paragraph).Kind);
        Assert.Contains("A photo caption says: “Waves break", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_prose_answers_first_and_summaries_never_quote_the_caption()
    {
        var engine = _host.Engine();

        var prose = await engine.AskAsync(new Question("Why was the harbour bridge closed?"));
        var summary = await engine.SummarizeAsync(new Summaries.SummaryRequest(Length: Summaries.SummaryLength.Long));

        Assert.True(prose.Answered);
        Assert.DoesNotContain("caption", prose.Text, StringComparison.Ordinal);
        Assert.Contains("closed to traffic on Thursday", prose.Citations[0].Quote, StringComparison.Ordinal);
        Assert.DoesNotContain(summary.Citations, c => c.Quote.Contains("Waves break", StringComparison.Ordinal));
    }
}
