namespace SipConformance.Reporting.Html;

/// <summary>One check's row of the findings document.</summary>
public sealed record CheckEntry(
    string Id,
    string Level,
    string Area,
    string Title,
    string Clause,
    string Outcome,
    int Passes,
    int Violations,
    int Requests,
    string? SkipReason,
    IReadOnlyList<EvidenceEntry> Evidence,
    string? Replay = null,
    PropertyFailureEntry? PropertyFailure = null)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Broken => Violations > 0;
}
