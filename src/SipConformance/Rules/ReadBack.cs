using System.Text.Json;
using System.Text.Json.Nodes;
using SipConformance.Contract;
using SipConformance.Rules.Observations;
using static SipConformance.Rules.JsonText;

namespace SipConformance.Rules;

/// <summary>The contract's "Success (200)" read-back clause, and "Reading back" (docs/RULES.md, CREATE-READ).</summary>
public static class ReadBack
{
    public static readonly Section Section = new("READ", "read-back", "Reading back");

    public static readonly Rule<ReadBackSeen> SameData = new("CREATE-READ-001", Level.Must,
        "GET {id} returns the same data", "MUST: reading the endpoint back (GET .../{id}, where {id} is the top-level id of the create response) returns the same data",
        _ => true,
        o =>
        {
            if (o.Body is not { } read)
                return $"GET of the created endpoint answered {StatusText(o.Response)}{(o.Response.Status == 200 ? $" with {o.Response.JsonProblem ?? "a non-object body"}" : "")}";
            var differences = new List<string>();
            if (Success.Validate(o.Contract, SchemaNames.EndpointResponse, read) is { } schemaProblem) differences.Add(schemaProblem);
            Compare(o.Contract, o.Contract.SchemaObject(SchemaNames.EndpointResponse), o.Created, read, "", differences);
            return differences.Count == 0 ? null : "the read-back differs from the create's answer: " + string.Join("; ", differences);
        });

    public static readonly Rule<UnknownIdSeen> UnknownId = new("CREATE-READ-002", Level.Must,
        "GET of an id that does not exist is 404", "MUST: GET and DELETE of an id that does not exist (or no longer exists) answer 404",
        o => Answered(o.Get), o => o.Get.Status == Statuses.NotFound ? null : $"GET of {o.Id} answered {StatusText(o.Get.Response!)}, expected {Statuses.NotFound}");

    /// <summary>Compares two bodies by the contract schema's properties: UUIDs case-insensitively, date-times by instant, lists as sets.</summary>
    private static void Compare(SipContract contract, JsonObject schema, JsonElement a, JsonElement b, string prefix, List<string> differences)
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
                Compare(contract, contract.SchemaObject(component), va, vb, path + ".", differences);
                continue;
            }
            else same = JsonElement.DeepEquals(va, vb);
            if (!same) differences.Add($"{path}: create {Raw(va)}, read-back {Raw(vb)}");
        }
    }
}
