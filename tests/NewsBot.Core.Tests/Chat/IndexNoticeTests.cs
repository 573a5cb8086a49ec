using Microsoft.Extensions.Time.Testing;
using NewsBot.Chat;
using NewsBot.Ingestion;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Chat;

public class IndexNoticeTests
{
    private static readonly DateTimeOffset Loaded = new(2026, 3, 1, 7, 58, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Outage = new(2026, 3, 1, 8, 3, 30, TimeSpan.FromHours(2));

    [Fact]
    public void An_index_that_follows_its_store_has_no_notice()
    {
        Assert.Null(IndexNotice.Describe(new IndexFreshness(Loaded, Loaded, null, null)));
    }

    [Theory]
    [InlineData(IndexProblemKind.Unreachable, "the index store cannot be reached")]
    [InlineData(IndexProblemKind.Failing, "the index store is failing")]
    [InlineData(IndexProblemKind.Damaged, "the index store is damaged")]
    [InlineData(IndexProblemKind.Repairing, "the index is being rebuilt")]
    [InlineData(IndexProblemKind.IngestFailed, "the last reload of the sources failed")]
    public void Each_problem_says_what_keeps_the_list_from_being_current_since_when_and_what_is_served(IndexProblemKind kind, string what)
    {
        var problem = new IndexProblem(kind, "cannot reach PostgreSQL at db.internal:5432 (set Storage:ConnectionString)", Outage);
        var store = kind == IndexProblemKind.IngestFailed ? null : problem;
        var ingest = kind == IndexProblemKind.IngestFailed ? problem : null;

        var notice = IndexNotice.Describe(new IndexFreshness(Loaded, Loaded, store, ingest));

        Assert.NotNull(notice);
        Assert.StartsWith("This list may be out of date: " + what, notice, StringComparison.Ordinal);
        // In UTC whatever the problem's offset: members of a channel live in many time zones.
        Assert.Contains("(since 2026-03-01 06:03 UTC)", notice, StringComparison.Ordinal);
        Assert.EndsWith("answers come from the articles loaded 2026-03-01 07:58 UTC.", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("db.internal", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("ConnectionString", notice, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', notice);
    }

    [Fact]
    public void A_process_that_has_loaded_nothing_says_so()
    {
        var problem = new IndexProblem(IndexProblemKind.Unreachable, "down", Outage);

        Assert.EndsWith("; no articles are loaded yet.", IndexNotice.Describe(new IndexFreshness(null, null, problem, null)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_engine_gives_the_notice_of_its_index_health_and_drops_it_once_the_store_is_followed_again()
    {
        var time = new FakeTimeProvider(Loaded);
        var health = new IndexHealth(time);
        var engine = WiredEngine(Article("pmo", "Netanyahu declines Kaspersky meeting", ["The PMO declined the meeting."]), health: health);
        health.Loaded();
        Assert.Null(engine.IndexNotice());

        time.Advance(TimeSpan.FromMinutes(5));
        health.StoreFailed(new IndexStoreUnavailableException("cannot reach PostgreSQL at 10.0.0.7:5432", isConfigurationError: false));

        Assert.Equal("This list may be out of date: the index store cannot be reached (since 2026-03-01 08:03 UTC); answers come from the articles loaded 2026-03-01 07:58 UTC.",
            engine.IndexNotice());

        health.Confirmed();
        Assert.Null(engine.IndexNotice());
    }
}
