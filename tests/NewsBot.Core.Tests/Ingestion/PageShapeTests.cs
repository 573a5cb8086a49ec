using NewsBot.Sources;

namespace NewsBot.Core.Tests.Ingestion;

/// <summary>The cleaner on page shapes other than the seed: its rules must be general.</summary>
public class PageShapeTests
{
    private const string WireStory = """
        Skip to main content
        World
        Menu

        Senate passes $3.5 billion aid package after all-night session

        By Jane Doe, Associated Press
        Published 10:32 AM EST, March 3, 2024

        We use cookies to improve your experience on our site. By continuing to browse you agree to our use of cookies.
        Accept all

        WASHINGTON (AP) — The U.S. Senate on Tuesday passed a $3.5 billion aid package after an all-night session, sending the measure to the House.

        Share this article

        “We got it done,” said Sen. Maria Lopez, D-N.M., who led the negotiations. “Now the House has to act.”

        Photo: Senators leave the chamber early Tuesday. (AP Photo/J. Scott Applewhite)

        The package includes money for disaster relief in 12 states
        and for the repair of roads and bridges damaged by last year’s
        floods, according to a summary released by the committee.

        Advertisement

        Customers’ emails and passwords were never shared, a spokesperson for the contractor said.

        Reporting by Jane Doe in Washington and John Roe in London; Editing by Mark Smith

        Sign up for our Morning Briefing newsletter
        Follow us on Twitter
        Privacy Policy | Terms of Use
        © 2024 The Associated Press. All rights reserved.
        """;

    private const string MarkdownStory = """
        ---
        layout: post
        date: 2024-05-02
        ---

        # Factory reopens after *three-year* shutdown

        _Hundreds of jobs return to the valley as production restarts_

        **By Sam Lee**

        ![Workers at the plant](images/plant.jpg)
        *Workers at the plant in 2019. (Reuters)*

        The plant, which makes parts for [electric buses](https://example.com/buses), reopened on
        Monday after a three-year shutdown. Dr. Ana Ruiz, the plant manager, said 400 workers
        had been hired so far.

        ## What changes

        - A new assembly line for batteries.
        - Training for 120 apprentices.

        Read more: [Valley unemployment hits record low](https://example.com/jobs)

        The company expects to reach full production by Jan. 15 next year, it said in a statement.

        ---

        *Enjoyed this story?* [Subscribe](https://example.com/subscribe) to our weekly newsletter.
        Share on Facebook
        """;

    private const string HtmlStory = """
        <!DOCTYPE html>
        <html lang="en">
        <head><title>Harbour bridge closed after storm | Coastal Herald</title>
        <script>window.dataLayer = [];</script><style>.x{color:red}</style></head>
        <body>
        <header class="site-header"><a href="/">Coastal Herald</a><nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
        <a class="subscribe" href="/subscribe">Subscribe</a></header>
        <main>
        <article>
          <header>
            <p class="kicker"><a href="/news/local">Local news</a></p>
            <h1>Harbour bridge closed after storm</h1>
            <p class="standfirst">Engineers are inspecting the 90-year-old span for damage.</p>
            <p class="byline">By <a href="/authors/maria">Maria Garcia</a></p>
            <time datetime="2024-02-01">February 1, 2024</time>
          </header>
          <figure><img src="bridge.jpg" alt="The bridge"><figcaption>Waves break over the harbour bridge on Wednesday night. (Getty Images)</figcaption></figure>
          <div class="share-tools"><button>Share</button><a href="#">Copy link</a></div>
          <p>The harbour bridge was closed to traffic on Thursday after a storm sent waves&nbsp;over its deck, the city&rsquo;s transport office said.</p>
          <p>&ldquo;We will not reopen it until we are sure it is safe,&rdquo; said <em>Tom Baker</em>, the city engineer. Inspections could take until Feb. 10.</p>
          <div class="newsletter-signup"><h3>Get our morning newsletter</h3><form><input type="email" placeholder="Your email"><button>Sign up</button></form></div>
          <aside><h2>Related stories</h2><ul><li><a href="/a">Storm hits coast</a></li><li><a href="/b">Ferry services cancelled</a></li></ul></aside>
          <p>Commuters were advised to use the ferry or the ring road. Buses will run every 10 minutes.</p>
          <p>Reporting by Ana Silva</p>
        </article>
        </main>
        <footer><p>&copy; 2024 Coastal Herald. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
        <script>trackPageView();</script>
        </body></html>
        """;

