using SipConformance.Target;

namespace SipConformance.Rules.Observations;

/// <summary>
/// The second project read and then tried to delete the first project's endpoint <see cref="Id"/>;
/// <see cref="After"/> is the first project's own read afterwards. Every exchange was answered.
/// </summary>
public sealed class IsolationSeen(string id, Exchange read, Exchange delete, Exchange after)
    : Observation($"the second project acting on the first project's endpoint {id}")
{
    public string Id => id;
    public Exchange Read => read;
    public Exchange Delete => delete;
    public Exchange After => after;

    protected override IReadOnlyList<Exchange?> Shown => [read, delete, after];
}
