using System.Text.Json.Nodes;
using NewsBot.Discord.Tests.Emulator;

namespace NewsBot.Discord.Tests;

/// <summary>The emulator's openapi.json validation itself: it must accept documented bodies and reject broken ones.</summary>
public sealed class OpenApiSchemaTests
{
    [Theory]
    [InlineData("/channels/{channel_id}/messages", "post", """{"content":"hi","allowed_mentions":{"parse":[],"replied_user":false},"message_reference":{"message_id":"1533082159064154114","fail_if_not_exists":false},"nonce":"qna-3082159064154114","enforce_nonce":true}""")]
    [InlineData("/webhooks/{webhook_id}/{webhook_token}/messages/@original", "patch", """{"content":"Here is the full answer after deferring.","allowed_mentions":{"parse":[]}}""")]
    [InlineData("/webhooks/{webhook_id}/{webhook_token}", "post", """{"content":"A follow-up message.","flags":64,"allowed_mentions":{"parse":[]}}""")]
    [InlineData("/interactions/{interaction_id}/{interaction_token}/callback", "post", """{"type":5,"data":{"flags":64}}""")]
    [InlineData("/interactions/{interaction_id}/{interaction_token}/callback", "post", """{"type":4,"data":{"content":"Only you can see this.","flags":64,"allowed_mentions":{"parse":[]}}}""")]
    public void Documented_bodies_pass(string path, string method, string body) =>
        Assert.Empty(OpenApiSchemas.Validate(path, method, JsonNode.Parse(body)!));

    [Theory]
    [InlineData("/channels/{channel_id}/messages", "post", """{"content":"hi","allowed_mentions":{"parse":["nobody"]}}""")]
    [InlineData("/channels/{channel_id}/messages", "post", """{"content":"hi","message_reference":{"message_id":12}}""")]
    [InlineData("/interactions/{interaction_id}/{interaction_token}/callback", "post", """{"type":"deferred"}""")]
    [InlineData("/applications/{application_id}/commands", "put", """[{"name":"ask","description":"x","type":1,"options":[{"type":"string","name":"q","description":"d"}]}]""")]
    public void Broken_bodies_fail(string path, string method, string body) =>
        Assert.NotEmpty(OpenApiSchemas.Validate(path, method, JsonNode.Parse(body)!));
}
