using SipConformance.Rules.Observations;

namespace SipConformance.Rules;

/// <summary>
/// Property-based rules (docs/RULES.md, CREATE-PROP): generated payloads (Running/Probes/PropertyProbe's
/// CsCheck generator), each judged by every other rule; a sample holds when it breaks no MUST or
/// either rule. A failing sample is shrunk to the smallest that still fails.
/// </summary>
public static class Properties
{
    public static readonly Section Section = new("PROP", "properties", "Success (200) and Validation failures (422), generated");

    public static readonly Rule<PropertySeen> ValidAccepted = Property("CREATE-PROP-001",
        "any valid payload gets 200, an exact echo and the same data on read-back",
        "MUST: status 200 ...; sip_endpoint echoes the request ...; reading the endpoint back ... returns the same data");

    public static readonly Rule<PropertySeen> OneViolationAnswered = Property("CREATE-PROP-002",
        "any payload with one violation gets an answer the contract allows, never a 5xx",
        "Validation failures (422): each listed case with its level; MUST: no input, however malformed, gets a 5xx");

    /// <summary>How a failure's message names the passing payload nearest to the shrunk one (the HTML report reads it).</summary>
    public const string NearestPassingLabel = "nearest passing payload";

    /// <summary>A sample holds when its answer broke no MUST or either rule (a broken SHOULD shows in its own rule).</summary>
    public static bool Holds(IEnumerable<Rule> broken) => !broken.Any(r => r.Level != Level.Should);

    private static Rule<PropertySeen> Property(string id, string title, string clause) => new(id, Level.Must, title, clause,
        o => o.Property.Id == id,
        o =>
        {
            if (Holds(o.Broken)) return o.Shrink is null ? null
                : $"a sample failed (seed {o.Shrink.FirstSeed}) but its shrunk form {o.Shrink.Payload} held when sent again: the target does not answer the same payload the same way; replay: {o.Shrink.Replay}";
            var broken = string.Join(", ", o.Broken.Where(r => r.Level != Level.Should).Select(r => r.Id).Distinct());
            return o.Shrink is null ? $"broke {broken}"
                : $"broke {broken} for the shrunk payload {o.Shrink.Payload}; " + (o.Shrink.NearestPassing is { } near ? $"{NearestPassingLabel} {near}; " : "") + $"CsCheck seed {o.Shrink.MinimalSeed} (first failing seed {o.Shrink.FirstSeed}); replay: {o.Shrink.Replay}";
        });
}
