using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using NewsBot.Discord.Tests.Emulator;

namespace NewsBot.Discord.Tests;

/// <summary>The emulator's own failures surface as the failing test's message, never as a wait that times out.</summary>
public sealed class EmulatorSelfTests
{
    [Fact]
    public async Task An_exception_inside_the_emulator_fails_the_wait_at_once_with_its_message()
    {
        await using var emulator = await DiscordEmulator.StartAsync();
        using var http = new HttpClient();
        using var body = new StringContent("{ not json", Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        http.DefaultRequestHeaders.UserAgent.ParseAdd("DiscordBot (https://example.test, 1.0)");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", DiscordEmulator.Token);
        using var response = await http.PostAsync(new Uri(emulator.ApiBaseUrl + "/channels/" + DiscordEmulator.ChannelId + "/messages"), body);

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => emulator.WaitUntilAsync(() => false, "something that never happens"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.StartsWith("emulator failed on POST channels/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_fixture_is_named_in_one_line()
    {
        var error = Assert.Throws<FileNotFoundException>(() => Fixtures.Load("no_such_fixture.json"));
        Assert.Contains("tests/NewsBot.Discord.Tests/Fixtures/no_such_fixture.json", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
