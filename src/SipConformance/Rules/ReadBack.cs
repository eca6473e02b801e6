using System.Text.Json;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using SipConformance.Contract;
using SipConformance.Rules.Observations;
using static SipConformance.Rules.JsonText;

namespace SipConformance.Rules;

/// <summary>The contract's "Success (200)" read-back clause, and "Reading back" (docs/RULES.md, CREATE-READ).</summary>
public static class ReadBack
{
    public static readonly Section Section = new("READ", "read-back", "Reading back");

    public static readonly Rule<ReadBackSeen> SameData = new Rule<ReadBackSeen>("CREATE-READ-001", Level.Must,
        "GET {id} returns the same data", "MUST: reading the endpoint back (GET .../{id}, where {id} is the top-level id of the create response) returns the same data",
        _ => true,
        o =>
        {
            if (o.Body is not { } read)
                return $"GET of the created endpoint answered {StatusText(o.Response)}{(o.Response.Status == Statuses.Ok ? $" with {o.Response.JsonProblem ?? "a non-object body"}" : "")}";
            var differences = new List<string>();
            if (Success.Validate(o.Contract, o.Contract.EndpointResponseSchema, read) is { } schemaProblem) differences.Add(schemaProblem);
            Compare(o.Contract, o.Contract.SchemaObject(o.Contract.EndpointResponseSchema), o.Created, read, "", differences);
            return differences.Count == 0 ? null : "the read-back differs from the create's answer: " + string.Join("; ", differences);
        }).Under(ContractRevisions.August2026, "MUST (2026-08-21): read-back returns the same data as the create answered (a SipEndpointResponse)");

    public static readonly Rule<UnknownIdSeen> UnknownId = new("CREATE-READ-002", Level.Must,
        "GET of an id that does not exist is 404 (of a path id that is no UUID: 404, 400 or 422)",
        "MUST: GET and DELETE of a well-formed UUID that names no endpoint (or no longer does) answer 404. Either: of a path id that is no UUID, 404, 400 or 422; never 200, never a 5xx.",
        o => Answered(o.Get), o => o.Get.Status is int status && o.Allowed.Contains(status) ? null
            : $"GET of {(o.WellFormed ? o.Id : $"the path id {o.Id} ({o.Form})")} answered {StatusText(o.Get.Response!)}, expected {JsonText.Statuses(o.Allowed)}");

    /// <summary>Compares two bodies by the contract schema's properties: UUIDs case-insensitively, date-times by instant, lists as sets.</summary>
    private static void Compare(SipContract contract, JsonObject schema, JsonElement a, JsonElement b, string prefix, List<string> differences)
    {
        if (schema["properties"] is not JsonObject properties) return;
        foreach (var (property, node) in properties)
        {
            // The path is made only when it is shown (a difference) or a nested object needs it.
            var hasA = a.TryGetProperty(property, out var va);
            var hasB = b.TryGetProperty(property, out var vb);
            if (!hasA && !hasB) continue;
            if (hasA != hasB) { differences.Add($"{prefix + property} is {(hasA ? "missing from the read-back" : "only in the read-back")}"); continue; }
            var (component, type, format) = contract.Describe((JsonObject)node!);
            bool same;
            if (va.ValueKind == JsonValueKind.String && vb.ValueKind == JsonValueKind.String && format == "uuid")
                same = UuidText.SameUuid(va.GetString(), vb.GetString());
            else if (va.ValueKind == JsonValueKind.String && vb.ValueKind == JsonValueKind.String && format == "date-time")
                same = Rfc3339.TryParse(va.GetString(), out var ta) && Rfc3339.TryParse(vb.GetString(), out var tb) ? ta.SameInstantAtCoarserPrecision(tb) : va.GetString() == vb.GetString();
            else if (va.ValueKind == JsonValueKind.Array && vb.ValueKind == JsonValueKind.Array)
                same = SameItemSet(va, vb);
            else if (type == "object" && component is not null && va.ValueKind == JsonValueKind.Object && vb.ValueKind == JsonValueKind.Object)
            {
                Compare(contract, contract.SchemaObject(component), va, vb, prefix + property + ".", differences);
                continue;
            }
            else same = JsonElement.DeepEquals(va, vb);
            if (!same) differences.Add($"{prefix + property}: create {Raw(va)}, read-back {Raw(vb)}");
        }
    }

    /// <summary>
    /// Whether two arrays hold the same set of items, items compared by their raw JSON text (the definition is
    /// <see cref="SameItemSetByText"/>). Compared on the raw UTF-8 bytes, without making strings: bodies are
    /// valid UTF-8 (checked before they are parsed), so equal bytes are equal texts and the other way round.
    /// </summary>
    internal static bool SameItemSet(JsonElement a, JsonElement b)
    {
        var na = a.GetArrayLength();
        var nb = b.GetArrayLength();
        // Beyond a few dozen items the quadratic scan costs more than the sets.
        if (na > 32 || nb > 32) return SameItemSetByText(a, b);
        return EveryItemIn(a, b) && EveryItemIn(b, a);
    }

    private static bool EveryItemIn(JsonElement items, JsonElement of)
    {
        foreach (var x in items.EnumerateArray())
        {
            var raw = JsonMarshal.GetRawUtf8Value(x);
            var found = false;
            foreach (var y in of.EnumerateArray())
                if (raw.SequenceEqual(JsonMarshal.GetRawUtf8Value(y))) { found = true; break; }
            if (!found) return false;
        }
        return true;
    }

    /// <summary>The reference definition of <see cref="SameItemSet"/>: the sets of the items' raw texts are equal.</summary>
    internal static bool SameItemSetByText(JsonElement a, JsonElement b) =>
        a.EnumerateArray().Select(x => x.GetRawText()).ToHashSet().SetEquals(b.EnumerateArray().Select(x => x.GetRawText()));
}
