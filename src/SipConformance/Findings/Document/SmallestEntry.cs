namespace SipConformance.Findings;

/// <summary>The smallest cipher and codec lists that still break the cell's first failing row's check.</summary>
public sealed record SmallestEntry(string Check, IReadOnlyList<string> Ciphers, IReadOnlyList<string> Codecs);
