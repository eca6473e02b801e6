using SipConformance.Rules.Observations;
using SipConformance.Target;

namespace SipConformance.Rules;

/// <summary>The contract's isolation between projects (docs/RULES.md, CREATE-ISO): with a second project configured.</summary>
public static class Isolation
{
    public static readonly Section Section = new("ISO", "isolation", "Authentication (401): isolation between projects");

    private const string Clause = "MUST (when a second project is configured): one project can neither read nor delete another project's endpoint (404)";

    public static readonly Rule<IsolationSeen> Read = new("CREATE-ISO-001", Level.Must,
        "another project cannot read the endpoint (404)", Clause,
        o => JsonText.Answered(o.Read),
        o => o.Read.Status == Statuses.NotFound ? null : $"GET by the second project answered {o.Read.Status}, expected {Statuses.NotFound}",
        Requirement.SecondProject);

    public static readonly Rule<IsolationSeen> Delete = new("CREATE-ISO-002", Level.Must,
        "another project cannot delete the endpoint (404, and it still exists)", Clause,
        o => JsonText.Answered(o.Delete) && JsonText.Answered(o.After),
        o => o.Delete.Status != Statuses.NotFound ? $"DELETE by the second project answered {o.Delete.Status}, expected {Statuses.NotFound}"
            : o.After.Status != Statuses.Ok ? $"after the second project's DELETE, the first project's GET answered {o.After.Status}: the endpoint is gone or unreadable"
            : null,
        Requirement.SecondProject);

    /// <summary>The first project's own read found its endpoint (so the run still has it to delete).</summary>
    public static bool StillThere(Exchange after) => JsonText.Answered(after) && after.Status == Statuses.Ok;
}
