using SipConformance.Findings;
using SipConformance.Running;

namespace SipConformance.Pact;

/// <summary>
/// The Pact part of a run, as a probe feeding CREATE-PACT-001: export the pact through the Pact
/// mock server into <paramref name="pactDirectory"/> (&lt;consumer&gt;-&lt;provider&gt;.json), then
/// verify that file against the target with the Pact verifier, real credentials injected at
/// verification time.
/// </summary>
public sealed class PactProbe(string pactDirectory) : Probe
{
    public const string ProbeName = "pact";

    public override string Name => ProbeName;

    public override bool OneOff => true;

    /// <summary>The verifier judges the pact's interactions itself: CREATE-PACT-001 only.</summary>
    public override bool Feeds(Rules.Rule rule) => rule == Rules.Pact.Verification;

    /// <summary>The verifier sends each interaction once; the cleanup before and after lists the project and deletes what an interaction created.</summary>
    public override long PlannedRequests(SuiteRun run, Configuration.Profile profile, Configuration.Shard shard) =>
        2L * SipPact.Interactions(run.Contract).Count + 2;

    /// <summary>The exported pact file, once the probe ran.</summary>
    public string? PactFile { get; private set; }

    public override async Task RunAsync(SuiteRun run, CancellationToken ct)
    {
        try
        {
            PactFile = await PactWorkflow.ExportAsync(run.Settings, run.Contract, pactDirectory, ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            run.Findings.Violate(Rules.Pact.Verification, new Violation("pact export", "the pact could not be exported: " + run.Redactor.Redact(e.Message)));
            return;
        }
        if (run.TargetStopped)
        {
            run.Findings.Violate(Rules.Pact.Verification, new Violation("pact verification",
                "not verified: the target stopped answering (see CREATE-HTTP-001), so the verifier would only wait out its timeouts"));
            return;
        }
        var stateChange = run.Target.Embedded ? new Uri(run.Target.BaseUrl, PactWorkflow.EmbeddedStateChangePath) : null;
        var result = await PactWorkflow.VerifyAsync(run.Settings, run.Contract, run.Target.BaseUrl, run.Target.Primary.ProjectId, run.Target.Primary.Token,
            run.Target.ResourceId, stateChange, PactFile, run.Redactor, ct).ConfigureAwait(false);
        run.Findings[Rules.Pact.Verification].Add(result);
    }
}
