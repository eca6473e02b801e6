using SipConformance.Target;

namespace SipConformance.Rules.Observations;

/// <summary>GET and DELETE of <see cref="Id"/>, a well-formed id that no endpoint has.</summary>
public sealed class UnknownIdSeen(string id, Exchange get, Exchange delete) : Observation($"GET and DELETE of {id}, an id no endpoint has")
{
    public string Id => id;
    public Exchange Get => get;
    public Exchange Delete => delete;

    protected override IReadOnlyList<Exchange?> Shown => [get, delete];
}
