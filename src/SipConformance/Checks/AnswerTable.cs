using System.Text.Json;
using System.Text.Json.Nodes;
using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.Target;

namespace SipConformance.Checks;

/// <summary>
/// The one table of allowed answers, mirroring shared/contract-decisions.md line by line. Every
/// request case the suite sends gets its expectation here; no test carries its own literals.
/// </summary>
public sealed class AnswerTable(SipContract contract)
{
    // contract-decisions.md, "Validation failures (422)": which missing fields are MUST, SHOULD or either.
    private static readonly HashSet<string> MustWhenMissing = [FieldNames.Username, FieldNames.Ciphers, FieldNames.Codecs, FieldNames.CallHandler];
    private static readonly HashSet<string> ShouldWhenMissing = [FieldNames.Id, FieldNames.CallerId, FieldNames.SendAs, FieldNames.CallingHandlerResourceId];
    private static readonly HashSet<string> EitherWhenMissing = [FieldNames.Encryption];

    private static readonly int[] Ok = [200];
    private static readonly int[] Unprocessable = [422];
    private static readonly int[] OkOrUnprocessable = [200, 422];

    public SipContract Contract => contract;

    /// <summary>A valid payload: 200 with an exact echo.</summary>
    public Expectation Accepted(JsonNode payload, CheckInfo? check = null) =>
        new(check ?? Success.Status, Ok, EchoExpectation.From(contract, payload));

    /// <summary>A payload with one violation.</summary>
    public Expectation For(Mutation m)
    {
        var echo = EchoExpectation.From(contract, m.Payload);
        var resource = m.CallHandler == CallHandlerValues.Resource;
        Expectation Reject(CheckInfo check) => new(check, Unprocessable, check.Level == Level.Should ? echo : null, m.Field);
        Expectation Either(CheckInfo check, Func<JsonElement, string?>? condition = null) => new(check, OkOrUnprocessable, echo, m.Field, condition);

        return m.Kind switch
        {
            ViolationKind.Missing when m.Field == FieldNames.CallingHandlerResourceId && resource => Reject(CallHandler.ResourceIdMissing),
            ViolationKind.Missing when MustWhenMissing.Contains(m.Field) => Reject(Validation.MissingRequired),
            ViolationKind.Missing when ShouldWhenMissing.Contains(m.Field) => Reject(Validation.MissingMarkedRequired),
            ViolationKind.Missing when EitherWhenMissing.Contains(m.Field) => Either(Validation.EncryptionMissing,
                body => Field(body, m.Field) is var v && v == contract.Field(m.Field).Default ? null : $"{m.Field} was missing; a 200 must store the default \"{contract.Field(m.Field).Default}\", it holds {Show(v)}"),
            ViolationKind.Null when m.Field == FieldNames.CallingHandlerResourceId && resource => Reject(CallHandler.ResourceIdNull),
            ViolationKind.Null => Reject(Validation.Null),
            ViolationKind.WrongType => Reject(Validation.WrongType),
            ViolationKind.MalformedUuid when m.Field == FieldNames.CallingHandlerResourceId && resource => Reject(CallHandler.ResourceIdMalformed),
            ViolationKind.MalformedUuid => Reject(Validation.MalformedUuid),
            ViolationKind.UnknownEnum => Reject(Validation.UnknownEnum),
            ViolationKind.UnknownEnumItem or ViolationKind.WrongTypeItem => Reject(Validation.UnknownEnumItem),
            ViolationKind.EmptyString when m.Field == FieldNames.Username => Reject(Validation.EmptyUsername),
            ViolationKind.EmptyString => StringFidelity(Validation.EdgeText, m.Field, "", m.Payload),
            ViolationKind.Duplicates => Either(Validation.Duplicates, body => DistinctList(body, m.Field)),
            ViolationKind.EmptyList => Either(Validation.EmptyList),
            ViolationKind.ExtraProperty => Either(Validation.ExtraProperty),
            ViolationKind.NonResourceWithId => Either(CallHandler.IdWithoutResource,
                body => Field(body, FieldNames.CallingHandlerResourceId) is null && IsNull(body, FieldNames.CallingHandlerResourceId) ? null
                    : $"call_handler is {m.CallHandler}; a 200 must hold calling_handler_resource_id null, it holds {Show(Field(body, FieldNames.CallingHandlerResourceId))}"),
            ViolationKind.UnknownResource => new Expectation(CallHandler.UnknownResource, [404, 422], null, m.Field),
            _ => throw new ArgumentOutOfRangeException(nameof(m), m.Kind, "no row of the answer table"),
        };
    }

