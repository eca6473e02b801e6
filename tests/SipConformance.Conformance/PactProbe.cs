using SipConformance.Checks;
using SipConformance.Findings;
using SipConformance.Pact;
using SipConformance.Running;

namespace SipConformance.Conformance;

/// <summary>
/// The Pact part of a run, as a probe feeding CREATE-PACT-001: export the pact through the Pact
/// mock server (pacts/&lt;consumer&gt;-&lt;provider&gt;.json), then verify that file against the
/// target with the Pact verifier, real credentials injected at verification time.
/// </summary>
public static class PactProbe
{
    public const string Name = "pact";

    /// <summary>The exported pact file, once the probe ran.</summary>
    public static string? PactFile { get; private set; }

    public static void Register(SuiteRun run) => run.Register(new DelegateProbe(Name, async (r, ct) =>
    {
        try
        {
            PactFile = await PactWorkflow.ExportAsync(r.Settings, PactWorkflow.DefaultPactDirectory, ct);
        }
        catch (Exception e)
        {
            r.Findings.Violate(PactChecks.Verification, new Violation("the pact could not be exported: " + r.Redactor.Redact(e.Message), "pact export", null));
            return;
        }
        var stateChange = r.Target.Embedded ? new Uri(r.Target.BaseUrl, PactWorkflow.EmbeddedStateChangePath) : null;
        var result = await PactWorkflow.VerifyAsync(r.Settings, r.Target.BaseUrl, r.Target.Primary.ProjectId, r.Target.Primary.Token,
            r.Target.ResourceId, stateChange, PactFile, r.Redactor, ct);
        r.Findings[PactChecks.Verification].Add(result);
    }));
}
