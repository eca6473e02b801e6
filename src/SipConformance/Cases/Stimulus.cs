namespace SipConformance.Cases;

/// <summary>
/// One input a rule brings of its own: a name, and how it turns a valid case into the case that
/// exercises the rule (for example a credential, a body, a text).
/// </summary>
public sealed record Stimulus(string Name, Func<CaseBuilder, CaseBuilder> Shape)
{
    public override string ToString() => Name;
}
