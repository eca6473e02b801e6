using System.Text.Json.Nodes;
using SipConformance.Contract;

namespace SipConformance.Generation;

/// <summary>The kinds of single violation the negative generator makes.</summary>
public enum ViolationKind
{
    Missing,
    Null,
    WrongType,
    UnknownEnum,
    UnknownEnumItem,
    WrongTypeItem,
    MalformedUuid,
    EmptyString,
    Duplicates,
    EmptyList,
    ExtraProperty,
    NonResourceWithId,
    UnknownResource,
    /// <summary>A property the response defines but the create request does not, sent with a value that conflicts with the server's.</summary>
    ResponseProperty,
}

/// <summary>A payload that differs from a valid one by exactly one violation.</summary>
public sealed record Mutation(string Field, ViolationKind Kind, string Detail, JsonObject Payload)
{
    public string CallHandler => Payload[FieldNames.CallHandler] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
    public override string ToString() => $"{Field}: {Detail}";
}

/// <summary>
/// Makes one-violation payloads from valid ones, for every field of the create request and every
/// kind of violation that applies to the field's type (read from the contract model).
/// </summary>
public static class Mutations
{
    /// <summary>A property name no revision of the contract uses.</summary>
    public const string UnknownProperty = "x_sipconf_unknown_property";

    /// <summary>
    /// Every mutation. <paramref name="valid"/> gives a fresh valid payload for a call_handler
    /// (null: any handler) and an index; <paramref name="unknownResourceId"/> a well-formed UUID
    /// that is no resource of the project; <paramref name="secondProjectId"/> the second project's id, when one is
    /// configured (a project_id that names a real project is what a mass-assigning server honours).
    /// </summary>
    public static IEnumerable<Mutation> All(SipContract contract, Func<string?, long, JsonObject> valid, bool resourceAvailable, string unknownResourceId, string? foreignResourceId = null,
        string? secondProjectId = null)
    {
        long n = 0;
        JsonObject Base(string? handler = null) => valid(handler, n++);
        var nonResource = contract.CallHandlers.First(h => h != CallHandlerValues.Resource);

        foreach (var field in contract.CreateFields)
        {
            var name = field.Name;
            var isResourceId = name == FieldNames.CallingHandlerResourceId;
            // For calling_handler_resource_id the handler matters: resource (its id is needed) or not.
            string?[] handlers = isResourceId ? (resourceAvailable ? new string?[] { CallHandlerValues.Resource, nonResource } : new string?[] { nonResource }) : new string?[] { null };

            foreach (var handler in handlers)
            {
                var suffix = handler is null ? "" : $" (call_handler {handler})";
                yield return With(Base(handler), name, ViolationKind.Missing, "missing" + suffix, p => p.Remove(name));
                if (!field.Nullable || handler == CallHandlerValues.Resource)
                    yield return With(Base(handler), name, ViolationKind.Null, "null" + suffix, p => p[name] = null);
                foreach (var (label, value) in WrongTypes(field))
                    yield return With(Base(handler), name, ViolationKind.WrongType, $"wrong JSON type: {label}{suffix}", p => p[name] = value());
                if (field.Kind == FieldKind.Uuid)
                    foreach (var (label, text) in MalformedUuids)
                        yield return With(Base(handler), name, ViolationKind.MalformedUuid, $"malformed UUID: {label}{suffix}", p => p[name] = text);
            }

            switch (field.Kind)
            {
                case FieldKind.Enum:
                    foreach (var (label, text) in NearMisses.EnumValues(contract, field))
                        yield return With(Base(), name, ViolationKind.UnknownEnum, $"value outside the enum: {label}", p => p[name] = text);
                    break;
                case FieldKind.EnumArray:
                    foreach (var (label, text) in NearMisses.EnumValues(contract, field))
                        yield return With(Base(), name, ViolationKind.UnknownEnumItem, $"item outside the enum: {label}", p => p[name] = Items(field.Values[0], text));
                    yield return With(Base(), name, ViolationKind.WrongTypeItem, "item of the wrong JSON type: number", p => p[name] = new JsonArray(JsonValue.Create(1)));
                    yield return With(Base(), name, ViolationKind.WrongTypeItem, "item of the wrong JSON type: null", p => p[name] = new JsonArray(new JsonNode?[] { null }));
                    yield return With(Base(), name, ViolationKind.WrongTypeItem, "item of the wrong JSON type: array", p => p[name] = new JsonArray(new JsonArray(JsonValue.Create(field.Values[0]))));
                    yield return With(Base(), name, ViolationKind.EmptyList, "empty list", p => p[name] = new JsonArray());
                    yield return With(Base(), name, ViolationKind.Duplicates, "a value twice", p => p[name] = Items(field.Values[0], field.Values[0]));
                    if (field.Values.Count > 1)
                        yield return With(Base(), name, ViolationKind.Duplicates, "a value twice among others", p => p[name] = Items(field.Values[0], field.Values[1], field.Values[0]));
                    break;
                case FieldKind.String:
                    yield return With(Base(), name, ViolationKind.EmptyString, "empty string", p => p[name] = "");
                    break;
            }
        }

        yield return With(Base(), UnknownProperty, ViolationKind.ExtraProperty, "an unknown extra property", p => p[UnknownProperty] = "ignored?");
        // project_id goes with a call handler that needs no resource: the project's resource would tie the create to its project.
        foreach (var (property, value) in ResponseOnly(contract, secondProjectId ?? unknownResourceId))
            yield return With(property == ResponseFields.ProjectId ? Base(nonResource) : Base(), property, ViolationKind.ResponseProperty,
                property == ResponseFields.ProjectId && secondProjectId is not null ? $"the response property {property} sent as the second project's id" : $"the response property {property} sent as {value}",
                p => p[property] = value);
        // A revision whose answer has no project_id: the property is an unknown extra one, and the one value a mass-assigning
        // server honours is a real project's id. Where the endpoint then lands, the read-back and the second project's list show.
        if (secondProjectId is not null && !contract.ResponseDefines(ResponseFields.ProjectId))
            yield return With(Base(nonResource), ResponseFields.ProjectId, ViolationKind.ExtraProperty, $"an unknown extra property: {ResponseFields.ProjectId}, sent as the second project's id",
                p => p[ResponseFields.ProjectId] = secondProjectId);
        if (resourceAvailable)
            yield return With(Base(CallHandlerValues.Resource), FieldNames.CallingHandlerResourceId, ViolationKind.UnknownResource,
                "call_handler resource with a well-formed UUID that is no resource of the project", p => p[FieldNames.CallingHandlerResourceId] = unknownResourceId);
        if (resourceAvailable && foreignResourceId is not null)
            yield return With(Base(CallHandlerValues.Resource), FieldNames.CallingHandlerResourceId, ViolationKind.UnknownResource,
                "call_handler resource with the id of another project's resource", p => p[FieldNames.CallingHandlerResourceId] = foreignResourceId);
        foreach (var handler in contract.CallHandlers.Where(h => h != CallHandlerValues.Resource))
            yield return With(Base(handler), FieldNames.CallingHandlerResourceId, ViolationKind.NonResourceWithId,
                $"a non-null id with call_handler {handler}", p => p[FieldNames.CallingHandlerResourceId] = unknownResourceId);
    }

