using SipConformance.Target;

namespace SipConformance.Rules.Observations;

/// <summary>
/// An endpoint <see cref="Id"/> of <see cref="Project"/> was deleted; then it was read, the list was
/// read, and it was deleted again. Every exchange is kept, answered or not.
/// </summary>
public sealed class LifecycleSeen(string id, TargetProject project, Exchange delete, Exchange read, ListResult list, Exchange deleteAgain)
    : Observation($"the endpoint {id}, deleted, then read, listed and deleted again")
{
    public string Id => id;
    public TargetProject Project => project;
    public Exchange Delete => delete;
    public Exchange Read => read;
    public ListResult List => list;
    public Exchange DeleteAgain => deleteAgain;

    /// <summary>The first DELETE was answered as the contract's success (204): from then on the endpoint is gone.</summary>
    public bool Deleted => JsonText.Answered(delete) && delete.Status == Statuses.Deleted;

    protected override IReadOnlyList<Exchange?> Shown => [delete, read, list.Pages.LastOrDefault(), deleteAgain];
}
