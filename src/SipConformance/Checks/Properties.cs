namespace SipConformance.Checks;

/// <summary>Property-based checks: generated payloads, shrunk to the smallest failing one.</summary>
public static class Properties
{
    public const string Area = "properties";

    public static readonly CheckInfo ValidAccepted = new("CREATE-PROP-001", Level.Must, Area,
        "any valid payload gets 200, an exact echo and the same data on read-back",
        "MUST: status 200 ...; sip_endpoint echoes the request ...; reading the endpoint back ... returns the same data");
    public static readonly CheckInfo OneViolationAnswered = new("CREATE-PROP-002", Level.Must, Area,
        "any payload with one violation gets an answer the contract allows, never a 5xx",
        "Validation failures (422): each listed case with its level; MUST: no input, however malformed, gets a 5xx");
}

/// <summary>Pact: the exported contract verified against the target by the Pact verifier.</summary>
public static class PactChecks
{
    public const string Area = "pact";

    public static readonly CheckInfo Verification = new("CREATE-PACT-001", Level.Must, Area,
        "the exported pact verifies against the target",
        "Client teams take the published Pact files and build against them: every interaction of pacts/<consumer>-<provider>.json must verify against the target");
}
