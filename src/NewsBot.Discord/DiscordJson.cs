using System.Text.Json;
using System.Text.Json.Serialization;

namespace NewsBot.Discord;

/// <summary>Discord's JSON: snake_case names, absent rather than null for optional fields.</summary>
internal static class DiscordJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static T Deserialize<T>(JsonElement element) =>
        element.Deserialize<T>(Options) ?? throw new JsonException($"Discord sent null where a {typeof(T).Name} was expected.");
}
