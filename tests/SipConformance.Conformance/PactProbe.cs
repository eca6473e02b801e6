using SipConformance.Running;

namespace SipConformance.Conformance;

/// <summary>Wires the Pact workflow (export, verify) into the run as a probe feeding CREATE-PACT-001.</summary>
public static class PactProbe
{
    public static void Register(SuiteRun run)
    {
        // Filled in when the Pact workflow lands.
    }
}
