namespace SipConformance.Configuration;

/// <summary>How much of the enum-combination space a run covers (SIPCONF_PROFILE).</summary>
public enum Profile
{
    /// <summary>Every value of every factor at least once (t = 1), plus the boundary rows.</summary>
    Smoke,
    /// <summary>Every pair of factor values (t = 2), plus the boundary rows.</summary>
    Pairwise,
    /// <summary>Every triple of factor values (t = 3), plus the boundary rows.</summary>
    Threewise,
    /// <summary>The full product: 3 x 4 x 2^5 x 2^7 = 49,152 payloads at the 2026-03-18 revision.</summary>
    Exhaustive,
}
