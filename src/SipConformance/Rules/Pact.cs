using SipConformance.Rules.Observations;

namespace SipConformance.Rules;

/// <summary>Pact (docs/RULES.md, CREATE-PACT): the exported contract verified against the target.</summary>
public static class Pact
{
    public static readonly Section Section = new("PACT", "pact", "Pact");

    public static readonly VerifiedRule Verification = new("CREATE-PACT-001", Level.Must,
        "the exported pact verifies against the target",
        "Client teams take the published Pact files and build against them: every interaction of pacts/<consumer>-<provider>.json must verify against the target",
        "the Pact verifier (src/SipConformance.Pact), whose result is added to the rule's findings");
}

/// <summary>A rule whose verdicts come from a tool outside the evaluator (the Pact verifier).</summary>
public sealed class VerifiedRule(string id, Level level, string title, string clause, string judgedBy) : Rule(id, level, title, clause)
{
    public override Type Observes => typeof(Observation);
    public override string JudgedBy => judgedBy;
    public override void Judge(Observation observation, Verdicts verdicts) { }
}
