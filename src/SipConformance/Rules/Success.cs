using SipConformance.Generation;
using System.Text.Json;
using SipConformance.Cases;
using SipConformance.Contract;
using SipConformance.Rules.Observations;
using SipConformance.Target;
using static SipConformance.Rules.JsonText;

namespace SipConformance.Rules;

/// <summary>The contract's "Success (200)": the answer to a valid create (docs/RULES.md, CREATE-OK).</summary>
public static class Success
{
    public static readonly Section Section = new("OK", "success", "Success (200)");

    /// <summary>How far created_at may be from the client's clock (the SHOULD of CREATE-OK-008).</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    public static readonly CaseRule Status = new("CREATE-OK-001", Level.Must,
        "A valid payload is answered 200 (or 422, only for text beyond the baseline)",
        "MUST: status 200 (the description says 200, not 201); MUST 200 for the baseline every server must accept, everything else in a string may be refused with 422",
        allows: c => PlainText(c) ? [Statuses.Ok] : [Statuses.Ok, Statuses.Unprocessable],
        source: "every valid payload: the combination rows, the valid requests of the other sections, the generated samples");

    public static readonly Rule<CreateSeen> ContentType = Body("CREATE-OK-002",
        "The 200 answer is application/json", "MUST: Content-Type application/json (a charset parameter is fine)",
        o => o.JudgedAsSuccess, o => o.Response.MediaType == SipApi.JsonContentType ? null : $"Content-Type is {o.Response.ContentType ?? "absent"}");

    public static readonly Rule<CreateSeen> Schema = Body("CREATE-OK-003",
        "The 200 body validates against FabricSipEndpointResponse", "MUST: the body validates against FabricSipEndpointResponse as a JSON Schema 2020-12 document; extra properties are allowed",
        o => o.JudgedAsSuccess,
        o => o.Response.Json is not { ValueKind: JsonValueKind.Object } body
            ? o.Response.Json is null ? o.Response.JsonProblem : $"the body is a JSON {o.Response.Json.Value.ValueKind}, not an object"
            : Validate(o.Contract, o.Contract.EndpointResponseSchema, body)).Only(ContractRevisions.March2026);

    /// <summary>2026-08-21: the flat answer (the endpoint's fields at the top level, no sip_endpoint object).</summary>
    public static readonly Rule<CreateSeen> FlatSchema = Body("CREATE-OK-011",
        "The 200 body validates against SipEndpointResponse (flat)",
        "MUST (2026-08-21): the 200 body validates against SipEndpointResponse (flat: the endpoint's fields at the top level, no sip_endpoint object). It has no project_id, display_name, created_at or updated_at.",
        o => o.JudgedAsSuccess,
        o => o.Response.Json is not { ValueKind: JsonValueKind.Object } body
            ? o.Response.Json is null ? o.Response.JsonProblem : $"the body is a JSON {o.Response.Json.Value.ValueKind}, not an object"
            : Validate(o.Contract, o.Contract.EndpointResponseSchema, body)).Only(ContractRevisions.August2026);

    public static readonly Rule<CreateSeen> Type = Body("CREATE-OK-004",
        "type is sip_endpoint", "MUST: type is sip_endpoint",
        o => o.SuccessBody is not null,
        o => Path(o.SuccessBody!.Value, ResponseFields.Type) is var t && t is { ValueKind: JsonValueKind.String } s && s.GetString() == o.Contract.ResourceType
            ? null : $"type is {Raw(t)}, expected \"{o.Contract.ResourceType}\"");

    private static readonly string[][] UuidPaths = [[ResponseFields.Id], [ResponseFields.ProjectId], [ResponseFields.SipEndpoint, FieldNames.Id]];

    public static readonly Rule<CreateSeen> Uuids = Body("CREATE-OK-005",
        "id, project_id and sip_endpoint.id are UUIDs", "MUST: id, project_id, sip_endpoint.id are UUIDs",
        o => o.SuccessBody is not null,
        o => UuidPaths.Where(p => Path(o.SuccessBody!.Value, p) is not { ValueKind: JsonValueKind.String } v || !UuidText.IsValid(v.GetString()))
                .Select(p => $"{string.Join('.', p)} is {Raw(Path(o.SuccessBody!.Value, p))}").ToList() is { Count: > 0 } bad
            ? string.Join("; ", bad) + " (not a UUID)" : null).Only(ContractRevisions.March2026);

    public static readonly Rule<CreateSeen> FlatUuid = Body("CREATE-OK-012",
        "id is a UUID", "MUST (2026-08-21): type is sip_endpoint; id is a UUID",
        o => o.SuccessBody is not null,
        o => Path(o.SuccessBody!.Value, ResponseFields.Id) is { ValueKind: JsonValueKind.String } v && UuidText.IsValid(v.GetString()) ? null
            : $"id is {Raw(Path(o.SuccessBody!.Value, ResponseFields.Id))} (not a UUID)").Only(ContractRevisions.August2026);

    public static readonly Rule<CreateSeen> Project = Body("CREATE-OK-006",
        "project_id is the authenticated project", "MUST: project_id is the authenticated project",
        o => o.SuccessBody is not null,
        o => Path(o.SuccessBody!.Value, ResponseFields.ProjectId) is var p && p is { ValueKind: JsonValueKind.String } s && UuidText.SameUuid(s.GetString(), o.Case.Project.ProjectId)
            ? null : $"project_id is {Raw(p)}, the authenticated project is \"{o.Case.Project.ProjectId}\"").Only(ContractRevisions.March2026);

    public static readonly Rule<CreateSeen> Timestamps = Body("CREATE-OK-007",
        "created_at and updated_at are RFC 3339 and updated_at >= created_at", "MUST: created_at, updated_at are RFC 3339 date-times and updated_at >= created_at",
        o => o.SuccessBody is not null,
        o =>
        {
            var created = Path(o.SuccessBody!.Value, ResponseFields.CreatedAt);
            var updated = Path(o.SuccessBody!.Value, ResponseFields.UpdatedAt);
            if (!Time(created, out var c)) return $"created_at is {Raw(created)}, not an RFC 3339 date-time";
            if (!Time(updated, out var u)) return $"updated_at is {Raw(updated)}, not an RFC 3339 date-time";
            return u < c ? $"updated_at {u} is earlier than created_at {c}" : null;
        }).Only(ContractRevisions.March2026);

    public static readonly Rule<CreateSeen> Clock = new Rule<CreateSeen>("CREATE-OK-008", Level.Should,
        "created_at is within 5 minutes of the client's clock", "SHOULD: created_at is within 5 minutes of the client's clock",
        o => o.SuccessBody is { } b && Time(Path(b, ResponseFields.CreatedAt), out _),
        o =>
        {
            Time(Path(o.SuccessBody!.Value, ResponseFields.CreatedAt), out var created);
            var at = created.ToDateTimeOffset();
            var sent = o.Create.StartedAt;
            return at >= sent - ClockTolerance && at <= sent + o.Create.Elapsed + ClockTolerance ? null
                : $"created_at {created} is {Math.Abs((at - sent).TotalMinutes):0.#} minutes from the client's clock ({sent:O})";
        }).Only(ContractRevisions.March2026);

    public static readonly Rule<CreateSeen> DisplayName = Body("CREATE-OK-009",
        "display_name is a string", "MUST: display_name is a string",
        o => o.SuccessBody is not null,
        o => Path(o.SuccessBody!.Value, ResponseFields.DisplayName) is var d && d is { ValueKind: JsonValueKind.String } ? null : $"display_name is {Raw(d)}").Only(ContractRevisions.March2026);

    public static readonly Rule<CreateSeen> DisplayNameNotEmpty = new Rule<CreateSeen>("CREATE-OK-010", Level.Should,
        "display_name is not empty", "SHOULD: it (display_name) is not empty",
        o => o.SuccessBody is { } b && Path(b, ResponseFields.DisplayName) is { ValueKind: JsonValueKind.String },
        o => Path(o.SuccessBody!.Value, ResponseFields.DisplayName)!.Value.GetString()!.Length > 0 ? null : "display_name is the empty string").Only(ContractRevisions.March2026);

    /// <summary>Text any server must store as sent: printable ASCII in every string field (other text may be refused with 422: the string rule).</summary>
    /// <summary>The payload's text is inside the baseline every server must take: username and send_as of 1 to 32 of a-z, 0-9 and _, caller_id an E.164 number.</summary>
    private static bool PlainText(CreateCase c) => PlainText(c, except: null);

    /// <summary>The same, for every text field but <paramref name="except"/> (the one a case varies).</summary>
    internal static bool PlainText(CreateCase c, string? except) =>
        c.Payload is not System.Text.Json.Nodes.JsonObject p
        || (new[] { FieldNames.Username, FieldNames.SendAs }.Where(f => f != except).All(f => EchoExpectation.AsString(p[f]) is not { } s || PayloadFactory.IsBaselineName(s))
            && (except == FieldNames.CallerId || EchoExpectation.AsString(p[FieldNames.CallerId]) is not { } caller || IsE164(caller)));

    private static bool IsE164(string s) => s.Length is >= 9 and <= 16 && s[0] == '+' && s.Skip(1).All(char.IsAsciiDigit);

    private static bool Time(JsonElement? node, out Rfc3339 value) =>
        Rfc3339.TryParse(node is { ValueKind: JsonValueKind.String } s ? s.GetString() : null, out value);

    /// <summary>The schema's verdict as a problem (null: valid).</summary>
    internal static string? Validate(SipContract contract, string schema, JsonElement json) =>
        contract.Validate(schema, json) is { IsValid: false } result ? result.ToString() : null;

    private static Rule<CreateSeen> Body(string id, string title, string clause, Func<CreateSeen, bool> applies, Func<CreateSeen, string?> problem) =>
        new(id, Level.Must, title, clause, applies, problem);
}