    [Fact]
    public void Wire_story_text_keeps_the_story_and_drops_the_page()
    {
        var article = IngestionTestFiles.Read("wire.txt", WireStory);
        IngestionTestFiles.AssertWellFormed(article);

        Assert.Equal("Senate passes $3.5 billion aid package after all-night session", article.Title);
        Assert.Equal("By Jane Doe, Associated Press", article.Byline);
        Assert.Null(article.Dek);
        Assert.Equal(ParagraphKind.Byline, article.Paragraphs.Single(p => article.TextOf(p).StartsWith("Published", StringComparison.Ordinal)).Kind);
        Assert.Equal(["Jane Doe", "John Roe"], article.Contributors);
        Assert.Equal(ParagraphKind.Contributor, article.Paragraphs[^1].Kind);

        var caption = Assert.Single(article.OfKind(ParagraphKind.Caption));
        Assert.StartsWith("Photo: Senators leave", article.TextOf(caption), StringComparison.Ordinal);

        foreach (var furniture in new[] { "Skip to", "Menu", "cookies", "Accept all", "Share this", "Advertisement", "newsletter", "Follow us", "Privacy", "rights reserved" })
            Assert.DoesNotContain(furniture, article.Text, StringComparison.Ordinal);

        // The hard-wrapped paragraph is one paragraph, joined by single spaces.
        Assert.Contains(article.Sentences, s => s.Text == "The package includes money for disaster relief in 12 states and for the repair of roads and bridges damaged by last year’s floods, according to a summary released by the committee.");
        // Reporting that merely mentions e-mails is not furniture.
        Assert.Contains(article.Sentences, s => s.Text.StartsWith("Customers’ emails and passwords were never shared", StringComparison.Ordinal));
        Assert.Contains(article.Sentences, s => s.Text.StartsWith("WASHINGTON (AP) — The U.S. Senate on Tuesday passed a $3.5 billion", StringComparison.Ordinal));
        Assert.Contains(article.Sentences, s => s.Text == "“We got it done,” said Sen. Maria Lopez, D-N.M., who led the negotiations.");
        Assert.Contains(article.Sentences, s => s.Text == "“Now the House has to act.”");
    }

    [Fact]
    public void Markdown_markup_is_removed_and_words_kept()
    {
        var article = IngestionTestFiles.Read("factory.md", MarkdownStory);
        IngestionTestFiles.AssertWellFormed(article);

        Assert.Equal("Factory reopens after three-year shutdown", article.Title);
        Assert.Equal("Hundreds of jobs return to the valley as production restarts", article.Dek);
        Assert.Equal("By Sam Lee", article.Byline);
        var caption = Assert.Single(article.OfKind(ParagraphKind.Caption));
        Assert.Equal("Workers at the plant in 2019. (Reuters)", article.TextOf(caption));

        foreach (var markup in new[] { "*", "#", "](", "https://", "_Hundreds", "layout:", "Read more", "Subscribe", "newsletter", "Share on" })
            Assert.DoesNotContain(markup, article.Text, StringComparison.Ordinal);

        Assert.Contains(article.Sentences, s => s.Text == "The plant, which makes parts for electric buses, reopened on Monday after a three-year shutdown.");
        Assert.Contains(article.Sentences, s => s.Text == "Dr. Ana Ruiz, the plant manager, said 400 workers had been hired so far.");
        Assert.Contains(article.Sentences, s => s.Text == "The company expects to reach full production by Jan. 15 next year, it said in a statement.");
        Assert.Contains(article.Paragraphs, p => p.Kind == ParagraphKind.Body && article.TextOf(p) == "What changes");
        Assert.Contains(article.Paragraphs, p => p.Kind == ParagraphKind.Body && article.TextOf(p) == "A new assembly line for batteries.");
    }

