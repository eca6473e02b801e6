using SipConformance.Target;

namespace SipConformance.Rules.Observations;

/// <summary>
/// GET and DELETE of <see cref="Id"/>: a well-formed id that no endpoint has, or (<see cref="WellFormed"/> false)
/// a path id that is no UUID (a form a lenient parser reads as an existing endpoint's id, <see cref="Form"/>).
/// </summary>
public sealed class UnknownIdSeen(string id, Exchange get, Exchange delete, bool wellFormed = true, string? form = null)
    : Observation(wellFormed ? $"GET and DELETE of {id}, an id no endpoint has" : $"GET and DELETE of the path id {id}, which is no UUID ({form})")
{
    public string Id => id;
    public Exchange Get => get;
    public Exchange Delete => delete;

    /// <summary>False for a path id that is no UUID: then 404, 400 or 422 are allowed (the contract's "either").</summary>
    public bool WellFormed => wellFormed;

    /// <summary>What the malformed path id is (the parser-differential entry that sends it).</summary>
    public string? Form => form;

    /// <summary>The statuses the contract allows for this id's GET and DELETE.</summary>
    public IReadOnlyList<int> Allowed => wellFormed ? [Statuses.NotFound] : [Statuses.NotFound, Statuses.BadRequest, Statuses.Unprocessable];

    protected override IReadOnlyList<Exchange?> Shown => [get, delete];
}
