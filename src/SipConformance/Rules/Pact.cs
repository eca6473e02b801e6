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
