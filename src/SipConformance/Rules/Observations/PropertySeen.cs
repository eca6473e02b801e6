using SipConformance.Cases;
using SipConformance.Target;

namespace SipConformance.Rules.Observations;

/// <summary>
/// One generated sample of a property: the case sent, the rules its answer broke, and, for a
/// failing sample, how it was shrunk and how to replay it.
/// </summary>
public sealed class PropertySeen(Rule property, CreateCase c, Exchange create, Exchange? readBack, IReadOnlyList<Rule> broken, PropertyShrink? shrink = null)
    : Observation(c.Describe())
{
    public Rule Property => property;
    public CreateCase Case => c;
    public IReadOnlyList<Rule> Broken => broken;
    public PropertyShrink? Shrink => shrink;

    protected override IReadOnlyList<Exchange?> Shown => [create, readBack];

    /// <summary>A property's violation also carries its shrunk payload, seed, replay line and nearest passing payload, as data.</summary>
    public override Findings.Violation Violation(string problem, string caseName) => base.Violation(problem, caseName) with { Property = shrink?.Failure() };
}
