using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace NewsBot.Discord.Tests.Emulator;

/// <summary>
/// Request-body schemas from Discord's official openapi.json, trimmed to the routes the emulator checks
/// (OpenApi/README.md says where it comes from and how to refresh it). Component schemas become one
/// registered document; each route's body schema refers into it.
/// </summary>
public static class OpenApiSchemas
{
    private const string ComponentsId = "https://discord-openapi.test/components";
    private static readonly Lazy<Dictionary<string, string>> Routes = new(Load);
    private static readonly ConcurrentDictionary<string, Lazy<JsonSchema>> Cache = new();
    private static readonly Lock BuildGate = new();

    private static readonly Lazy<string> SpecPath = new(FindSpec);

    /// <summary>Validates a JSON body against the request schema of one path/method; returns the errors (empty when valid).</summary>
    public static IReadOnlyList<string> Validate(string pathTemplate, string method, JsonNode body)
    {
        // Lazy: a schema id may be registered only once, even when two requests arrive together.
        var schema = Cache.GetOrAdd(pathTemplate + " " + method, _ => new Lazy<JsonSchema>(() => Build(pathTemplate, method))).Value;
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
        var path = Path.Combine(AppContext.BaseDirectory, "OpenApi", "discord-openapi.trimmed.json");
        if (!File.Exists(path))
            throw new FileNotFoundException($"Test file missing: tests/NewsBot.Discord.Tests/OpenApi/discord-openapi.trimmed.json (looked for {path}).", path);
        return path;
    }

    /// <summary>Registers the component schemas plus every JSON request body as one document; returns route → definition name.</summary>
    private static Dictionary<string, string> Load()
    {
        var text = File.ReadAllText(SpecPath.Value).Replace("\"#/components/schemas/", $"\"{ComponentsId}#/$defs/", StringComparison.Ordinal);
        var spec = JsonNode.Parse(text)!.AsObject();
        StripVendorExtensions(spec, namesAreData: false);
        var defs = spec["components"]!["schemas"]!.DeepClone().AsObject();
        var routes = new Dictionary<string, string>();
        foreach (var (template, operations) in spec["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                if (operation is JsonObject && operation["requestBody"]?["content"]?["application/json"]?["schema"] is { } schema)
                {
                    var name = $"route{routes.Count}";
                    defs[name] = schema.DeepClone();
                    routes[template + " " + method] = name;
                }
            }
        }

        var components = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = ComponentsId,
            ["$defs"] = defs,
        };
        lock (BuildGate)
            JsonSchema.FromText(components.ToJsonString());
        return routes;
    }

    /// <summary>Removes OpenAPI "x-…" extensions, which a strict 2020-12 dialect refuses as unknown keywords.</summary>
    private static void StripVendorExtensions(JsonNode? node, bool namesAreData)
    {
        switch (node)
        {
            case JsonObject obj:
                if (!namesAreData)
                {
                    foreach (var key in obj.Select(p => p.Key).Where(k => k.StartsWith("x-", StringComparison.Ordinal)).ToList())
                        obj.Remove(key);
                }

                foreach (var (key, child) in obj)
                    StripVendorExtensions(child, !namesAreData && key is "properties" or "patternProperties" or "$defs" or "schemas" or "paths");
                break;
            case JsonArray array:
                foreach (var child in array)
                    StripVendorExtensions(child, namesAreData: false);
                break;
        }
    }

    private static JsonSchema Build(string pathTemplate, string method)
    {
        if (!Routes.Value.TryGetValue(pathTemplate + " " + method, out var name))
            throw new ArgumentException($"openapi.json has no JSON request body for {method.ToUpperInvariant()} {pathTemplate}.");
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://discord-openapi.test/routes/{name}",
            ["$ref"] = $"{ComponentsId}#/$defs/{name}",
        };
        lock (BuildGate)
            return JsonSchema.FromText(root.ToJsonString());
    }
}
