using System.Text.Json.Nodes;
using NewsBot.Discord.Tests.Emulator;

namespace NewsBot.Discord.Tests;

public sealed class OpenApiSchemaTests
{
    [Fact]
    public void Docs_reply_fixture_passes_and_a_wrong_type_fails()
    {
        var good = JsonNode.Parse("""{"content":"hi","allowed_mentions":{"parse":[],"replied_user":false},"message_reference":{"message_id":"1533082159064154114","fail_if_not_exists":false},"nonce":"qna-3082159064154114","enforce_nonce":true}""")!;
        Assert.Empty(OpenApiSchemas.Validate("/channels/{channel_id}/messages", "post", good));

        var bad = JsonNode.Parse("""{"content":"hi","allowed_mentions":{"parse":["nobody"]}}""")!;
        Assert.NotEmpty(OpenApiSchemas.Validate("/channels/{channel_id}/messages", "post", bad));
    }
}
