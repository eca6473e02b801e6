using System.Text.Json;
using SipConformance.Contract;
using SipConformance.Rules.Observations;
using static SipConformance.Rules.JsonText;

namespace SipConformance.Rules;

/// <summary>The contract's "Success (200)", its echo clauses: sip_endpoint holds what the request sent (docs/RULES.md, CREATE-ECHO).</summary>
public static class Echo
{
    public static readonly Section Section = new("ECHO", "echo", "Success (200): the echo");

    private const string ExactClause = "MUST: sip_endpoint echoes the request: username, caller_id, send_as, encryption, call_handler equal, byte for byte";
    private const string SetClause = "MUST: ciphers and codecs hold the same set of values (order is free)";

    private const string FlatClause = "MUST (2026-08-21): the echo rules apply to the top-level fields (username, caller_id, send_as, encryption exact; ciphers, codecs as sets; calling_handler_resource_id as above)";

    public static readonly Rule<CreateSeen> Username = Exact("CREATE-ECHO-001", FieldNames.Username);
    public static readonly Rule<CreateSeen> CallerId = Exact("CREATE-ECHO-002", FieldNames.CallerId);
    public static readonly Rule<CreateSeen> SendAs = Exact("CREATE-ECHO-003", FieldNames.SendAs);
    public static readonly Rule<CreateSeen> Encryption = Exact("CREATE-ECHO-004", FieldNames.Encryption);
    /// <summary>2026-03-18 only: under 2026-08-21 the answer's call_handler is an "either" (<see cref="CallHandlerEither"/>).</summary>
    public static readonly Rule<CreateSeen> CallHandler = Exact("CREATE-ECHO-005", FieldNames.CallHandler).Only(ContractRevisions.March2026);
    public static readonly Rule<CreateSeen> Ciphers = Set("CREATE-ECHO-006", FieldNames.Ciphers);
    public static readonly Rule<CreateSeen> Codecs = Set("CREATE-ECHO-007", FieldNames.Codecs);

    public static readonly Rule<CreateSeen> ResourceId = new Rule<CreateSeen>("CREATE-ECHO-008", Level.Must,
        "calling_handler_resource_id is the requested id for resource, null otherwise",
        "MUST: sip_endpoint.calling_handler_resource_id equals the requested id when call_handler is resource, and is null otherwise. UUIDs compare case-insensitively (RFC 9562)",
        o => o.SuccessBody is not null && o.Case.Echo!.CallHandlerSent,
        o =>
        {
            var got = Endpoint(o.Contract, o.SuccessBody!.Value, FieldNames.CallingHandlerResourceId);
            var at = o.Contract.EndpointPath(FieldNames.CallingHandlerResourceId);
            var wanted = o.Case.Echo!.ResourceId;
            if (wanted is null)
                return got is { ValueKind: JsonValueKind.Null } ? null : $"{at} is {Raw(got)}; call_handler is not resource, so it must be null";
            return got is { ValueKind: JsonValueKind.String } s && UuidText.SameUuid(s.GetString(), wanted) ? null
                : $"{at} is {Raw(got)}, the request sent \"{wanted}\"";
        }).Under(ContractRevisions.August2026, FlatClause);

    /// <summary>
    /// 2026-08-21: the answer's call_handler. The description uses one name for two things (the request's
    /// outbound CallHandlerType, the answer's inbound SipEndpointCallHandler), so the requested value, null
    /// or an inbound handler all pass; anything else fails. Our contract file's schema accepts the request's
    /// enum in that one property for the same reason.
    /// </summary>
    public static readonly Rule<CreateSeen> CallHandlerEither = new Rule<CreateSeen>("CREATE-ECHO-009", Level.Either,
        "call_handler in the answer is the requested value, null, or an inbound handler",
        "Either (2026-08-21): call_handler in the answer. The description uses one name for two things: the request's enum says how outbound calls are handled, the response's (SipEndpointCallHandler) names an inbound handler or null. An answer holding the requested value, null, or a value of the response's enum passes; anything else fails.",
        o => o.SuccessBody is not null && o.Case.Echo!.Exact.ContainsKey(FieldNames.CallHandler),
        o =>
        {
            var expected = o.Case.Echo!.Exact[FieldNames.CallHandler];
            var got = Endpoint(o.Contract, o.SuccessBody!.Value, FieldNames.CallHandler);
            if (got is { ValueKind: JsonValueKind.Null }) return null;
            if (got is { ValueKind: JsonValueKind.String } s && (string.Equals(s.GetString(), expected, StringComparison.Ordinal) || o.Contract.InboundCallHandlers.Contains(s.GetString()!)))
                return null;
            return $"{o.Contract.EndpointPath(FieldNames.CallHandler)} is {Raw(got)}: neither the requested {Show(expected)}, nor null, nor one of the answer's inbound handlers ({string.Join(", ", o.Contract.InboundCallHandlers)})";
        }).Only(ContractRevisions.August2026);

    private static Rule<CreateSeen> Exact(string id, string field) => new Rule<CreateSeen>(id, Level.Must,
        $"sip_endpoint.{field} echoes the request byte for byte", ExactClause,
        o => o.SuccessBody is not null && o.Case.Echo!.Exact.ContainsKey(field),
        o =>
        {
            var expected = o.Case.Echo!.Exact[field];
            var got = Endpoint(o.Contract, o.SuccessBody!.Value, field);
            return got is { ValueKind: JsonValueKind.String } s && string.Equals(s.GetString(), expected, StringComparison.Ordinal) ? null
                : $"{o.Contract.EndpointPath(field)} is {Raw(got)}, the request sent {Show(expected)}" + (got is { ValueKind: JsonValueKind.String } g ? Difference(expected, g.GetString()) : "");
        }).Under(ContractRevisions.August2026, FlatClause);

    private static Rule<CreateSeen> Set(string id, string field) => new Rule<CreateSeen>(id, Level.Must,
        $"sip_endpoint.{field} holds the requested set", SetClause,
        o => o.SuccessBody is not null && o.Case.Echo!.Sets.ContainsKey(field),
        o =>
        {
            var expected = o.Case.Echo!.Sets[field];
            var got = Endpoint(o.Contract, o.SuccessBody!.Value, field);
            HashSet<string>? values = got is { ValueKind: JsonValueKind.Array } a && a.EnumerateArray().All(i => i.ValueKind == JsonValueKind.String)
                ? a.EnumerateArray().Select(i => i.GetString()!).ToHashSet(StringComparer.Ordinal) : null;
            return values is not null && values.SetEquals(expected) ? null
                : $"{o.Contract.EndpointPath(field)} is {Raw(got)}, the request sent the set [{string.Join(", ", expected.Order(StringComparer.Ordinal))}]"
                  + (values is null ? "" : $" (missing: [{string.Join(", ", expected.Except(values))}], extra: [{string.Join(", ", values.Except(expected))}])");
        }).Under(ContractRevisions.August2026, FlatClause);
}
