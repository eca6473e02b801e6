using SipConformance.Configuration;
using SipConformance.Running;

namespace SipConformance.Pact;

/// <summary>
/// The whole suite as one run: every standard probe and the Pact probe, against a target. What
/// `dotnet test tests/SipConformance.Conformance`, the `sipconf` tool and the self-tests all run.
/// </summary>
public static class Suite
{
    /// <summary>A run with every probe; the pact is exported into <paramref name="pactDirectory"/> (default: SIPCONF_PACT_DIR, else the artifacts folder's pacts/).</summary>
    public static SuiteRun Create(SuiteSettings settings, ResolvedTarget target, string? pactDirectory = null, string? marker = null)
    {
        var pact = new PactProbe(pactDirectory ?? PactWorkflow.RunPactDirectory(RepositoryPaths.Resolve(settings.ArtifactsDirectory)));
        return new SuiteRun(settings, target, SipConformance.Contract.SipContract.Of(settings.Revision), marker: marker, probes: [.. StandardProbes.All(), pact]);
    }
}
