using SipConformance.Contract;
using NUnit.Framework;
using SipConformance.Rules;
using SipConformance.Configuration;
using SipConformance.ReferenceServer;

namespace SipConformance.SelfTests.Faults;

/// <summary>
/// Who tests the tester: the real suite against the correct reference server (no false alarm,
/// strict mode) and against every fault of its catalogue (each caught, by a check of the fault's
/// level, with the cheapest profile that reaches it).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class FaultDetectionTests
{
    [TestCase(ServerVariant.Primary)]
    [TestCase(ServerVariant.Alternative)]
    public async Task The_correct_server_passes_in_strict_mode(ServerVariant variant)
    {
        var result = await FaultSweep.RunAsync(null, variant);
        Assert.That(result.Caught, Is.Empty, result.Explain());
        Assert.That(result.Results.Count(r => r.Outcome == Findings.Outcome.Pass), Is.GreaterThan(50), "the run judged most checks");
    }

    public static IEnumerable<TestCaseData> Quirks() =>
        QuirkCatalogue.All.Select(q => new TestCaseData(q.Id).SetName($"the unusual but correct server {q.Id} passes in strict mode"));

    [TestCaseSource(nameof(Quirks))]
    public async Task An_unusual_but_correct_server_passes_in_strict_mode(string id)
    {
        var result = await FaultSweep.RunAsync(null, quirk: QuirkCatalogue.Get(id));
        Assert.That(result.Caught, Is.Empty, result.Explain());
    }

    public static IEnumerable<TestCaseData> MustFaults() =>
        // The faults of the default revision (2026-03-18); those of 2026-08-21 only are run by the revision self-tests.
        FaultCatalogue.For(ContractRevisions.March2026).Where(f => f.Level == FaultLevel.Must).Select(f => new TestCaseData(f.Id).SetName($"MUST fault {f.Id} is caught by a MUST check"));

    public static IEnumerable<TestCaseData> ShouldFaults() =>
        FaultCatalogue.For(ContractRevisions.March2026).Where(f => f.Level == FaultLevel.Should).Select(f => new TestCaseData(f.Id).SetName($"SHOULD fault {f.Id} is NON-STRICT only"));

    [TestCaseSource(nameof(MustFaults))]
    public async Task A_must_fault_fails_the_run(string id)
    {
        var fault = FaultCatalogue.Get(id);
        var result = await FaultSweep.RunAsync(fault);
        TestContext.Out.WriteLine(result.Explain());
        Assert.That(result.Failed.Where(r => r.Check.Level != Level.Should), Is.Not.Empty,
            $"no MUST (or either) check failed against {id} ({fault.Description}); {result.Explain()}");
    }

    [TestCaseSource(nameof(ShouldFaults))]
    public async Task A_should_fault_is_non_strict_only(string id)
    {
        var fault = FaultCatalogue.Get(id);
        var result = await FaultSweep.RunAsync(fault);
        TestContext.Out.WriteLine(result.Explain());
        Assert.That(result.Failed, Is.Empty, $"a SHOULD-only fault must not fail the run in normal mode: {result.Explain()}");
        Assert.That(result.NonStrict, Is.Not.Empty, $"strict mode must fail on {id} ({fault.Description}), but nothing was NON-STRICT");
    }

    [Test]
    public void Every_combination_fault_names_the_profile_that_guarantees_it() =>
        Assert.That(FaultCatalogue.All.Where(f => f.MinimumProfile is not null).Select(f => (f.Id, FaultSweep.ProfileFor(f))), Is.SupersetOf(new[]
            {
                ("combo-pair", Profile.Pairwise), ("combo-triple", Profile.Threewise), ("combo-4way", Profile.Exhaustive), ("all-codecs", Profile.Smoke),
            }));
}
