using System.Text;
using System.Text.Json.Nodes;
using SipConformance.Cases;
using SipConformance.Rules;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Target;

namespace SipConformance.Tests.Rules;

/// <summary>Hand-made exchanges: the checks are pure functions of them, no HTTP involved.</summary>
internal static class Exchanges
{
    public static readonly SipContract C = SipContract.Default;
    public const string ProjectId = "1313fe58-5e14-4c11-bbe7-6fdfa11fe780";
    public const string ResourceId = "993ed018-9e79-4e50-b97b-984bd5534095";
    public static readonly TargetProject Project = new("primary", ProjectId, new Secret("tok-123456"), ResourceId, "P", "T");

    public static JsonObject Payload(string handler = "resource") => new()
    {
        ["id"] = "0b4b7c4e-6c55-4d4b-9a7e-1c2f0a1b2c3d",
        ["username"] = "sipconf_test_alice",
        ["caller_id"] = "+15551234567",
        ["send_as"] = "Zoë",
        ["ciphers"] = new JsonArray("AEAD_AES_256_GCM_8", "AES_CM_128_HMAC_SHA1_32"),
        ["codecs"] = new JsonArray("PCMU", "VP8"),
        ["encryption"] = "required",
        ["call_handler"] = handler,
        ["calling_handler_resource_id"] = handler == "resource" ? ResourceId : null,
    };

    /// <summary>What a correct server answers for <paramref name="payload"/> (lists reordered, UUID case changed: both allowed).</summary>
    public static JsonObject Answer(JsonObject payload, DateTimeOffset? at = null)
    {
        var when = (at ?? DateTimeOffset.UtcNow).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
        var endpoint = (JsonObject)payload.DeepClone();
        endpoint["ciphers"] = new JsonArray(((JsonArray)payload["ciphers"]!).Reverse().Select(n => (JsonNode)n!.GetValue<string>()).ToArray());
        if (endpoint["calling_handler_resource_id"] is JsonValue v) endpoint["calling_handler_resource_id"] = v.GetValue<string>().ToUpperInvariant();
        return new JsonObject
        {
            ["id"] = "7a8f52f0-84e7-4f56-ad44-63892efd4568",
            ["project_id"] = ProjectId.ToUpperInvariant(),
            ["display_name"] = "Zoë",
            ["type"] = "sip_endpoint",
            ["created_at"] = when,
            ["updated_at"] = when,
            ["sip_endpoint"] = endpoint,
        };
    }

    public static Exchange Response(int status, string? body, string? contentType = "application/json; charset=utf-8", params (string Name, string Value)[] headers) =>
        Response(status, body is null ? [] : Encoding.UTF8.GetBytes(body), contentType, headers);

    public static Exchange Response(int status, byte[] body, string? contentType, params (string Name, string Value)[] headers)
    {
        var all = headers.Select(h => KeyValuePair.Create(h.Name, h.Value)).ToList();
        if (contentType is not null) all.Add(KeyValuePair.Create("Content-Type", contentType));
        return new Exchange(Request(), new ResponseRecord(status, all, body), null, DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(3), 0);
    }

    public static Exchange Failed(FailureKind kind, string message) =>
        new(Request(), null, new TransportFailure(kind, message), DateTimeOffset.UtcNow, TimeSpan.FromSeconds(3), 0);

    public static RequestRecord Request() =>
        new("POST", new Uri("http://127.0.0.1:1/api/fabric/resources/sip_endpoints"), "primary project", "Basic [REDACTED]", "application/json", "{}", null);

    public static CreateCase Case(JsonObject payload, CaseRule rule) =>
        CaseBuilder.Of(C, Project, payload).Named("test case").From("hand-made").Build(rule);

    /// <summary>The case of a mutation, as the negative probe makes it: bound to its owner, the varied field named.</summary>
    public static CreateCase Case(SipConformance.Generation.Mutation m) =>
        CaseBuilder.Of(C, Project, m).From("hand-made").Build();

    /// <summary>Judges one create into fresh findings.</summary>
    public static RunFindings Judge(CreateCase c, Exchange create, Exchange? readBack = null)
    {
        var findings = new RunFindings();
        new Evaluator(C, findings, Redactor.Nothing).Create(c, create, readBack);
        return findings;
    }

    public static IEnumerable<string> Broken(this RunFindings f) =>
        f.All.Where(r => r.Outcome is Outcome.Fail or Outcome.NonStrict).Select(r => r.Check.Id);
}
