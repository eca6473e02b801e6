namespace SipConformance.Checks;

/// <summary>RFC 2119 level of the rule a check enforces (shared/contract-decisions.md).</summary>
public enum Level
{
    /// <summary>A violation fails the run.</summary>
    Must,
    /// <summary>A violation is NON-STRICT (a warning); it fails the run only in strict mode.</summary>
    Should,
    /// <summary>"Either": each allowed behaviour passes; anything else fails.</summary>
    May,
}

/// <summary>
/// A check's identity: a stable ID (never reused for another rule), its level, the area of the
/// contract it belongs to, a one-line title and the clause of the contract it enforces, quoted.
/// </summary>
public sealed record CheckInfo(string Id, Level Level, string Area, string Title, string Clause)
{
    public override string ToString() => $"{Id} [{Level.ToString().ToUpperInvariant()}] {Title}";
}
