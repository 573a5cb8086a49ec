using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Chat;
using NewsBot.Discord.Interactions;
using NewsBot.Discord.Tests.Emulator;
using NSubstitute;

namespace NewsBot.Discord.Tests;

public sealed class InteractionsEndpointTests
{
    private static readonly JsonObject Vectors = Fixtures.Load("http_interaction_signature_vectors.json");

    public static TheoryData<string> VectorNames() => [.. Vectors["vectors"]!.AsArray().Select(v => (string)v!["name"]!)];

    private static JsonObject Vector(string name) => Vectors["vectors"]!.AsArray().Single(v => (string)v!["name"]! == name)!.AsObject();

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Signature_vectors_verify_as_documented(string name)
    {
        var vector = Vector(name);
        var verifier = new SignatureVerifier((string)Vectors["public_key_hex"]!);

        var valid = verifier.IsValid((string)vector["timestamp"]!, (string)vector["signature_hex"]!, Encoding.UTF8.GetBytes((string)vector["body"]!));

        Assert.Equal(((string)vector["expect"]!).StartsWith("valid", StringComparison.Ordinal), valid);
    }

    [Fact]
    public async Task The_endpoint_answers_ping_with_pong_rejects_bad_signatures_with_401_and_defers_commands()
    {
        await using var bot = await BotHarness.StartAsync(WithEndpoint);
        var endpoint = bot.Host.Services.GetRequiredService<InteractionsEndpoint>().Address!;
        using var http = new HttpClient();

        foreach (var vector in Vectors["vectors"]!.AsArray().Select(v => v!.AsObject()))
        {
            using var response = await SignedPostAsync(http, endpoint, vector);
            var body = await response.Content.ReadAsStringAsync();

            switch ((string)vector["name"]!)
            {
                case "valid PING":
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
                    Assert.Equal("""{"type":1}""", body);
                    break;
                case "valid slash command":
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    Assert.Equal("""{"type":5}""", body);
                    break;
                default:
                    Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                    break;
            }
        }

        // The deferred /ask from the signed vector is completed through the webhook route.
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.OriginalEdits.IsEmpty, "the edited response");
        Assert.Contains(SeedArticle.ScheduleCitation().Quote, CreatedMessage.WebhookText(bot.Emulator.OriginalEdits.Single().Body), StringComparison.Ordinal);
        Assert.Empty(bot.Emulator.Callbacks);
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task An_interaction_over_HTTP_is_answered_without_a_claim_since_Discord_posts_it_to_one_URL_once()
    {
        // Claims that would say every event is taken: the endpoint must not ask them (nor spend its 3 s on them).
        var claims = Substitute.For<IEventClaims>();
        claims.TryClaimAsync(Arg.Any<string>(), Arg.Any<string?>(), Arg.Any<CancellationToken>()).Returns((EventClaim?)null);
        claims.TakeOverAbandonedAsync(Arg.Any<string>(), Arg.Any<int>(), Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns((IReadOnlyList<AbandonedEvent>)[]);
        await using var bot = await BotHarness.StartAsync(WithEndpoint, services: s => s.AddSingleton(claims));
        var vector = Vector("valid slash command");
        using var http = new HttpClient();

        using var response = await SignedPostAsync(http, bot.Host.Services.GetRequiredService<InteractionsEndpoint>().Address!, vector);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"type":5}""", await response.Content.ReadAsStringAsync());
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.OriginalEdits.IsEmpty, "the edited response");
        // The gateway session looks for abandoned questions, which is no claim.
        Assert.DoesNotContain(claims.ReceivedCalls(), c => c.GetMethodInfo().Name == nameof(IEventClaims.TryClaimAsync));
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task An_interaction_accepted_before_stopping_is_still_answered_within_the_drain_time()
    {
        var held = new HeldAnswers();
        await using var bot = await BotHarness.StartAsync(
            settings =>
            {
                WithEndpoint(settings);
                settings["FrontEnds:StopDrainTime"] = "00:01:00";
            },
            engineSetUp: held.SetUp);
        var endpoint = bot.Host.Services.GetRequiredService<InteractionsEndpoint>();
        using var http = new HttpClient();
        using var response = await SignedPostAsync(http, endpoint.Address!, Vector("valid slash command"));
        Assert.Equal("""{"type":5}""", await response.Content.ReadAsStringAsync());
        await bot.Emulator.WaitUntilAsync(() => held.Asked == 1, "the question at the engine");

        // The endpoint's own stop, so that stopping has begun (not just the gateway's) before the answer may go on.
        var stopping = endpoint.StopAsync(CancellationToken.None);
        held.Release();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        var edit = Assert.Single(bot.Emulator.OriginalEdits);
        Assert.Contains(SeedArticle.ScheduleCitation().Quote, CreatedMessage.WebhookText(edit.Body), StringComparison.Ordinal);
        bot.AssertNoProblems();
    }

    /// <summary>The interactions endpoint on a free loopback port, with the signature vectors' key.</summary>
    private static void WithEndpoint(Dictionary<string, string?> settings)
    {
        settings["Discord:InteractionsEndpoint:Enabled"] = "true";
        settings["Discord:InteractionsEndpoint:ListenUrl"] = "http://127.0.0.1:0";
        settings["Discord:InteractionsEndpoint:PublicKey"] = (string)Vectors["public_key_hex"]!;
    }

    /// <summary>POSTs a signed vector's body with its signature headers, as Discord does.</summary>
    private static async Task<HttpResponseMessage> SignedPostAsync(HttpClient http, Uri endpoint, JsonObject vector)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent((string)vector["body"]!, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Signature-Ed25519", (string)vector["signature_hex"]!);
        request.Headers.Add("X-Signature-Timestamp", (string)vector["timestamp"]!);
        return await http.SendAsync(request);
    }
}