    [Fact]
    public void Html_article_is_extracted_from_the_page()
    {
        var article = IngestionTestFiles.Read("bridge.html", HtmlStory);
        IngestionTestFiles.AssertWellFormed(article);

        Assert.Equal("Harbour bridge closed after storm", article.Title);
        Assert.Equal("Engineers are inspecting the 90-year-old span for damage.", article.Dek);
        Assert.Equal("By Maria Garcia", article.Byline);
        Assert.Equal(["Ana Silva"], article.Contributors);
        var caption = Assert.Single(article.OfKind(ParagraphKind.Caption));
        Assert.Equal("Waves break over the harbour bridge on Wednesday night. (Getty Images)", article.TextOf(caption));

        foreach (var furniture in new[] { "Coastal Herald", "Local news", "Sport", "Subscribe", "Share", "Copy link", "newsletter", "Sign up", "Related", "Storm hits coast", "dataLayer", "trackPageView", "color:red", "Privacy", "rights reserved" })
            Assert.DoesNotContain(furniture, article.Text, StringComparison.Ordinal);

        Assert.Contains(article.Sentences, s => s.Text == "The harbour bridge was closed to traffic on Thursday after a storm sent waves over its deck, the city’s transport office said.");
        Assert.Contains(article.Sentences, s => s.Text == "“We will not reopen it until we are sure it is safe,” said Tom Baker, the city engineer.");
        Assert.Contains(article.Sentences, s => s.Text == "Inspections could take until Feb. 10.");
        Assert.Contains(article.Sentences, s => s.Text == "Buses will run every 10 minutes.");
        Assert.Equal(ParagraphKind.Contributor, article.Paragraphs[^1].Kind);
    }

