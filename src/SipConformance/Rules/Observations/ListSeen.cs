using SipConformance.Target;

namespace SipConformance.Rules.Observations;

/// <summary>A project's whole list, page after page (following links.next), every page answered.</summary>
public sealed class ListSeen(ListResult list, string caseName) : Observation(caseName)
{
    public ListResult List => list;

    public override string? Evidence(Redactor redactor) => Findings.Evidence.Format(redactor, list.Pages.LastOrDefault());
}
