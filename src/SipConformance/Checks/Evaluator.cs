using System.Text.Json;
using System.Text.Json.Nodes;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Target;

namespace SipConformance.Checks;

/// <summary>
/// Judges observations: pure functions of what was sent and what came back, recorded as
/// verdicts into a <see cref="RunFindings"/>. It never talks HTTP.
/// </summary>
public sealed class Evaluator(SipContract contract, RunFindings findings, Redactor redactor, TimeSpan? clockTolerance = null)
{
    private readonly TimeSpan _clockTolerance = clockTolerance ?? TimeSpan.FromMinutes(5);

    public RunFindings Findings => findings;
    public Redactor Redactor => redactor;

    /// <summary>
    /// Judges a create (and its read-back). Returns the checks it broke, so a caller (the property
    /// runner, the combination shrinker) can tell a failing sample from a passing one.
    /// </summary>
    public IReadOnlyList<CheckInfo> Create(CreateObservation o)
    {
        var broken = new List<CheckInfo>();
        var name = o.Case.Describe();
        string Ev() => Evidence.Format(redactor, o.Create, o.ReadBack);
        void Judge(CheckInfo check, string? problem)
        {
            findings.Judge(check, problem, name, Ev);
            if (problem is not null) broken.Add(check);
        }

        if (!Answered(o.Create, name, Judge)) return broken;
        var response = o.Create.Response!;
        var expect = o.Case.Expect;

        Judge(expect.Check, expect.Statuses.Contains(response.Status) ? null
            : $"answered {StatusText(response)}; the contract allows {expect.Describe()} for: {o.Case.Name}");

        if (response.Status == 200 && expect.AllowsSuccess && expect.Echo is not null)
        {
            var ok = SuccessBody(response, o.Case.Project.ProjectId, expect.Echo, o.Create, Judge);
            if (ok is { } body && expect.Condition is not null) Judge(expect.Check, expect.Condition(body));
            if (ok is { } created && o.ReadBack is not null)
                ReadBack(created, o.ReadBack, expect, name, Judge);
        }
        else if (response.Status == 422)
        {
            var json = response.Json;
            Judge(Validation.ErrorBody, json is null ? response.JsonProblem : Schema(SchemaNames.ValidationError, json.Value));
            if (expect.OffendingField is { } field && json is { ValueKind: JsonValueKind.Object } err)
                Judge(Validation.Attribute, NamesAttribute(err, field) ? null : $"no item of errors has attribute \"{field}\"");
        }
        else if (response.Status == 401)
            Unauthorized(response, Judge);

        return broken;
    }

    /// <summary>The checks every answer is held to; false when there is no complete answer to judge further.</summary>
    public bool Answered(Exchange e, string caseName, Action<CheckInfo, string?>? judge = null)
    {
        judge ??= (check, problem) => findings.Judge(check, problem, caseName, () => Evidence.Format(redactor, e));
        if (e.Failure is { Kind: FailureKind.Cancelled })
        {
            findings.Skip(Transport.CompleteAnswer, "some requests were not sent: the run was cancelled or ran out of its time budget");
            return false;
        }
        judge(Transport.CompleteAnswer, e.Failure?.Message);
        if (e.Response is not { } r || e.Failure is not null) return false;
        if (r.Status == 429)
        {
            judge(Transport.RateLimit, $"still 429 after waiting out {e.RateLimitedAttempts} rate-limit answer(s) within the suite's budget");
            return false;
        }
        if (e.RateLimitedAttempts > 0) judge(Transport.RateLimit, null);
        judge(Transport.NoServerError, r.Status >= 500 ? $"answered {StatusText(r)}" : null);
        if (r.MediaType is { } media && (media == "application/json" || media.EndsWith("+json", StringComparison.Ordinal)) && r.Body.Length > 0)
            judge(Transport.JsonBody, r.JsonProblem);
        return true;
    }

