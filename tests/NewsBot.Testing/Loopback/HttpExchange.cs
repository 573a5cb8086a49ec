using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace NewsBot.Testing.Loopback;

/// <summary>Reading a request and answering with JSON, as every emulated endpoint does.</summary>
public static class HttpExchange
{
    public static async Task<string> ReadBodyAsync(this HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        return await reader.ReadToEndAsync();
    }

    public static async Task WriteJsonAsync(this HttpResponse response, int status, JsonNode body, string contentType = "application/json")
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        await response.WriteAsync(body.ToJsonString());
    }
}
