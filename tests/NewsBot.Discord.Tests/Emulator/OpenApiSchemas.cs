using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace NewsBot.Discord.Tests.Emulator;

/// <summary>
/// Request-body schemas from Discord's official openapi.json (shared/discord/openapi.json, found by
/// walking up from the test assembly). Component schemas become one registered document; each
/// route's body schema refers into it.
/// </summary>
public static class OpenApiSchemas
{
    private const string ComponentsId = "https://discord-openapi.test/components";
    private static readonly Lazy<JsonObject> Paths = new(Load);
    private static readonly ConcurrentDictionary<string, JsonSchema> Cache = new();
    private static readonly Lock BuildGate = new();

    public static string SpecPath { get; } = FindSpec();

    /// <summary>Validates a JSON body against the request schema of one path/method; returns the errors (empty when valid).</summary>
    public static IReadOnlyList<string> Validate(string pathTemplate, string method, JsonNode body)
    {
        var schema = Cache.GetOrAdd(pathTemplate + " " + method, _ => Build(pathTemplate, method));
        using var doc = JsonDocument.Parse(body.ToJsonString());
        var result = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
            return [];
        return (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .DefaultIfEmpty("invalid (no detail)")
            .ToList();
    }

    private static string FindSpec()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "discord", "openapi.json");
            if (File.Exists(candidate))
                return candidate;
        }

        throw new FileNotFoundException("shared/discord/openapi.json was not found in any folder above the test assembly.");
    }

    private static JsonObject Load()
    {
        var text = File.ReadAllText(SpecPath).Replace("\"#/components/schemas/", $"\"{ComponentsId}#/$defs/", StringComparison.Ordinal);
        var spec = JsonNode.Parse(text)!.AsObject();
        var components = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = ComponentsId,
            ["$defs"] = spec["components"]!["schemas"]!.DeepClone(),
        };
        lock (BuildGate)
            JsonSchema.FromText(components.ToJsonString());
        return spec["paths"]!.AsObject();
    }

    private static JsonSchema Build(string pathTemplate, string method)
    {
        var body = Paths.Value[pathTemplate]?[method]?["requestBody"]?["content"]?["application/json"]?["schema"]
            ?? throw new ArgumentException($"openapi.json has no JSON request body for {method.ToUpperInvariant()} {pathTemplate}.");
        var root = body.DeepClone().AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$id"] = $"https://discord-openapi.test/routes/{Guid.NewGuid():N}";
        lock (BuildGate)
            return JsonSchema.FromText(root.ToJsonString());
    }
}
