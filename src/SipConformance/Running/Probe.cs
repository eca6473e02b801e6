using SipConformance.Checks;

namespace SipConformance.Running;

/// <summary>
/// One part of a run: it builds request cases, sends them through the run's API and hands what
/// came back to the evaluator. It names the checks it gives verdicts for, so that asking for one
/// check runs only the probes it needs.
/// </summary>
public abstract class Probe
{
    public abstract string Name { get; }

    /// <summary>The checks this probe judges (beyond the ones every answer is held to).</summary>
    public abstract IReadOnlyList<CheckInfo> Feeds { get; }

    public abstract Task RunAsync(SuiteRun run, CancellationToken ct);
}

/// <summary>A probe from a delegate (for parts that live outside this library, such as Pact).</summary>
public sealed class DelegateProbe(string name, IReadOnlyList<CheckInfo> feeds, Func<SuiteRun, CancellationToken, Task> run) : Probe
{
    public override string Name => name;
    public override IReadOnlyList<CheckInfo> Feeds => feeds;
    public override Task RunAsync(SuiteRun suiteRun, CancellationToken ct) => run(suiteRun, ct);
}
