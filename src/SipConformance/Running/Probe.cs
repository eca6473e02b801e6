namespace SipConformance.Running;

/// <summary>
/// One part of a run: it builds request cases, sends them through the run's API and hands what
/// came back to the evaluator. A check may get verdicts from any probe (every 200 is held to the
/// success checks, whichever probe caused it), so findings are presented after all probes ran.
/// </summary>
public abstract class Probe
{
    public abstract string Name { get; }

    public abstract Task RunAsync(SuiteRun run, CancellationToken ct);
}
