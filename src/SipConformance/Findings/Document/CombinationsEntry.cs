namespace SipConformance.Findings;

/// <summary>The combination sweep: its axes (from the contract), one entry per cell, and how often each list value was sent.</summary>
public sealed record CombinationsEntry(
    IReadOnlyList<string> Encryptions,
    IReadOnlyList<string> CallHandlers,
    int SkippedRows,
    int PlannedRows,
    int SentRows,
    IReadOnlyList<CellEntry> Cells,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Sent);