    /// <summary>A string field holding <paramref name="text"/>: 200 with that exact text (echoed and stored), or 422.</summary>
    public Expectation StringFidelity(CheckInfo check, string field, string text, JsonNode payload) =>
        new(check, OkOrUnprocessable, EchoExpectation.From(contract, payload), field,
            body => Field(body, field) is var v && string.Equals(v, text, StringComparison.Ordinal) ? null
                : $"sent {field} {Show(text)}, got {Show(v)}{Difference(text, v)}");

    /// <summary>Credentials the contract rejects: 401.</summary>
    public static Expectation Unauthorized(CheckInfo check) => new(check, [401], null);

    /// <summary>The lower-case scheme name: SHOULD work (200, with the exact echo).</summary>
    public Expectation LowerCaseScheme(JsonNode payload) => new(Authentication.LowerCaseScheme, Ok, EchoExpectation.From(contract, payload));

    public static Expectation MalformedJson() => new(Transport.MalformedJson, [400, 422], null);
    public static Expectation NotAnObject() => new(Validation.NotAnObject, [400, 422], null);
    public static Expectation NonJsonContentType() => new(Transport.NonJsonContentType, [415, 400, 422], null);

    /// <summary>"200 with the set": the stored list holds each value once.</summary>
    private static string? DistinctList(JsonElement body, string field)
    {
        if (!body.TryGetProperty(ResponseFields.SipEndpoint, out var se) || se.ValueKind != JsonValueKind.Object
            || !se.TryGetProperty(field, out var list) || list.ValueKind != JsonValueKind.Array) return $"sip_endpoint.{field} is not a list";
        var values = list.EnumerateArray().Select(v => v.GetRawText()).ToList();
        return values.Count == values.Distinct().Count() ? null : $"duplicates were sent; a 200 must hold the set, sip_endpoint.{field} is {list.GetRawText()}";
    }

    private static string? Field(JsonElement body, string field) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(ResponseFields.SipEndpoint, out var se) && se.ValueKind == JsonValueKind.Object
        && se.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool IsNull(JsonElement body, string field) =>
        body.TryGetProperty(ResponseFields.SipEndpoint, out var se) && se.ValueKind == JsonValueKind.Object
        && se.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Null;

    /// <summary>A string shown as JSON (escapes make invisible differences visible), clipped.</summary>
    public static string Show(string? s)
    {
        if (s is null) return "nothing (absent, null or not a string)";
        var json = JsonSerializer.Serialize(s);
        return json.Length <= 160 ? json : $"{json[..150]}...\" ({s.Length} UTF-16 units)";
    }

    /// <summary>Where two strings part, for truncation and re-encoding reports.</summary>
    public static string Difference(string sent, string? got)
    {
        if (got is null) return "";
        if (got.Length < sent.Length && sent.StartsWith(got, StringComparison.Ordinal))
            return $" (truncated: {sent.Length} -> {got.Length} UTF-16 units)";
        var i = 0;
        while (i < sent.Length && i < got.Length && sent[i] == got[i]) i++;
        return $" (first difference at UTF-16 unit {i}: sent U+{(i < sent.Length ? ((int)sent[i]).ToString("X4") : "end")}, got U+{(i < got.Length ? ((int)got[i]).ToString("X4") : "end")})";
    }
}
