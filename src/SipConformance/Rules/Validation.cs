using System.Text.Json;
using SipConformance.Cases;
using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.Rules.Observations;
using static SipConformance.Rules.JsonText;

namespace SipConformance.Rules;

/// <summary>
/// The contract's "Validation failures (422)": which one-violation payloads are refused, at which
/// level, and what a 422 carries (docs/RULES.md, CREATE-VAL). Each rule owns the mutations of
/// <see cref="Mutations"/> it judges.
/// </summary>
public static class Validation
{
    public static readonly Section Section = new("VAL", "validation", "Validation failures (422)");

    // Which missing fields are MUST, SHOULD or either.
    private static readonly HashSet<string> MustWhenMissing = [FieldNames.Username, FieldNames.Ciphers, FieldNames.Codecs, FieldNames.CallHandler];
    private static readonly HashSet<string> ShouldWhenMissing = [FieldNames.Id, FieldNames.CallerId, FieldNames.SendAs, FieldNames.CallingHandlerResourceId];

    private static readonly int[] Refused = [Statuses.Unprocessable];
    private static readonly int[] EitherWay = [Statuses.Ok, Statuses.Unprocessable];
    private static readonly int[] NotAnObjectAnswers = [Statuses.BadRequest, Statuses.Unprocessable];

    /// <summary>The mutation concerns calling_handler_resource_id with call_handler resource (a CREATE-HANDLER rule's, not this section's).</summary>
    internal static bool ResourceIdOfResource(Mutation m) => m.Field == FieldNames.CallingHandlerResourceId && m.CallHandler == CallHandlerValues.Resource;

    public static readonly CaseRule MissingRequired = new("CREATE-VAL-001", Level.Must,
        "username, ciphers, codecs or call_handler missing is 422", "MUST 422: username, ciphers, codecs or call_handler missing",
        Refused, owns: m => m.Kind == ViolationKind.Missing && MustWhenMissing.Contains(m.Field));

    public static readonly CaseRule WrongType = new("CREATE-VAL-002", Level.Must,
        "a field of the wrong JSON type is 422", "MUST 422: a field of the wrong JSON type",
        Refused, owns: m => m.Kind == ViolationKind.WrongType);

    public static readonly CaseRule Null = new("CREATE-VAL-003", Level.Must,
        "null where the schema does not allow it is 422", "null counts as a wrong JSON type for every field whose schema does not allow it (all but calling_handler_resource_id): MUST 422",
        Refused, owns: m => m.Kind == ViolationKind.Null && !ResourceIdOfResource(m));

    public static readonly CaseRule UnknownEnum = new("CREATE-VAL-004", Level.Must,
        "a value outside its enum is 422", "MUST 422: a value outside its enum",
        Refused, owns: m => m.Kind == ViolationKind.UnknownEnum);

    public static readonly CaseRule UnknownEnumItem = new("CREATE-VAL-005", Level.Must,
        "an item outside its enum in ciphers/codecs is 422", "MUST 422: a value outside its enum (also inside ciphers/codecs)",
        Refused, owns: m => m.Kind is ViolationKind.UnknownEnumItem or ViolationKind.WrongTypeItem);

    public static readonly CaseRule MalformedUuid = new("CREATE-VAL-006", Level.Must,
        "a malformed UUID is 422", "MUST 422: a malformed UUID",
        Refused, owns: m => m.Kind == ViolationKind.MalformedUuid && !ResourceIdOfResource(m));

    public static readonly Rule<CreateSeen> ErrorBody = new("CREATE-VAL-007", Level.Must,
        "a 422 body validates against ResourceSipEndpointCreateStatusCode422", "MUST: status 422 and a body that validates against ResourceSipEndpointCreateStatusCode422 (errors: [{type, code, message, attribute?, url}])",
        o => o.Status == Statuses.Unprocessable,
        o => o.Response.Json is { } json ? Success.Validate(o.Contract, SchemaNames.ValidationError, json) : o.Response.JsonProblem);

    public static readonly Rule<CreateSeen> Attribute = new("CREATE-VAL-008", Level.Should,
        "one error's attribute names the offending field", "SHOULD: one error's attribute names the offending field",
        // Judged where the rest of the payload's text is inside the baseline: a 422 may otherwise name text the server may refuse.
        o => o.Status == Statuses.Unprocessable && o.Case.Field is not null && o.Response.Json is { ValueKind: JsonValueKind.Object } && Success.PlainText(o.Case, o.Case.Field),
        o => NamesAttribute(o.Response.Json!.Value, o.Case.Field!) ? null : $"no item of {ErrorFields.Errors} has {ErrorFields.Attribute} \"{o.Case.Field}\"");

