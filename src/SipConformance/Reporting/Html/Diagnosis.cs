using SipConformance.Findings;
namespace SipConformance.Reporting.Html;

/// <summary>
/// Something that makes a run's verdict less than it seems: its cause (with the figures behind
/// it), the setting or change that fixes it, and the checks it concerns.
/// </summary>
/// <param name="Key">A stable name (caller-id, credentials, schema-revision, rate-limit, run-budget, resource, isolation, sent-nothing).</param>
public sealed record Diagnosis(string Key, string Cause, string Fix, IReadOnlyList<string> Checks);
