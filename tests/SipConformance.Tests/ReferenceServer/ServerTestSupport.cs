using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SipConformance.Contract;
using SipConformance.ReferenceServer;
using Server = SipConformance.ReferenceServer.ReferenceServer;

namespace SipConformance.Tests.ReferenceServerTests;

/// <summary>One HTTP answer, read whole.</summary>
public sealed record Answer(int Status, HttpResponseHeaders Headers, string? MediaType, string? ContentType, byte[] Bytes)
{
    public string Text => Encoding.UTF8.GetString(Bytes);

    /// <summary>The body as JSON, or null when it is none.</summary>
    public JsonNode? Json
    {
        get
        {
            try
            {
                return JsonNode.Parse(Bytes);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    public JsonObject Object => Json as JsonObject ?? throw new InvalidOperationException($"not a JSON object: {Text}");
    public JsonObject Endpoint => (JsonObject)Object["sip_endpoint"]!;
    public string? Str(string name) => Object[name]?.GetValue<string>();
    public string? EndpointStr(string name) => Endpoint[name]?.GetValue<string>();
    public string[] EndpointList(string name) => Endpoint[name]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    /// <summary>The attributes the errors of a 4xx errors body name.</summary>
    public string?[] ErrorAttributes =>
        Json?["errors"] is JsonArray errors ? errors.Select(e => e?["attribute"]?.GetValue<string>()).ToArray() : [];

    public override string ToString() => $"{Status} {ContentType}: {(Bytes.Length > 600 ? Text[..600] + "…" : Text)}";
}

/// <summary>A plain HttpClient view of one reference server (no suite code).</summary>
public sealed class Api(Server server, HttpClient http)
{
    public static SipContract C => SipContract.Default;

    public Server Server { get; } = server;
    public HttpClient Http { get; } = http;
    public ProjectCredentials P => Server.Primary;
    public ProjectCredentials Q => Server.Secondary;
    public Uri Collection => new(Server.BaseUrl, C.CollectionPath);
    public Uri Item(string id) => new(Server.BaseUrl, C.ItemPath(id));

    public static string Basic(ProjectCredentials c, string scheme = "Basic") =>
        $"{scheme} {Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.ProjectId}:{c.ApiToken}"))}";

    public static string BasicOf(string raw) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(raw));

    /// <summary>A create body every correct server accepts, in the primary project.</summary>
    public JsonObject Valid() => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["username"] = "Alice-" + Guid.NewGuid().ToString("N")[..8],
        ["caller_id"] = "+15551230000",
        ["send_as"] = "Alice Liddell",
        ["ciphers"] = new JsonArray(C.Ciphers[0], C.Ciphers[1]),
        ["codecs"] = new JsonArray(C.Codecs[0], C.Codecs[1]),
        ["encryption"] = "required",
        ["call_handler"] = "default",
        ["calling_handler_resource_id"] = null,
    };

    public JsonObject Valid(Action<JsonObject> change)
    {
        var body = Valid();
        change(body);
        return body;
    }

    public JsonObject ValidResource() => Valid(b =>
    {
        b["call_handler"] = CallHandlerValues.Resource;
        b["calling_handler_resource_id"] = P.ResourceId;
    });

    public Task<Answer> Create(JsonNode body, string? authorization = "", string contentType = "application/json") =>
        Send(HttpMethod.Post, Collection, authorization, Encoding.UTF8.GetBytes(body.ToJsonString()), contentType);

    public Task<Answer> CreateRaw(byte[] body, string? authorization = "", string? contentType = "application/json") =>
        Send(HttpMethod.Post, Collection, authorization, body, contentType);

    public Task<Answer> CreateRaw(string body, string? authorization = "", string? contentType = "application/json") =>
        CreateRaw(Encoding.UTF8.GetBytes(body), authorization, contentType);

    public Task<Answer> Get(string id, ProjectCredentials? project = null) =>
        Send(HttpMethod.Get, Item(id), Basic(project ?? P));

    public Task<Answer> Delete(string id, ProjectCredentials? project = null) =>
        Send(HttpMethod.Delete, Item(id), Basic(project ?? P));

    public Task<Answer> List(string query = "", ProjectCredentials? project = null) =>
        Send(HttpMethod.Get, new Uri(Collection + query), Basic(project ?? P));

    public Task<Answer> Get(Uri url, ProjectCredentials? project = null) => Send(HttpMethod.Get, url, Basic(project ?? P));

    /// <summary>authorization "": the primary project's Basic header; null: no header.</summary>
    public async Task<Answer> Send(HttpMethod method, Uri url, string? authorization = "", byte[]? body = null, string? contentType = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (authorization == "") authorization = Basic(P);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        using var response = await Http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new Answer((int)response.StatusCode, response.Headers, response.Content.Headers.ContentType?.MediaType,
            response.Content.Headers.ContentType?.ToString(), bytes);
    }

    /// <summary>Does the 200 answer echo the request as the contract demands?</summary>
    public static bool Echoes(Answer a, JsonObject request)
    {
        if (a.Status != 200 || a.Json is not JsonObject) return false;
        var e = a.Endpoint;
        foreach (var name in new[] { FieldNames.Username, FieldNames.CallerId, FieldNames.SendAs, FieldNames.Encryption, FieldNames.CallHandler })
            if (e[name]?.GetValue<string>() != request[name]?.GetValue<string>()) return false;
        foreach (var name in new[] { FieldNames.Ciphers, FieldNames.Codecs })
            if (!a.EndpointList(name).ToHashSet().SetEquals(request[name]!.AsArray().Select(n => n!.GetValue<string>())))
                return false;
        var expected = request[FieldNames.CallHandler]?.GetValue<string>() == CallHandlerValues.Resource
            ? request[FieldNames.CallingHandlerResourceId]?.GetValue<string>()
            : null;
        return UuidText.SameUuid(e[FieldNames.CallingHandlerResourceId]?.GetValue<string>(), expected);
    }
}

