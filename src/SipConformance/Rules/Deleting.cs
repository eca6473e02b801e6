using SipConformance.Rules.Observations;

namespace SipConformance.Rules;

/// <summary>The contract's "Reading back, listing, deleting": the DELETE clauses (docs/RULES.md, CREATE-DEL).</summary>
public static class Deleting
{
    public static readonly Section Section = new("DEL", "deleting", "Reading back, listing, deleting: DELETE");

    public static readonly Rule<DeleteSeen> Answer = new("CREATE-DEL-001", Level.Must,
        "DELETE answers 204", "DELETE answers 204",
        _ => true, o => o.Status == Statuses.Deleted ? null : $"answered {JsonText.StatusText(o.Exchange.Response!)}");
}
