using SipConformance.Target;

namespace SipConformance.Rules.Observations;

/// <summary>Any exchange of the run, answered or not: what every answer is held to.</summary>
public sealed class AnswerSeen(Exchange exchange, string caseName) : Observation(caseName)
{
    public Exchange Exchange => exchange;

    protected override IReadOnlyList<Exchange?> Shown => [exchange];
}
