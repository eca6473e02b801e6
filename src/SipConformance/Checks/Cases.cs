using System.Text.Json;
using System.Text.Json.Nodes;
using SipConformance.Contract;
using SipConformance.Target;

namespace SipConformance.Checks;

/// <summary>
/// What a 200 must echo for a given request, derived from the request by the contract's rules:
/// strings and single enums exactly, lists as sets, a missing field with a schema default as
/// that default, calling_handler_resource_id as the requested id for resource and null otherwise.
/// </summary>
public sealed record EchoExpectation(
    IReadOnlyDictionary<string, string> Exact,
    IReadOnlyDictionary<string, IReadOnlySet<string>> Sets,
    bool ResourceRule,
    string? ResourceId)
{
    public static EchoExpectation From(SipContract contract, JsonNode? payload)
    {
        var exact = new Dictionary<string, string>(StringComparer.Ordinal);
        var sets = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var obj = payload as JsonObject;
        foreach (var field in contract.CreateFields)
        {
            var node = obj?[field.Name];
            switch (field.Kind)
            {
                case FieldKind.String or FieldKind.Enum:
                    if (AsString(node) is { } s) exact[field.Name] = s;
                    else if (obj is not null && !obj.ContainsKey(field.Name) && field.Default is { } d) exact[field.Name] = d;
                    break;
                case FieldKind.EnumArray when node is JsonArray a && a.All(i => AsString(i) is not null):
                    sets[field.Name] = a.Select(i => AsString(i)!).ToHashSet(StringComparer.Ordinal);
                    break;
            }
        }
        var handler = AsString(obj?[FieldNames.CallHandler]);
        return new EchoExpectation(exact, sets, handler is not null,
            handler == CallHandlerValues.Resource ? AsString(obj?[FieldNames.CallingHandlerResourceId]) : null);
    }

    internal static string? AsString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}

/// <summary>
/// The answers the contract allows for one request case, and the check that enforces them
/// (its level grades a mismatch). A 200, when allowed, is also held to <see cref="Echo"/>, and
/// <see cref="Condition"/> (if any) is checked on the 200 body and on its read-back.
/// </summary>
public sealed record Expectation(
    CheckInfo Check,
    IReadOnlyList<int> Statuses,
    EchoExpectation? Echo,
    string? OffendingField = null,
    Func<JsonElement, string?>? Condition = null)
{
    public bool AllowsSuccess => Statuses.Contains(200);
    public string Describe() => $"{string.Join(" or ", Statuses)} ({Check.Id}, {Check.Level.ToString().ToUpperInvariant()})";
}

/// <summary>One create request the suite sends, how it was made, and what the contract allows for it.</summary>
public sealed record CreateCase(
    string Name,
    string Origin,
    string? Cell,
    byte[] Body,
    string? ContentType,
    JsonNode? Payload,
    AuthHeader Auth,
    TargetProject Project,
    Expectation Expect)
{
    /// <summary>The username sent, when it is a string (so the list can be searched for it).</summary>
    public string? Username => EchoExpectation.AsString((Payload as JsonObject)?[FieldNames.Username]);

    /// <summary>How the case names itself in a finding.</summary>
    public string Describe() => Cell is null ? $"{Name} [{Origin}]" : $"{Name} [{Cell}; {Origin}]";
}

/// <summary>A create, what came back, and (after a 200) the read-back of the endpoint.</summary>
public sealed record CreateObservation(CreateCase Case, Exchange Create, Exchange? ReadBack);