    [Fact]
    public void Html_saved_with_a_text_extension_is_read_as_html()
    {
        var article = IngestionTestFiles.Read("saved-page.txt", HtmlStory);
        Assert.Equal("Harbour bridge closed after storm", article.Title);
        Assert.DoesNotContain("<p", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_without_semantic_markup_uses_the_paragraph_block_and_page_title()
    {
        const string Page = """
            <html><head><title>Council approves new park - Town Gazette</title></head><body>
            <div id="top"><a href="/">Home</a> <a href="/login">Log in</a></div>
            <div class="content">
              <p>The town council on Monday approved plans for a new park on the site of the old rail yard, ending a debate that began in 2019.</p>
              <p>Construction is due to start in the spring and cost about $2 million, officials said.</p>
            </div>
            <div class="bottom"><p>Sign up for our newsletter to get the latest news in your inbox.</p></div>
            </body></html>
            """;
        var article = IngestionTestFiles.Read("park.htm", Page);
        IngestionTestFiles.AssertWellFormed(article);
        Assert.Equal("Council approves new park", article.Title);
        Assert.Equal(2, article.OfKind(ParagraphKind.Body).Count());
        Assert.DoesNotContain("Log in", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("newsletter", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_story_in_wrapped_divs_beats_teaser_cards()
    {
        const string Page = """
            <html><body>
            <div class="page">
              <div class="story">
                <h1>Museum returns stolen painting</h1>
                <div class="para"><p>The city museum on Friday returned a painting stolen from a private collection in 1978, ending a search that lasted more than four decades.</p></div>
                <div class="para"><p>The work was identified last year when it appeared at an auction in Vienna, officials said.</p></div>
                <div class="para"><p>Its owners’ grandchildren attended the ceremony.</p></div>
              </div>
              <section class="more">
                <article><h3>Other news</h3><p>A short teaser for another story.</p></article>
                <article><h3>More news</h3><p>Another teaser.</p></article>
              </section>
            </div>
            </body></html>
            """;
        var article = IngestionTestFiles.Read("museum.html", Page);
        IngestionTestFiles.AssertWellFormed(article);
        Assert.Equal("Museum returns stolen painting", article.Title);
        Assert.Equal(3, article.OfKind(ParagraphKind.Body).Count());
        Assert.DoesNotContain("teaser", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_appeal_footer_is_cut()
    {
        const string Page = """
            Museum returns stolen painting

            By TOI staff

            The city museum on Friday returned a painting stolen from a private collection in 1978.

            Agencies contributed to this report.

            You're a dedicated reader
            That’s why we started the newsroom ten years ago — to provide discerning readers like you with must-read coverage.
            We haven’t put up a paywall. For as little as $6 a month you can help support our quality journalism while enjoying the site ad-free.
            Thank you,
            Join Our Community
            Already a member? Sign in to stop seeing this
            """;
        var article = IngestionTestFiles.Read("appeal.txt", Page);
        IngestionTestFiles.AssertWellFormed(article);
        Assert.Equal("By TOI staff", article.Byline);
        Assert.Equal(["Agencies"], article.Contributors);
        Assert.EndsWith("Agencies contributed to this report.", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Story_container_with_a_furniture_like_class_is_kept()
    {
        const string Page = """
            <html><body class="no-js has-sidebar">
            <div class="content has-ads">
              <h1>Museum returns stolen painting</h1>
              <p>The city museum on Friday returned a painting stolen from a private collection in 1978, ending a long search.</p>
              <p>The work was identified last year when it appeared at an auction in Vienna, officials said.</p>
              <div class="ad-slot"><p>Advertisement</p></div>
            </div>
            </body></html>
            """;
        var article = IngestionTestFiles.Read("museum.html", Page);
        IngestionTestFiles.AssertWellFormed(article);
        Assert.Equal("Museum returns stolen painting", article.Title);
        Assert.Equal(2, article.OfKind(ParagraphKind.Body).Count());
    }

    [Theory]
    [InlineData("# Title of the story", "Title of the story")]
    [InlineData("#MeToo movement reaches parliament", "#MeToo movement reaches parliament")]
    public void Heading_marks_are_stripped_from_a_text_title(string firstLine, string title) =>
        Assert.Equal(title, IngestionTestFiles.Read("t.txt", $"{firstLine}\n\nThe story is told here in one sentence.\n").Title);

    [Fact]
    public void Plain_story_without_dek_or_footer_is_all_body()
    {
        const string Story = """
            Rain delays harvest across the region

            Farmers in the north said on Friday that weeks of rain had delayed the wheat harvest by at least a month.

            “It has not been this wet since 1998,” one grower said. Prices rose 2.5% on the news.

            The weather service expects drier conditions next week.
            """;
        var article = IngestionTestFiles.Read("rain.txt", Story);
        IngestionTestFiles.AssertWellFormed(article);
        Assert.Null(article.Dek);
        Assert.Null(article.Byline);
        Assert.Empty(article.Contributors);
        Assert.Equal(4, article.Paragraphs.Count);
        Assert.All(article.Paragraphs.Skip(1), p => Assert.Equal(ParagraphKind.Body, p.Kind));
        Assert.Equal("The weather service expects drier conditions next week.", article.Sentences[^1].Text);
    }

    [Theory]
    [InlineData("Jacob Magid and Reuters contributed to this report.", new[] { "Jacob Magid", "Reuters" })]
    [InlineData("The Associated Press contributed to this report.", new[] { "The Associated Press" })]
    [InlineData("Additional reporting by Ana Silva, Tom Baker and Li Wei; Editing by Mark Smith", new[] { "Ana Silva", "Tom Baker", "Li Wei" })]
    [InlineData("(Reporting by Jane Doe in Paris; Writing by John Roe; Editing by Mark Smith)", new[] { "Jane Doe", "John Roe" })]
    public void Contributor_lines_name_the_contributors(string line, string[] names)
    {
        var article = IngestionTestFiles.Read("credits.txt", $"Headline about the story\n\nThe story itself is told here in one full sentence.\n\n{line}\n");
        Assert.Equal(names, article.Contributors);
        Assert.Equal(ParagraphKind.Contributor, article.Paragraphs[^1].Kind);
        Assert.DoesNotContain(article.Sentences, s => s.Paragraph == article.Paragraphs[^1].Number);
    }

    [Theory]
    [InlineData("The minister at a meeting in Paris. (Miriam Alster/Flash90)", true)]
    [InlineData("A view of the city at dusk (Courtesy)", true)]
    [InlineData("Rescue workers at the scene on Sunday (Reuters)", true)]
    [InlineData("Image: The new logo unveiled on Monday", true)]
    [InlineData("Protesters outside parliament on Tuesday. Photograph: Jane Doe/AP", true)]
    [InlineData("The agency said it would cut 400 jobs (about 5% of its workforce).", false)]
    [InlineData("The group is known as the Organization of Petroleum Exporting Countries (OPEC)", false)]
    public void Captions_are_recognised_by_their_credit(string line, bool caption)
    {
        var article = IngestionTestFiles.Read("captions.txt", $"Headline about the story\n\nThe story itself is told here in one full sentence.\n\n{line}\n\nAnother full sentence of the story closes it here.\n");
        var paragraph = article.Paragraphs.Single(p => article.TextOf(p) == line);
        Assert.Equal(caption, paragraph.Kind == ParagraphKind.Caption);
    }
}
