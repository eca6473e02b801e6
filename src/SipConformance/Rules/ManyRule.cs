using SipConformance.Rules.Observations;

namespace SipConformance.Rules;

/// <summary>A rule that records several verdicts from one observation (one per item it looks at).</summary>
public sealed class ManyRule<T>(string id, Level level, string title, string clause, Action<T, Verdicts> judge, Requirement needs = Requirement.None)
    : Rule(id, level, title, clause, needs) where T : Observation
{
    public override Type Observes => typeof(T);

    public override void Judge(Observation observation, Verdicts verdicts)
    {
        if (observation is T o) judge(o, verdicts);
    }
}
