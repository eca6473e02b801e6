using SipConformance.Configuration;
using SipConformance.Running;

namespace SipConformance.Pact;

/// <summary>
/// The whole suite as one run: every standard probe and the Pact probe, against a target. What
/// `dotnet test tests/SipConformance.Conformance`, the `sipconf` tool and the self-tests all run.
/// </summary>
public static class Suite
{
    /// <summary>A run with every probe; the pact is exported into <paramref name="pactDirectory"/> (default: the repository's pacts/).</summary>
    public static SuiteRun Create(SuiteSettings settings, ResolvedTarget target, string? pactDirectory = null, string? marker = null)
    {
        var run = new SuiteRun(settings, target, SipConformance.Contract.SipContract.Of(settings.Revision), marker: marker);
        run.Register(new PactProbe(pactDirectory ?? PactWorkflow.DefaultPactDirectory));
        return run;
    }
}
