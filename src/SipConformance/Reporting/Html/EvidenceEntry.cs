namespace SipConformance.Reporting.Html;

/// <summary>One kept violation: the request case, what broke, and the exchange text (request, response, curl line).</summary>
public sealed record EvidenceEntry(string Case, string Message, string? Exchange);
