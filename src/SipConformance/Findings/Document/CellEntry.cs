namespace SipConformance.Findings;

/// <summary>One encryption x call_handler cell of the sweep.</summary>
public sealed record CellEntry(string Cell, string Encryption, string CallHandler, int Rows, int FailedRows, IReadOnlyList<CellFailureEntry> Failures, SmallestEntry? Smallest = null);
