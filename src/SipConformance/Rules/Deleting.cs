using SipConformance.Contract;
using SipConformance.Rules.Observations;
using SipConformance.Target;
using static SipConformance.Rules.JsonText;

namespace SipConformance.Rules;

/// <summary>The contract's "Reading back, listing, deleting": the DELETE clauses (docs/RULES.md, CREATE-DEL).</summary>
public static class Deleting
{
    public static readonly Section Section = new("DEL", "deleting", "Reading back, listing, deleting: DELETE");

    public static readonly Rule<DeleteSeen> Answer = new("CREATE-DEL-001", Level.Must,
        "DELETE answers 204", "DELETE answers 204",
        _ => true, o => o.Status == Statuses.Deleted ? null : $"answered {JsonText.StatusText(o.Exchange.Response!)}");

    public static readonly Rule<LifecycleSeen> ReadGone = new("CREATE-DEL-002", Level.Must,
        "after DELETE 204, GET of the id is 404", "MUST: after a DELETE answered 204, GET of that id answers 404 and the list no longer holds it",
        o => o.Deleted && Answered(o.Read),
        o => o.Read.Status == Statuses.NotFound ? null : $"DELETE answered {Statuses.Deleted}, yet GET of {o.Id} then answered {StatusText(o.Read.Response!)}, expected {Statuses.NotFound}");

    public static readonly Rule<LifecycleSeen> ListGone = new("CREATE-DEL-003", Level.Must,
        "after DELETE 204, the list no longer holds the endpoint", "MUST: after a DELETE answered 204, GET of that id answers 404 and the list no longer holds it",
        o => o.Deleted && o.List.Complete,
        o => o.List.Items.Any(i => UuidText.SameUuid(SipApi.ItemId(i), o.Id)) ? $"DELETE answered {Statuses.Deleted}, yet the {o.Project.Label} project's list still holds {o.Id}" : null);

    public static readonly ManyRule<Observation> UnknownId = new("CREATE-DEL-004", Level.Must,
        "DELETE of an id that does not exist (or no longer exists) is 404 (of a path id that is no UUID: 404, 400 or 422)",
        "MUST: GET and DELETE of a well-formed UUID that names no endpoint (or no longer does) answer 404. Either: of a path id that is no UUID, 404, 400 or 422; never 200, never a 5xx.",
        (o, v) =>
        {
            switch (o)
            {
                case LifecycleSeen l when l.Deleted && Answered(l.DeleteAgain):
                    v.Judge(l.DeleteAgain.Status == Statuses.NotFound ? null : $"a second DELETE of {l.Id} answered {StatusText(l.DeleteAgain.Response!)}, expected {Statuses.NotFound}");
                    break;
                case UnknownIdSeen u when Answered(u.Delete):
                    v.Judge(u.Delete.Status is int status && u.Allowed.Contains(status) ? null
                        : $"DELETE of {(u.WellFormed ? u.Id : $"the path id {u.Id} ({u.Form})")} answered {StatusText(u.Delete.Response!)}, expected {JsonText.Statuses(u.Allowed)}");
                    break;
            }
        });
}
