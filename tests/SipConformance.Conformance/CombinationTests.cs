using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.Generation.Combinatorics;
using SipConformance.Running.Probes;

namespace SipConformance.Conformance;

/// <summary>
/// The combination sweep presented cell by cell (encryption x call_handler): a failing cell names
/// its failing rows and the smallest cipher and codec lists that still fail. And the proof that
/// this run's profile covers what it claims.
/// </summary>
[TestFixture]
public sealed class CombinationTests
{
    public static IEnumerable<TestCaseData> Cells() =>
        from e in ConformanceSession.SelectedContract.Encryptions
        from h in ConformanceSession.SelectedContract.CallHandlers
        select new TestCaseData(e, h).SetName($"Combination cell encryption={e}, call_handler={h}");

    [TestCaseSource(nameof(Cells))]
    public async Task Cell(string encryption, string callHandler)
    {
        var run = ConformanceSession.Run;
        await run.EnsureAsync("combinations");
        var probe = run.Probes.OfType<CombinationProbe>().Single();
        if (!run.Needed(probe)) Assert.Ignore($"SKIPPED: {run.Filter.LeftOutReason} (no selected check needs the combination sweep)");
        var cell = probe.Cells[CombinationProbe.Cell(encryption, callHandler)];
        // The target refused the baseline payload for its generated caller id: the sweep was not sent (the learning phase's diagnosis).
        if (run.BaselineRefusal is { } refusal) Assert.Ignore($"SKIPPED: {refusal}");
        if (cell.Rows == 0)
            Assert.Ignore(callHandler == CallHandlerValues.Resource && !run.ResourceAvailable
                ? "SKIPPED: no resource usable as call handler (set SIPCONF_RESOURCE_ID)"
                : $"SKIPPED: the {probe.Plan!.Profile.ToString().ToLowerInvariant()} profile sends no row in this cell");
        TestContext.Out.WriteLine(cell.Describe());
        Assert.That(cell.Failures, Is.Empty, cell.Describe());
    }

    [Test]
    public void The_profile_covers_every_tuple_it_claims()
    {
        var run = ConformanceSession.Run;
        var plan = CombinationPlan.For(run.Contract, run.Settings.EffectiveProfile);
        var coverage = plan.Coverage(plan.Strength);
        TestContext.Progress.WriteLine($"SipConformance: {plan.Profile.ToString().ToLowerInvariant()} profile: {plan.Count} rows; {coverage}");
        Assert.That(coverage.Complete, Is.True, coverage.ToString());
        Assert.That(plan.Coverage(1).Complete, Is.True, "every value of every factor appears at least once");
    }
}