/// <summary>The HTTP client and server starting the tests share.</summary>
internal static class Servers
{
    public static readonly HttpClient Http = NewClient(TimeSpan.FromSeconds(20));

    public static HttpClient NewClient(TimeSpan timeout) => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        AutomaticDecompression = DecompressionMethods.None,
    })
    { Timeout = timeout };

    /// <summary>A client that waits out 429s (Retry-After, else a short pause) and sends again, up to 20 times; it takes any content coding.</summary>
    public static HttpClient NewRetryingClient(TimeSpan timeout) => new(new RetryOn429(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        AutomaticDecompression = DecompressionMethods.All,
    }))
    { Timeout = timeout };

    private sealed class RetryOn429(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            for (var attempt = 1; ; attempt++)
            {
                var response = await base.SendAsync(request, ct);
                if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt == 20) return response;
                var wait = response.Headers.RetryAfter?.Delta
                    ?? (response.Headers.RetryAfter?.Date is { } date ? (TimeSpan?)(date - DateTimeOffset.UtcNow) : null)
                    ?? TimeSpan.FromMilliseconds(20);
                if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
                response.Dispose();
                await Task.Delay(wait, ct);
            }
        }
    }

    /// <summary>A server with the faults, speaking the first revision they all apply to (2026-03-18 for most).</summary>
    public static Task<Server> Start(params string[] faults) => Server.StartAsync(new ReferenceServerOptions
    {
        Faults = faults,
        Contract = SipConformance.Contract.SipContract.Of(SipConformance.Contract.ContractRevisions.All.First(r => faults.All(f => FaultCatalogue.Get(f).AppliesIn(r)))),
    });

    public static Task<Server> Start(ServerVariant variant, params string[] faults) =>
        Server.StartAsync(new ReferenceServerOptions { Faults = faults, Variant = variant });
}

/// <summary>What the catalogues' ids look like.</summary>
internal static partial class Ids
{
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    public static partial System.Text.RegularExpressions.Regex KebabCase();
}

internal static class JsonObjectExtensions
{
    /// <summary>Changes the object and returns it (for one-expression test bodies).</summary>
    public static JsonObject Also(this JsonObject o, Action<JsonObject> change)
    {
        change(o);
        return o;
    }
}
