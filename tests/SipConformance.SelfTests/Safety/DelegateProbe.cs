using SipConformance.Configuration;
using SipConformance.Running;

namespace SipConformance.SelfTests.Safety;

/// <summary>
/// A probe from a delegate: a self-test's own step inside a real run (for example endpoints kept until the end), with the
/// requests it plans; <paramref name="needsAccepted"/> false lets it run before the learning phase (<see cref="Probe.NeedsAccepted"/>).
/// </summary>
public sealed class DelegateProbe(string name, Func<SuiteRun, CancellationToken, Task> run, long plannedRequests = 0, bool needsAccepted = true) : Probe
{
    public override string Name => name;
    public override bool NeedsAccepted => needsAccepted;
    public override long PlannedRequests(SuiteRun suiteRun, Profile profile, Shard shard) => plannedRequests;
    public override Task RunAsync(SuiteRun suiteRun, CancellationToken ct) => run(suiteRun, ct);
}