    /// <summary>DELETE answers 204.</summary>
    public void Delete(Exchange e, string caseName)
    {
        if (!Answered(e, caseName)) return;
        findings.Judge(Transport.Delete, e.Status == 204 ? null : $"answered {StatusText(e.Response!)}", caseName, () => Evidence.Format(redactor, e));
    }

    /// <summary>Every page of a list answers the documented shape, and the pages end.</summary>
    public void List(ListResult list, string caseName)
    {
        foreach (var page in list.Pages)
        {
            if (!Answered(page, caseName)) return;
            if (page.Response is { Status: 200, Json: { } json })
                findings.Judge(Transport.List, ListShape(json), caseName, () => Evidence.Format(redactor, page));
        }
        if (list.Problem is not null && list.Pages.LastOrDefault()?.Response is not null)
            findings.Judge(Transport.List, list.Problem, caseName, () => Evidence.Format(redactor, list.Pages.LastOrDefault()));
    }

    /// <summary>
    /// A rejected request creates nothing: none of the rejected cases' usernames may show up in the
    /// project's list (the list is read after the rejections).
    /// </summary>
    public IReadOnlyList<JsonElement> RejectedCreatedNothing(CheckInfo check, IReadOnlyList<(CreateCase Case, Exchange Exchange)> rejected, ListResult list, string caseName)
    {
        List(list, caseName);
        var leaked = new List<JsonElement>();
        if (!list.Complete)
        {
            findings.Violate(check, new Violation($"could not read the project's list to look for what rejected requests created: {list.Problem}", caseName,
                Evidence.Format(redactor, list.Pages.LastOrDefault())));
            return leaked;
        }
        var byName = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var item in list.Items)
            if (Path(item, ResponseFields.SipEndpoint, FieldNames.Username) is { ValueKind: JsonValueKind.String } u)
                byName.TryAdd(u.GetString()!, item);
        foreach (var (c, e) in rejected)
        {
            if (c.Username is not { Length: > 0 } username) continue;
            if (byName.TryGetValue(username, out var item))
            {
                leaked.Add(item);
                findings.Violate(check, new Violation($"answered {StatusText(e.Response!)} yet the list now holds an endpoint with its username {AnswerTable.Show(username)} (id {Path(item, ResponseFields.Id)})",
                    c.Describe(), Evidence.Format(redactor, e)), requests: 1);
            }
            else findings.Pass(check);
        }
        return leaked;
    }

    /// <summary>
    /// {"data": [...], "links": {"self", "first", "next"?, "prev"?}}: the shape contract-decisions.md
    /// gives the list. Links are strings; whether they are absolute is left open (they are resolved
    /// against the page's URL), so the schema's "uri" format is not asserted here.
    /// </summary>
    private static string? ListShape(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) return $"the list is a JSON {json.ValueKind}, not an object {{data, links}}";
        if (!json.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array) return "the list has no data array";
        if (!json.TryGetProperty("links", out var links) || links.ValueKind != JsonValueKind.Object) return "the list has no links object";
        foreach (var name in new[] { "self", "first" })
            if (!links.TryGetProperty(name, out var l) || l.ValueKind != JsonValueKind.String) return $"links.{name} is {Raw(links.TryGetProperty(name, out var v) ? v : null)}, not a string";
        foreach (var name in new[] { "next", "prev" })
            if (links.TryGetProperty(name, out var l) && l.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) return $"links.{name} is {Raw(l)}, not a string";
        return null;
    }

    /// <summary>A 401 carries {"error": "Unauthorized"} and (SHOULD) a Basic challenge.</summary>
    private void Unauthorized(ResponseRecord r, Action<CheckInfo, string?> judge)
    {
        judge(Authentication.Body, r.Json is { } json ? Schema(SchemaNames.Unauthorized, json) : r.JsonProblem);
        var challenge = r.Header("WWW-Authenticate");
        judge(Authentication.Challenge, challenge is not null && challenge.TrimStart().StartsWith("Basic", StringComparison.OrdinalIgnoreCase)
            ? null : $"WWW-Authenticate is {(challenge is null ? "absent" : AnswerTable.Show(challenge))}; expected a Basic challenge");
    }

    /// <summary>The 200 body: shape, identity, timestamps, echo. Returns the body when it is a JSON object.</summary>
    private JsonElement? SuccessBody(ResponseRecord r, string projectId, EchoExpectation echo, Exchange e, Action<CheckInfo, string?> judge)
    {
        judge(Success.ContentType, r.MediaType == "application/json" ? null : $"Content-Type is {r.ContentType ?? "absent"}");
        if (r.Json is not { ValueKind: JsonValueKind.Object } body)
        {
            judge(Success.Schema, r.Json is null ? r.JsonProblem : $"the body is a JSON {r.Json.Value.ValueKind}, not an object");
            return null;
        }
        judge(Success.Schema, Schema(SchemaNames.EndpointResponse, body));
        var type = Path(body, ResponseFields.Type);
        judge(Success.Type, type is { ValueKind: JsonValueKind.String } t && t.GetString() == contract.ResourceType ? null : $"type is {Raw(type)}, expected \"{contract.ResourceType}\"");
        var badIds = new[] { "id", ResponseFields.ProjectId, "sip_endpoint.id" }
            .Where(p => Path(body, p.Split('.')) is not { ValueKind: JsonValueKind.String } v || !UuidText.IsValid(v.GetString()))
            .Select(p => $"{p} is {Raw(Path(body, p.Split('.')))}").ToList();
        judge(Success.Uuids, badIds.Count == 0 ? null : string.Join("; ", badIds) + " (not a UUID)");
        var project = Path(body, ResponseFields.ProjectId);
        judge(Success.Project, project is { ValueKind: JsonValueKind.String } p && UuidText.SameUuid(p.GetString(), projectId) ? null
            : $"project_id is {Raw(project)}, the authenticated project is \"{projectId}\"");
        Timestamps(body, e, judge);
        var display = Path(body, ResponseFields.DisplayName);
        judge(Success.DisplayName, display is { ValueKind: JsonValueKind.String } ? null : $"display_name is {Raw(display)}");
        if (display is { ValueKind: JsonValueKind.String } d)
            judge(Success.DisplayNameNotEmpty, d.GetString()!.Length > 0 ? null : "display_name is the empty string");
        Echo(body, echo, judge);
        return body;
    }

    private void Timestamps(JsonElement body, Exchange e, Action<CheckInfo, string?> judge)
    {
        var createdNode = Path(body, ResponseFields.CreatedAt);
        var updatedNode = Path(body, ResponseFields.UpdatedAt);
        var createdOk = Rfc3339.TryParse(createdNode is { ValueKind: JsonValueKind.String } c ? c.GetString() : null, out var created);
        var updatedOk = Rfc3339.TryParse(updatedNode is { ValueKind: JsonValueKind.String } u ? u.GetString() : null, out var updated);
        string? problem = null;
        if (!createdOk) problem = $"created_at is {Raw(createdNode)}, not an RFC 3339 date-time";
        else if (!updatedOk) problem = $"updated_at is {Raw(updatedNode)}, not an RFC 3339 date-time";
        else if (updated < created) problem = $"updated_at {updated} is earlier than created_at {created}";
        judge(Success.Timestamps, problem);
        if (createdOk)
        {
            var at = created.ToDateTimeOffset();
            var from = e.StartedAt - _clockTolerance;
            var to = e.StartedAt + e.Elapsed + _clockTolerance;
            judge(Success.Clock, at >= from && at <= to ? null
                : $"created_at {created} is {Math.Abs((at - e.StartedAt).TotalMinutes):0.#} minutes from the client's clock ({e.StartedAt:O})");
        }
    }

    private static readonly Dictionary<string, CheckInfo> EchoChecks = new(StringComparer.Ordinal)
    {
        [FieldNames.Username] = Success.EchoUsername,
        [FieldNames.CallerId] = Success.EchoCallerId,
        [FieldNames.SendAs] = Success.EchoSendAs,
        [FieldNames.Encryption] = Success.EchoEncryption,
        [FieldNames.CallHandler] = Success.EchoCallHandler,
        [FieldNames.Ciphers] = Success.EchoCiphers,
        [FieldNames.Codecs] = Success.EchoCodecs,
    };

    private static void Echo(JsonElement body, EchoExpectation echo, Action<CheckInfo, string?> judge)
    {
        var endpoint = Path(body, ResponseFields.SipEndpoint);
        foreach (var (field, expected) in echo.Exact)
        {
            var got = endpoint is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(field, out var v) ? v : (JsonElement?)null;
            judge(EchoChecks[field], got is { ValueKind: JsonValueKind.String } s && string.Equals(s.GetString(), expected, StringComparison.Ordinal) ? null
                : $"sip_endpoint.{field} is {Raw(got)}, the request sent {AnswerTable.Show(expected)}" + (got is { ValueKind: JsonValueKind.String } g ? AnswerTable.Difference(expected, g.GetString()) : ""));
        }
        foreach (var (field, expected) in echo.Sets)
        {
            var got = endpoint is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(field, out var v) ? v : (JsonElement?)null;
            HashSet<string>? values = got is { ValueKind: JsonValueKind.Array } a && a.EnumerateArray().All(i => i.ValueKind == JsonValueKind.String)
                ? a.EnumerateArray().Select(i => i.GetString()!).ToHashSet(StringComparer.Ordinal) : null;
            judge(EchoChecks[field], values is not null && values.SetEquals(expected) ? null
                : $"sip_endpoint.{field} is {Raw(got)}, the request sent the set [{string.Join(", ", expected.Order(StringComparer.Ordinal))}]"
                  + (values is null ? "" : $" (missing: [{string.Join(", ", expected.Except(values))}], extra: [{string.Join(", ", values.Except(expected))}])"));
        }
        if (echo.ResourceRule)
        {
            var got = endpoint is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(FieldNames.CallingHandlerResourceId, out var v) ? v : (JsonElement?)null;
            string? problem = echo.ResourceId is null
                ? got is { ValueKind: JsonValueKind.Null } ? null : $"sip_endpoint.calling_handler_resource_id is {Raw(got)}; call_handler is not resource, so it must be null"
                : got is { ValueKind: JsonValueKind.String } s && UuidText.SameUuid(s.GetString(), echo.ResourceId) ? null
                    : $"sip_endpoint.calling_handler_resource_id is {Raw(got)}, the request sent \"{echo.ResourceId}\"";
            judge(Success.EchoResourceId, problem);
        }
    }

    /// <summary>GET {id} answers the same data the create did (and, for string cases, the exact text).</summary>
    private void ReadBack(JsonElement created, Exchange readBack, Expectation expect, string name, Action<CheckInfo, string?> judge)
    {
        void JudgeRead(CheckInfo check, string? problem) =>
            findings.Judge(check, problem, name + " (read-back)", () => Evidence.Format(redactor, readBack));
        if (!Answered(readBack, name + " (read-back)")) return;
        var r = readBack.Response!;
        if (r.Status != 200 || r.Json is not { ValueKind: JsonValueKind.Object } read)
        {
            JudgeRead(Success.ReadBack, $"GET of the created endpoint answered {StatusText(r)}{(r.Status == 200 ? $" with {r.JsonProblem ?? "a non-object body"}" : "")}");
            return;
        }
        var differences = new List<string>();
        if (Schema(SchemaNames.EndpointResponse, read) is { } schemaProblem) differences.Add(schemaProblem);
        Compare(contract.SchemaObject(SchemaNames.EndpointResponse), created, read, "", differences);
        JudgeRead(Success.ReadBack, differences.Count == 0 ? null : "the read-back differs from the create's answer: " + string.Join("; ", differences));
        if (expect.Condition is not null) JudgeRead(expect.Check, expect.Condition(read) is { } p ? "stored: " + p : null);
    }

    /// <summary>Compares two bodies by the contract schema's properties: UUIDs case-insensitively, date-times by instant, lists as sets.</summary>
    private void Compare(JsonObject schema, JsonElement a, JsonElement b, string prefix, List<string> differences)
    {
        if (schema["properties"] is not JsonObject properties) return;
        foreach (var (property, node) in properties)
        {
            var path = prefix + property;
            var hasA = a.TryGetProperty(property, out var va);
            var hasB = b.TryGetProperty(property, out var vb);
            if (!hasA && !hasB) continue;
            if (hasA != hasB) { differences.Add($"{path} is {(hasA ? "missing from the read-back" : "only in the read-back")}"); continue; }
            var (component, type, format) = contract.Describe((JsonObject)node!);
            bool same;
            if (va.ValueKind == JsonValueKind.String && vb.ValueKind == JsonValueKind.String && format == "uuid")
                same = UuidText.SameUuid(va.GetString(), vb.GetString());
            else if (va.ValueKind == JsonValueKind.String && vb.ValueKind == JsonValueKind.String && format == "date-time")
                same = Rfc3339.TryParse(va.GetString(), out var ta) && Rfc3339.TryParse(vb.GetString(), out var tb) ? ta.SameInstantAtCoarserPrecision(tb) : va.GetString() == vb.GetString();
            else if (va.ValueKind == JsonValueKind.Array && vb.ValueKind == JsonValueKind.Array)
                same = va.EnumerateArray().Select(x => x.GetRawText()).ToHashSet().SetEquals(vb.EnumerateArray().Select(x => x.GetRawText()));
            else if (type == "object" && component is not null && va.ValueKind == JsonValueKind.Object && vb.ValueKind == JsonValueKind.Object)
            {
                Compare(contract.SchemaObject(component), va, vb, path + ".", differences);
                continue;
            }
            else same = JsonElement.DeepEquals(va, vb);
            if (!same) differences.Add($"{path}: create {Raw(va)}, read-back {Raw(vb)}");
        }
    }

    private string? Schema(string schema, JsonElement json)
    {
        var result = contract.Validate(schema, json);
        return result.IsValid ? null : result.ToString();
    }

    private static bool NamesAttribute(JsonElement err, string field) =>
        err.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
        && errors.EnumerateArray().Any(i => i.ValueKind == JsonValueKind.Object && i.TryGetProperty("attribute", out var a)
            && a.ValueKind == JsonValueKind.String && a.GetString() is { } s
            && NamesField(s, field));

    /// <summary>"username", "username[0]", "username.x", "sip_endpoint.username", "/username", "/username/0".</summary>
    private static bool NamesField(string attribute, string field)
    {
        var a = attribute.TrimStart('/');
        return a == field || a.StartsWith(field + ".", StringComparison.Ordinal) || a.StartsWith(field + "[", StringComparison.Ordinal)
            || a.StartsWith(field + "/", StringComparison.Ordinal) || a.EndsWith("." + field, StringComparison.Ordinal) || a.EndsWith("/" + field, StringComparison.Ordinal);
    }

    public static JsonElement? Path(JsonElement e, params string[] path)
    {
        foreach (var p in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e)) return null;
        }
        return e;
    }

    public static string Raw(JsonElement? e)
    {
        if (e is null) return "absent";
        var text = e.Value.GetRawText();
        return text.Length <= 160 ? text : text[..150] + "...";
    }

    public static string StatusText(ResponseRecord r) =>
        r.Status is >= 300 and < 400 && r.Header("Location") is { } loc ? $"{r.Status} (redirect to {loc}; the suite does not follow redirects)" : r.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
