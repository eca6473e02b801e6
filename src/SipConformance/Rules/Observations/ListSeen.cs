using SipConformance.Target;

namespace SipConformance.Rules.Observations;

/// <summary>
/// A project's whole list, page after page (following links.next), as <see cref="Project"/> read it;
/// <see cref="Foreign"/> are ids of endpoints that other projects hold.
/// </summary>
public sealed class ListSeen(ListResult list, string caseName, TargetProject? project = null, IReadOnlyCollection<string>? foreign = null) : Observation(caseName)
{
    public ListResult List => list;
    public TargetProject? Project => project;
    public IReadOnlyCollection<string> Foreign => foreign ?? [];

    protected override IReadOnlyList<Exchange?> Shown => [list.Pages.LastOrDefault()];
}
