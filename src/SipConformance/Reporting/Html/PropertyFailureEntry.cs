using System.Text.Json.Nodes;

namespace SipConformance.Reporting.Html;

/// <summary>
/// A shrunk property failure: the failing payload, and, when the run recorded one, the nearest
/// payload that passed (the report highlights the fields they differ in).
/// </summary>
public sealed record PropertyFailureEntry(JsonObject FailingPayload, string? CscheckSeed = null, string? Replay = null, JsonObject? NearestPassingPayload = null);
