using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace SipConformance.Running.Probes;

/// <summary>
/// The passing payloads a property saw (its first samples and the candidates CsCheck tried while
/// shrinking), so a failure can be shown beside the passing payload nearest to it: the one that
/// differs from it in the fewest fields. The report highlights those fields.
/// </summary>
public sealed class NearestPassing
{
    /// <summary>How many passing payloads are kept (the first ones: a property sends a few dozen, shrinking a few more).</summary>
    public const int Kept = 256;

    private readonly ConcurrentQueue<JsonObject> _passing = new();

    public void Passed(JsonNode? payload)
    {
        if (payload is JsonObject o && _passing.Count < Kept) _passing.Enqueue(o);
    }

    /// <summary>The kept passing payload that differs from <paramref name="failing"/> in the fewest fields (not none), or null.</summary>
    public JsonObject? To(JsonNode? failing) => failing is JsonObject f
        ? _passing.Select(p => (Payload: p, Distance: Distance(f, p))).Where(x => x.Distance > 0).OrderBy(x => x.Distance).Select(x => x.Payload).FirstOrDefault()
        : null;

    /// <summary>How many top-level fields differ (present in one only, or with other values).</summary>
    public static int Distance(JsonObject a, JsonObject b) =>
        a.Select(p => p.Key).Union(b.Select(p => p.Key)).Count(k => !(a.TryGetPropertyValue(k, out var x) & b.TryGetPropertyValue(k, out var y)) || !JsonNode.DeepEquals(x, y));
}
