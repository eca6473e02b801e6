namespace SipConformance.Findings;

/// <summary>A failing row of a cell: its lists and the checks it broke.</summary>
public sealed record CellFailureEntry(int Row, string Origin, IReadOnlyList<string> Ciphers, IReadOnlyList<string> Codecs, IReadOnlyList<string> Broken);