    public static readonly CaseRule MissingMarkedRequired = new("CREATE-VAL-009", Level.Should,
        "id, caller_id, send_as or calling_handler_resource_id missing is 422", "SHOULD 422: id, caller_id, send_as or calling_handler_resource_id missing (marked required, though a create call rarely needs them)",
        Refused, owns: m => m.Kind == ViolationKind.Missing && ShouldWhenMissing.Contains(m.Field) && !ResourceIdOfResource(m));

    public static readonly CaseRule EmptyUsername = new("CREATE-VAL-010", Level.Should,
        "an empty username is 422", "SHOULD 422: username empty",
        Refused, owns: m => m.Kind == ViolationKind.EmptyString && m.Field == FieldNames.Username);

    public static readonly CaseRule NotAnObject = new("CREATE-VAL-011", Level.Either,
        "valid JSON that is not an object is 400 or 422", "Either: a body that is valid JSON but not an object (400 or 422)",
        NotAnObjectAnswers, stimuli: _ =>
        [
            Body("an array", "[]"), Body("a string", "\"text\""), Body("a number", "42"), Body("null", "null"), Body("true", "true"),
            new Stimulus("valid JSON that is not an object: a valid payload inside an array", b => b.WithBody(Utf8($"[{b.Payload!.ToJsonString(Target.SipApi.PayloadJson)}]"))),
        ]);

    public static readonly CaseRule ExtraProperty = new("CREATE-VAL-012", Level.Either,
        "an unknown extra property is ignored (200) or 422", "Either: an unknown extra property (200, ignoring it, or 422)",
        EitherWay, owns: m => m.Kind == ViolationKind.ExtraProperty);

    public static readonly CaseRule EncryptionMissing = new("CREATE-VAL-013", Level.Either,
        "encryption missing is 422, or 200 with encryption default", "Either: encryption missing (422, or 200 with encryption: default)",
        EitherWay,
        condition: (body, _, contract) => EndpointString(contract, body, FieldNames.Encryption) is var v && v == contract.Field(FieldNames.Encryption).Default ? null
            : $"{FieldNames.Encryption} was missing; a 200 must store the default \"{contract.Field(FieldNames.Encryption).Default}\", it holds {Show(v)}",
        owns: m => m.Kind == ViolationKind.Missing && m.Field == FieldNames.Encryption);

    public static readonly CaseRule EmptyList = new("CREATE-VAL-014", Level.Either,
        "empty ciphers or codecs is 422 or 200", "Either: ciphers or codecs empty (422 or 200)",
        EitherWay, owns: m => m.Kind == ViolationKind.EmptyList);

    public static readonly CaseRule Duplicates = new("CREATE-VAL-015", Level.Either,
        "duplicate list values are 422, or 200 with the set", "Either: duplicate values in them (422, or 200 with the set)",
        EitherWay, condition: (body, c, contract) => DistinctList(contract, body, c.Field!), owns: m => m.Kind == ViolationKind.Duplicates);

    public static readonly ManyRule<RejectionsSeen> RejectedCreatesNothing = new("CREATE-VAL-016", Level.Must,
        "a create rejected with 4xx creates nothing", "MUST: a rejected request creates nothing", CreatedNothing);

    public static readonly CaseRule ResponseProperty = new CaseRule("CREATE-VAL-017", Level.Either,
        "a response-only property sent in a create is ignored (200) or 422, never honoured",
        "Properties that the response defines but the create request does not (project_id, type, display_name, created_at, updated_at) are unknown extra properties when a client sends them: ignored (the answer still carries the authenticated project and the server's own values) or 422. A server that honours one fails.",
        EitherWay, condition: (body, c, _) => Honoured(body, c), owns: m => m.Kind == ViolationKind.ResponseProperty)
        .Under(ContractRevisions.August2026, "Properties that the response defines but the create request does not (in 2026-08-21 of those the rules name: type) are unknown extra properties when a client sends them: ignored or 422. A server that honours one fails.");

