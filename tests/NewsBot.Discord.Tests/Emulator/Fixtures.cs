using System.Text.Json.Nodes;
using NewsBot.Answering;
using NewsBot.Testing.Repository;

namespace NewsBot.Discord.Tests.Emulator;

/// <summary>Payloads from the shared Discord fixtures (copied into Fixtures/), adapted per test.</summary>
public static class Fixtures
{
    private static long _nextId = 1533081886908350467;

    public static JsonObject Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Test file missing: tests/NewsBot.Discord.Tests/Fixtures/{name} (looked for {path}).", path);
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }

    public static string NewId() => Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A guild MESSAGE_CREATE from the mention fixture, with new id and content.</summary>
    public static JsonObject GuildMessage(string content, string? authorId = null, string channelId = DiscordEmulator.ChannelId)
    {
        var d = Load("gateway_message_create_mention.json")["d"]!.AsObject();
        d["id"] = NewId();
        d["content"] = content;
        d["channel_id"] = channelId;
        if (authorId is not null)
            d["author"]!["id"] = authorId;
        if (!content.Contains($"<@{DiscordEmulator.BotUserId}>", StringComparison.Ordinal) && !content.Contains($"<@!{DiscordEmulator.BotUserId}>", StringComparison.Ordinal))
            d["mentions"] = new JsonArray();
        return d;
    }

    public static JsonObject Mention(string question) => GuildMessage($"<@{DiscordEmulator.BotUserId}> {question}");

    public static JsonObject DirectMessage(string content)
    {
        var d = Load("gateway_message_create_dm.json")["d"]!.AsObject();
        d["id"] = NewId();
        d["content"] = content;
        return d;
    }

    /// <summary>An INTERACTION_CREATE from the slash-command fixture, renamed and with new options.</summary>
    public static JsonObject SlashCommand(string name, JsonArray? options = null, string permissions = "311385508928", string userId = DiscordEmulator.UserId, string[]? roles = null)
    {
        var d = Load("gateway_interaction_create_slash_command.json")["d"]!.AsObject();
        d["id"] = NewId();
        d["token"] = "interaction-token-" + d["id"];
        d["data"]!["name"] = name;
        d["data"]!["options"] = options ?? new JsonArray();
        d["member"]!["permissions"] = permissions;
        d["member"]!["user"]!["id"] = userId;
        if (roles is not null)
            d["member"]!["roles"] = new JsonArray(roles.Select(r => (JsonNode)r).ToArray());
        return d;
    }

    public static JsonArray StringOptions(params (string Name, string Value)[] options) =>
        new(options.Select(o => (JsonNode)new JsonObject { ["type"] = 3, ["name"] = o.Name, ["value"] = o.Value }).ToArray());
}

/// <summary>Answers built from the seed article's own text, as the real engine would quote it.</summary>
public static class SeedArticle
{
    public const string SourceId = RepositoryFiles.SeedSourceId;

    public static string Text => RepositoryFiles.SeedArticleText;

    /// <summary>The article's sentence in which the PMO declines the meeting over the premier's schedule.</summary>
    public static Citation ScheduleCitation()
    {
        var paragraphs = Text.Split("\n\n");
        var number = Array.FindIndex(paragraphs, p => p.Contains("PMO", StringComparison.Ordinal)) + 1;
        var paragraph = paragraphs[number - 1];
        var end = paragraph.IndexOf(".” ", StringComparison.Ordinal) + 2;
        var quote = paragraph[..end];
        var start = Text.IndexOf(quote, StringComparison.Ordinal);
        return new Citation(1, SourceId, paragraphs[0].Trim(), number, quote, start, start + quote.Length);
    }

    public static Answer ScheduleAnswer(string question)
    {
        var citation = ScheduleCitation();
        return new Answer(question, true, $"The Prime Minister's Office answered: {citation.Quote} [1]", [citation]);
    }
}
