using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SipConformance.Contract;
using SipConformance.Target;

namespace SipConformance.Tests.Pact;

/// <summary>How a <see cref="MiniProvider"/> departs from the contract.</summary>
public enum ProviderFault
{
    None,
    /// <summary>created_at comes back as a number (Unix seconds), not an RFC 3339 string.</summary>
    ResponseShape,
}

/// <summary>
/// Just enough of the Fabric API for the pact: POST sip_endpoints with Basic auth (one project),
/// 401/422/200 as the contract says, the ciphers echoed in reverse order (order is free), and
/// POST /_pact/provider-states handing out its resource id. It records every Authorization value
/// it receives, so a test can prove the real credential (never the placeholder) arrived.
/// </summary>
public sealed class MiniProvider : IAsyncDisposable
{
    private readonly WebApplication _app;

    public string ProjectId { get; } = Guid.NewGuid().ToString();
    public string Token { get; } = "mini-token-" + Guid.NewGuid().ToString("N");
    public string ResourceId { get; } = Guid.NewGuid().ToString();
    public Uri BaseUrl { get; private set; } = null!;
    public Uri StateChangeUrl => new(BaseUrl, "_pact/provider-states");
    public ConcurrentQueue<(string Username, string? Authorization)> Seen { get; } = new();
    public ConcurrentQueue<JsonObject> StateCalls { get; } = new();

    private MiniProvider(ProviderFault fault)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        var contract = SipContract.Default;
        var expected = "Basic " + AuthHeader.Base64($"{ProjectId}:{Token}");

        _app.MapPost("/_pact/provider-states", async (HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body) as JsonObject ?? [];
            StateCalls.Enqueue(body);
            return Results.Json(new JsonObject { ["resource_id"] = ResourceId });
        });

        _app.MapPost(contract.CollectionPath, async (HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body) as JsonObject;
            var auth = request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null;
            Seen.Enqueue((body?["username"]?.GetValue<string>() ?? "?", auth));
            if (auth != expected) return Results.Json(new JsonObject { ["error"] = "Unauthorized" }, statusCode: 401);
            if (body is null) return Invalid("body", "not a JSON object");
            var handler = body["call_handler"]?.GetValue<string>();
            var encryption = body["encryption"]?.GetValue<string>();
            var resource = body["calling_handler_resource_id"]?.GetValue<string>();
            if (handler is null || !contract.CallHandlers.Contains(handler)) return Invalid("call_handler", "not one of the call handlers");
            if (encryption is null || !contract.Encryptions.Contains(encryption)) return Invalid("encryption", "not one of the encryptions");
            if (handler == CallHandlerValues.Resource && resource is null) return Invalid("calling_handler_resource_id", "required for resource");
            if (handler == CallHandlerValues.Resource && !string.Equals(resource, ResourceId, StringComparison.OrdinalIgnoreCase))
                return Results.Json(new JsonObject { ["error"] = "Not Found" }, statusCode: 404);
            var now = DateTimeOffset.UtcNow;
            var endpoint = new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["username"] = body["username"]?.DeepClone(),
                ["caller_id"] = body["caller_id"]?.DeepClone(),
                ["send_as"] = body["send_as"]?.DeepClone(),
                ["ciphers"] = new JsonArray(((JsonArray)body["ciphers"]!).Reverse().Select(n => n!.DeepClone()).ToArray()),
                ["codecs"] = body["codecs"]?.DeepClone(),
                ["encryption"] = encryption,
                ["call_handler"] = handler,
                ["calling_handler_resource_id"] = handler == CallHandlerValues.Resource ? resource : null,
            };
            var response = new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["project_id"] = ProjectId,
                ["display_name"] = body["username"]?.DeepClone(),
                ["type"] = contract.ResourceType,
                ["created_at"] = fault == ProviderFault.ResponseShape ? now.ToUnixTimeSeconds() : now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz"),
                ["updated_at"] = now.ToString("O"),
                ["sip_endpoint"] = endpoint,
            };
            return Results.Json(response, statusCode: 200);
        });
    }

    private static IResult Invalid(string attribute, string message) => Results.Json(new JsonObject
    {
        ["errors"] = new JsonArray(new JsonObject
        {
            ["type"] = "validation_error",
            ["code"] = "invalid_parameter",
            ["message"] = $"{attribute}: {message}",
            ["attribute"] = attribute,
            ["url"] = "https://example.invalid/errors#invalid_parameter",
        }),
    }, statusCode: 422);

    public static async Task<MiniProvider> StartAsync(ProviderFault fault = ProviderFault.None)
    {
        var p = new MiniProvider(fault);
        await p._app.StartAsync();
        var address = p._app.Urls.First();
        p.BaseUrl = new Uri(address.Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");
        return p;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