    public static readonly CaseRule DuplicateUsername = new("CREATE-VAL-018", Level.Either,
        "a username that already exists is 200, 409 or 422", "Either: a username that already exists in the project: 200 (a second endpoint), 409 or 422. Never a 5xx.",
        [Statuses.Ok, Statuses.Conflict, Statuses.Unprocessable],
        source: "the lifecycle probe: a second create with the username of an endpoint the project holds");

    /// <summary>The answer took the value the client sent for a response-only property.</summary>
    private static string? Honoured(JsonElement body, CreateCase c)
    {
        var sent = EchoExpectation.AsString((c.Payload as System.Text.Json.Nodes.JsonObject)?[c.Field!]);
        var got = Path(body, c.Field!) is { ValueKind: JsonValueKind.String } g ? g.GetString() : null;
        var same = c.Field == ResponseFields.ProjectId ? UuidText.SameUuid(got, sent)
            : Rfc3339.TryParse(sent, out var s) && Rfc3339.TryParse(got, out var t) ? s.SameInstantAtCoarserPrecision(t)
            : string.Equals(got, sent, StringComparison.Ordinal);
        return same ? $"sent {c.Field} {Show(sent)}, and the answer holds it: the server honoured a property only it may set" : null;
    }

    /// <summary>
    /// A rejected request creates nothing: none of the rejected cases' usernames may show up in the
    /// project's list (read after the rejections). One verdict per rejected case.
    /// </summary>
    internal static void CreatedNothing(RejectionsSeen o, Verdicts v)
    {
        if (o.For != v.Rule) return;
        if (!o.List.Complete)
        {
            // A page not answered at all (a timeout, a 429 never cleared, a run cut short by its budget) is the transport
            // rules' to judge: it shows nothing about what the rejected requests created.
            if (o.List.Pages.LastOrDefault() is { } last && !Answered(last)) return;
            v.Breaks($"could not read the project's list to look for what rejected requests created: {o.List.Problem}");
            return;
        }
        var byName = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var item in o.List.Items)
            if (EndpointString(o.Contract, item, FieldNames.Username) is { } u) byName.TryAdd(u, item);
        foreach (var (c, e) in o.Rejected)
        {
            if (c.Username is not { Length: > 0 } username) continue;
            if (byName.TryGetValue(username, out var item))
                v.Breaks($"answered {StatusText(e.Response!)} yet the list now holds an endpoint with its username {Show(username)} (id {Path(item, ResponseFields.Id)})",
                    c.Describe(), e);
            else v.Holds();
        }
    }

    /// <summary>"200 with the set": the stored list holds each value once.</summary>
    private static string? DistinctList(SipContract contract, JsonElement body, string field)
    {
        if (Endpoint(contract, body, field) is not { ValueKind: JsonValueKind.Array } list) return $"{contract.EndpointPath(field)} is not a list";
        var values = list.EnumerateArray().Select(v => v.GetRawText()).ToList();
        return values.Count == values.Distinct().Count() ? null : $"duplicates were sent; a 200 must hold the set, {contract.EndpointPath(field)} is {list.GetRawText()}";
    }

    private static bool NamesAttribute(JsonElement err, string field) =>
        err.TryGetProperty(ErrorFields.Errors, out var errors) && errors.ValueKind == JsonValueKind.Array
        && errors.EnumerateArray().Any(i => i.ValueKind == JsonValueKind.Object && i.TryGetProperty(ErrorFields.Attribute, out var a)
            && a.ValueKind == JsonValueKind.String && a.GetString() is { } s && NamesField(s, field));

    /// <summary>"username", "username[0]", "username.x", "sip_endpoint.username", "/username", "/username/0".</summary>
    private static bool NamesField(string attribute, string field)
    {
        var a = attribute.TrimStart('/');
        return a == field || a.StartsWith(field + ".", StringComparison.Ordinal) || a.StartsWith(field + "[", StringComparison.Ordinal)
            || a.StartsWith(field + "/", StringComparison.Ordinal) || a.EndsWith("." + field, StringComparison.Ordinal) || a.EndsWith("/" + field, StringComparison.Ordinal);
    }

    internal static byte[] Utf8(string s) => System.Text.Encoding.UTF8.GetBytes(s);

    private static Stimulus Body(string name, string json) => new($"valid JSON that is not an object: {name}", b => b.WithBody(Utf8(json)));
}
