using NewsBot.Answering;
using NewsBot.Ingestion;
using NewsBot.Tests.Support;

namespace NewsBot.Tests;

public class ConcurrentReloadTests
{
    private static string Bakery(int year) =>
        $"Riverside bakery wins bread prize\n\nThe Riverside bakery won the national bread prize in {year}, beating two hundred rivals.\n\nIts owners said the sourdough recipe came from a grandmother in Lyon.\n";

    [Fact]
    public async Task Questions_asked_during_reloads_are_all_answered_verbatim()
    {
        using var workspace = new Workspace();
        workspace.Write("bakery.txt", Bakery(2000));
        using var host = workspace.BuildHost();
        var engine = host.Engine();
        await engine.ReloadAsync();
        var seedText = host.Snapshot().Find(Workspace.SeedId)!.Text;
        var bakeryVersions = Enumerable.Range(2000, 7).Select(Bakery).ToList();

        string[] questions = ["Why did the PMO decline the meeting?", "Which bakery won the national bread prize?", "Who won the 2018 World Cup?"];
        var asks = Enumerable.Range(0, 30)
            .Select(i => Task.Run(() => engine.AskAsync(new Question(questions[i % questions.Length]))))
            .ToList();
        var reloads = new List<Task<ReloadReport>>();
        for (var round = 1; round <= 6; round++)
        {
            workspace.Write("bakery.txt", Bakery(2000 + round));
            if (round % 3 == 0)
                workspace.Write($"extra{round}.txt", Bakery(1990 + round));
            reloads.Add(engine.ReloadAsync());
            await Task.Delay(20);
        }

        var answers = await Task.WhenAll(asks);
        await Task.WhenAll(reloads);

        Assert.All(answers.Where(a => a.Question == questions[0]), a => Assert.True(a.Answered));
        foreach (var citation in answers.SelectMany(a => a.Citations))
        {
            if (citation.SourceId == Workspace.SeedId)
                Assert.Equal(seedText[citation.Start..citation.End], citation.Quote);
            else
                Assert.Contains(bakeryVersions, v => v.Contains(citation.Quote, StringComparison.Ordinal));
        }

        // After the dust settles the index reflects the last state of the folder.
        var final = await engine.ReloadAsync();
        Assert.False(final.Changed);
        Assert.Equal(4, engine.ListSources().Count);
        var latest = await engine.AskAsync(new Question("In which year did the Riverside bakery win the national bread prize?", "bakery"));
        Assert.Contains("2006", latest.Citations[0].Quote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_burst_of_reload_requests_costs_at_most_two_reloads()
    {
        using var workspace = new Workspace();
        using var host = workspace.BuildHost();
        var engine = host.Engine();

        var requests = Enumerable.Range(0, 10).Select(_ => engine.ReloadAsync()).ToList();
        var reports = await Task.WhenAll(requests);

        // Callers that joined the same reload share its report.
        var runs = reports.Distinct(ReferenceEqualityComparer.Instance).Cast<ReloadReport>().ToList();
        Assert.InRange(runs.Count, 1, 2);
        Assert.Equal(1, runs.Sum(r => r.Added));
        Assert.Single(engine.ListSources());
    }
}
