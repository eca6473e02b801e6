namespace SipConformance.Rules.Observations;

/// <summary>Where CsCheck's shrinking ended: the seed of the smallest failing sample, the first failing seed, the replay line, and the passing payload nearest to it.</summary>
public sealed record PropertyShrink(string MinimalSeed, string FirstSeed, string Payload, string Replay, string? NearestPassing = null)
{
    /// <summary>The shrink as a finding keeps it (null when the payload was no JSON object, e.g. a raw body).</summary>
    public Findings.PropertyFailure? Failure() =>
        Object(Payload) is { } failing ? new Findings.PropertyFailure(failing, MinimalSeed, Replay, Object(NearestPassing)) : null;

    private static System.Text.Json.Nodes.JsonObject? Object(string? json)
    {
        if (json is null) return null;
        try { return System.Text.Json.Nodes.JsonNode.Parse(json) as System.Text.Json.Nodes.JsonObject; }
        catch (System.Text.Json.JsonException) { return null; }
    }
}
