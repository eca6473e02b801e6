using SipConformance.Cases;
using SipConformance.Target;

namespace SipConformance.Rules.Observations;

/// <summary>Creates that were rejected (4xx), the project's list read after them, and the rule <see cref="For"/> which they were sent.</summary>
public sealed class RejectionsSeen(Rule @for, IReadOnlyList<(CreateCase Case, Exchange Exchange)> rejected, ListResult list, string caseName) : Observation(caseName)
{
    public Rule For => @for;
    public IReadOnlyList<(CreateCase Case, Exchange Exchange)> Rejected => rejected;
    public ListResult List => list;

    protected override IReadOnlyList<Exchange?> Shown => [list.Pages.LastOrDefault()];
}
