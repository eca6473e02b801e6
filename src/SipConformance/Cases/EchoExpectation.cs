using System.Text.Json;
using System.Text.Json.Nodes;
using SipConformance.Contract;

namespace SipConformance.Cases;

/// <summary>
/// What a 200 must echo for a given request, derived from the request by the contract's rules:
/// strings and single enums exactly, lists as sets, a missing field with a schema default as
/// that default, calling_handler_resource_id as the requested id for resource and null otherwise
/// (judged only when a call_handler was sent: <see cref="CallHandlerSent"/>).
/// </summary>
public sealed record EchoExpectation(
    IReadOnlyDictionary<string, string> Exact,
    IReadOnlyDictionary<string, IReadOnlySet<string>> Sets,
    bool CallHandlerSent,
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
