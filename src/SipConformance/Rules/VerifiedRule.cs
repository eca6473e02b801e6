using SipConformance.Rules.Observations;

namespace SipConformance.Rules;

/// <summary>A rule whose verdicts come from a tool outside the evaluator (the Pact verifier).</summary>
public sealed class VerifiedRule(string id, Level level, string title, string clause, string judgedBy) : Rule(id, level, title, clause)
{
    public override Type Observes => typeof(Observation);
    public override string JudgedBy => judgedBy;
    public override void Judge(Observation observation, Verdicts verdicts) { }
}
