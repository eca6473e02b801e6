namespace SipConformance.Rules;

/// <summary>The RFC 2119 level of a rule, as the contract states it (docs/RULES.md).</summary>
public enum Level
{
    /// <summary>A violation fails the run.</summary>
    Must,
    /// <summary>A violation is NON-STRICT (a warning); it fails the run only in strict mode.</summary>
    Should,
    /// <summary>"Either": each of the behaviours the rule names passes; anything else fails the run.</summary>
    Either,
}
