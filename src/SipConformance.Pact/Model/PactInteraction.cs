using System.Text.Json.Nodes;

namespace SipConformance.Pact.Model;

/// <summary>A provider state an interaction needs, with parameters (JSON values).</summary>
public sealed record ProviderState(string Name, IReadOnlyDictionary<string, JsonNode?> Parameters);

/// <summary>
/// One HTTP interaction, built fluently: <c>PactInteraction.Describe("…").Given(…).WithRequest(…)
/// .WithRequestHeader(…).WithJsonBody(…).WillRespondWith(…)…</c>. Header values and bodies may
/// embed matchers (<see cref="Match"/>). <see cref="Validate"/> runs before the engine sees it.
/// </summary>
public sealed class PactInteraction
{
    public const string JsonContentType = "application/json";

    private readonly List<ProviderState> _states = [];
    private readonly List<KeyValuePair<string, JsonNode>> _requestHeaders = [];
    private readonly List<KeyValuePair<string, JsonNode>> _responseHeaders = [];

    private PactInteraction(string description) => Description = description;

    public static PactInteraction Describe(string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        return new PactInteraction(description);
    }

    public string Description { get; }
    public IReadOnlyList<ProviderState> States => _states;
    public string Method { get; private set; } = "GET";
    public string Path { get; private set; } = "/";
    public IReadOnlyList<KeyValuePair<string, JsonNode>> RequestHeaders => _requestHeaders;
    public JsonNode? RequestBody { get; private set; }
    public string RequestContentType { get; private set; } = JsonContentType;
    public int Status { get; private set; } = 200;
    public IReadOnlyList<KeyValuePair<string, JsonNode>> ResponseHeaders => _responseHeaders;
    public JsonNode? ResponseBody { get; private set; }
    public string ResponseContentType { get; private set; } = JsonContentType;

    /// <summary>True when the request carries an Authorization header (credentials are injected at verification).</summary>
    public bool SendsCredentials => _requestHeaders.Any(h => string.Equals(h.Key, "Authorization", StringComparison.OrdinalIgnoreCase));

    public PactInteraction Given(string state, IReadOnlyDictionary<string, JsonNode?>? parameters = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(state);
        _states.Add(new ProviderState(state, parameters ?? new Dictionary<string, JsonNode?>()));
        return this;
    }

    public PactInteraction WithRequest(string method, string path)
    {
        Method = method;
        Path = path;
        return this;
    }

    public PactInteraction WithRequestHeader(string name, string value) => WithRequestHeader(name, (JsonNode)JsonValue.Create(value));

    /// <summary>A request header whose value is a literal string or a matcher.</summary>
    public PactInteraction WithRequestHeader(string name, JsonNode value)
    {
        _requestHeaders.Add(KeyValuePair.Create(name, value));
        return this;
    }

    /// <summary>The request body (with matchers). A string body is parsed first: invalid JSON never reaches the engine.</summary>
    public PactInteraction WithJsonBody(JsonNode body, string contentType = JsonContentType)
    {
        RequestBody = body;
        RequestContentType = contentType;
        return this;
    }

    public PactInteraction WithJsonBody(string json, string contentType = JsonContentType) =>
        WithJsonBody(PactJson.Parse(json, $"the request body of '{Description}'"), contentType);

    public PactInteraction WillRespondWith(int status)
    {
        if (status is < 100 or > 599) throw new ArgumentOutOfRangeException(nameof(status), status, "not an HTTP status");
        Status = status;
        return this;
    }

    public PactInteraction WithResponseHeader(string name, JsonNode value)
    {
        _responseHeaders.Add(KeyValuePair.Create(name, value));
        return this;
    }

    public PactInteraction WithResponseJsonBody(JsonNode body, string contentType = JsonContentType)
    {
        ResponseBody = body;
        ResponseContentType = contentType;
        return this;
    }

    public PactInteraction WithResponseJsonBody(string json, string contentType = JsonContentType) =>
        WithResponseJsonBody(PactJson.Parse(json, $"the response body of '{Description}'"), contentType);

    /// <summary>The request body a client sends for this interaction (matchers replaced by their examples).</summary>
    public JsonNode? ExampleRequestBody => PactJson.Example(RequestBody);

    /// <summary>The response body a provider answers in the example.</summary>
    public JsonNode? ExampleResponseBody => PactJson.Example(ResponseBody);

    /// <summary>The example value of a request header (the placeholder, for Authorization).</summary>
    public string? ExampleRequestHeader(string name) =>
        _requestHeaders.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
            .Select(h => PactJson.Example(h.Value)?.GetValue<string>()).FirstOrDefault();

    /// <summary>Checks every header value and body (JSON, matcher names, examples against their own regexes).</summary>
    public void Validate()
    {
        if (!Path.StartsWith('/')) throw new PactDefinitionException($"'{Description}': the path must start with '/'");
        foreach (var (name, value) in _requestHeaders) PactJson.Validate(value, $"'{Description}' request header {name}");
        foreach (var (name, value) in _responseHeaders) PactJson.Validate(value, $"'{Description}' response header {name}");
        PactJson.Validate(RequestBody, $"'{Description}' request body");
        PactJson.Validate(ResponseBody, $"'{Description}' response body");
        foreach (var state in _states)
            foreach (var (name, value) in state.Parameters)
                PactJson.Validate(value, $"'{Description}' state '{state.Name}' parameter {name}");
    }
}
