using System.Text.Json.Nodes;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Reporting.Html;
using SipConformance.Running;
using SipConformance.Tests.Rules;

namespace SipConformance.Tests.Reporting;

/// <summary>Findings documents and runs made by hand, for the report's tests (no HTTP).</summary>
internal static class ReportSamples
{
    public const string Token = "PTreportCanary0123456789abcdef+Tok/en=";

    /// <summary>A run aimed at a port nothing listens on; its findings are recorded by hand.</summary>
    public static SuiteRun Run(string artifacts, string? resourceId = null, bool secondProject = false) => new(
        new SuiteSettings { Seed = 4242, SeedGiven = true, ArtifactsDirectory = artifacts, Profile = Profile.Smoke },
        Targets.Embedded(new Uri("http://127.0.0.1:9/"), Exchanges.ProjectId, Token, resourceId,
            secondProject ? "5e2d9a61-0c1b-4f0e-9d55-3a1c2b3d4e5f" : null, secondProject ? Token + "2" : null), SipContract.Default);

    /// <summary>A document with every check of the catalogue PASS (one request each), to bend per test.</summary>
    public static FindingsDocument Document(Func<CheckEntry, CheckEntry>? bend = null) => new(
        FindingsDocument.CurrentFormat, SipContract.DefaultRevision, "http://127.0.0.1:9/", Exchanges.ProjectId, "smoke", 4242, "m4rk3r", false, [],
        SipConformance.Rules.RuleBook.All.Select(c => new CheckEntry(c.Id, c.LevelName, c.Section.Name, c.Title, c.Clause,
            Outcome.Pass, 1, 0, 1, [], [], [])).Select(bend ?? (c => c)).ToList(),
        Replay: [new("SIPCONF_SEED", "4242"), new("SIPCONF_RUN_MARKER", "m4rk3r")], ResourceConfigured: true, SecondProjectConfigured: true,
        CreateStatuses: new Dictionary<string, int> { ["200"] = 10 });

    public static CheckEntry Failing(CheckEntry c, params Violation[] evidence) =>
        c with { Outcome = Outcome.Fail, Violations = Math.Max(1, evidence.Length), Evidence = evidence };

    /// <summary>A violation shown by one exchange made by hand: a request and its answer.</summary>
    public static Violation Shown(string caseName, string message, int status, string responseBody, string? requestBody = null) =>
        new(caseName, message)
        {
            Exchanges = [new ExchangeRecord("POST", "http://127.0.0.1:9/api/fabric/resources/sip_endpoints", "Basic [REDACTED] (primary project)",
                "application/json", requestBody ?? "{}", status, 3, 0, [new HeaderRecord("Content-Type", "application/json")], responseBody,
                System.Text.Encoding.UTF8.GetByteCount(responseBody), null, null,
                $"curl -sS -i -X POST 'http://127.0.0.1:9/api/fabric/resources/sip_endpoints' -u \"$SIPCONF_PROJECT_ID:$SIPCONF_API_TOKEN\" --data-binary @- <<'SIPCONF_BODY'\n{requestBody ?? "{}"}\nSIPCONF_BODY")],
        };

    /// <summary>A create answer shaped as the 2026-08-21 revision's SipEndpointResponse: every required field, the endpoint's fields at the top level.</summary>
    public static JsonObject LaterRevisionBody(JsonObject payload) => Flatten(payload, RevisionResponseSchema.Later.Required);

    /// <summary>The payload's values under the given names (null for the others); call_handler null: the later revision's handlers are other names.</summary>
    public static JsonObject Flatten(JsonObject values, IEnumerable<string> required)
    {
        var body = new JsonObject();
        foreach (var field in required)
            body[field] = values.TryGetPropertyValue(field, out var v) ? v?.DeepClone() : null;
        body[ResponseFields.Type] = "sip_endpoint";
        body[FieldNames.CallHandler] = null;
        return body;
    }
}