    /// <summary>Malformed UUID texts: none of them is the 8-4-4-4-12 hex form.</summary>
    public static readonly IReadOnlyList<(string Label, string Text)> MalformedUuids =
    [
        ("words", "not-a-uuid"),
        ("one digit short", "993ed018-9e79-4e50-b97b-984bd553409"),
        ("a non-hex digit", "993ed018-9e79-4e50-b97b-984bd553409g"),
        ("trailing text", "993ed018-9e79-4e50-b97b-984bd5534095-extra"),
        ("empty string", ""),
    ];

    private static IEnumerable<(string, Func<JsonNode?>)> WrongTypes(FieldSpec field)
    {
        if (field.Kind == FieldKind.EnumArray)
        {
            yield return ("a string", () => JsonValue.Create(field.Values[0]));
            yield return ("a number", () => JsonValue.Create(42));
            yield return ("an object", () => new JsonObject { ["0"] = field.Values[0] });
        }
        else
        {
            yield return ("a number", () => JsonValue.Create(42));
            yield return ("a boolean", () => JsonValue.Create(true));
            yield return ("an array", () => new JsonArray(JsonValue.Create("x")));
            yield return ("an object", () => new JsonObject { ["value"] = "x" });
        }
    }

    /// <summary>
    /// The properties the response defines but the create request does not, each with a value a
    /// server must not take: another project's id, another type, a display name, a time long past.
    /// </summary>
    public static IEnumerable<(string Property, string Value)> ResponseOnly(SipContract contract, string otherUuid)
    {
        var request = contract.CreateFields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var property in ResponseFields.All.Where(p => !request.Contains(p) && p != ResponseFields.SipEndpoint && contract.ResponseDefines(p)))
            yield return (property, property switch
            {
                ResponseFields.ProjectId => otherUuid,
                ResponseFields.Type => "sip_credential",
                ResponseFields.CreatedAt or ResponseFields.UpdatedAt => "2001-02-03T04:05:06Z",
                _ => "sipconf honoured " + property,
            });
    }

    private static JsonArray Items(params string[] values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());

    private static Mutation With(JsonObject payload, string field, ViolationKind kind, string detail, Action<JsonObject> change)
    {
        change(payload);
        return new Mutation(field, kind, detail, payload);
    }
}
