using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.ReferenceServer;
using SipConformance.Rules;
using SipConformance.SelfTests.Faults;

namespace SipConformance.SelfTests.Revisions;

/// <summary>
/// The suite under each contract revision (SIPCONF_REVISION): the reference server speaking the revision
/// the run holds it to passes in strict mode; one speaking the other revision fails with a clear set of
/// FAILs (the run completes, no crash); every quirk that applies to 2026-08-21 still passes and every fault
/// that applies to it is caught under it. The runs are the fault sweep's (the whole suite, every probe).
/// </summary>
[TestFixture]
[Category("Revisions")]
[Parallelizable(ParallelScope.Children)]
public sealed class RevisionSelfTests
{
    private const string March = ContractRevisions.March2026;
    private const string August = ContractRevisions.August2026;

    public static IEnumerable<TestCaseData> Revisions() =>
        from r in ContractRevisions.All
        from v in new[] { ServerVariant.Primary, ServerVariant.Alternative }
        select new TestCaseData(r, v).SetName($"held to {r}, the correct server speaking {r} ({v.ToString().ToLowerInvariant()}) passes in strict mode");

    [TestCaseSource(nameof(Revisions))]
    public async Task The_correct_server_of_the_run_s_revision_passes_in_strict_mode(string revision, ServerVariant variant)
    {
        var result = await FaultSweep.RunAsync(null, variant, Profile.Pairwise, revision: revision);
        Assert.That(result.Caught, Is.Empty, result.Explain());
        Assert.That(result.Results.Count(r => r.Outcome == Outcome.Pass), Is.GreaterThan(50), "the run judged most checks");
        foreach (var rule in RuleBook.All.Where(r => !r.AppliesIn(revision)))
        {
            var check = result.Results.Single(r => r.Check == rule);
            Assert.That(check.Outcome, Is.EqualTo(Outcome.Skipped), $"{rule.Id} does not apply in {revision}");
            Assert.That(check.SkipReason, Does.Contain(Rule.NotInRevision(revision)), rule.Id);
        }
    }

    /// <summary>The checks a server of the other revision must fail, at least: the answer's schema, where the endpoint's fields are, what the other revision drops.</summary>
    private static readonly Dictionary<(string HeldTo, string Speaks), string[]> Expected = new()
    {
        [(August, March)] = [Success.FlatSchema.Id, Echo.Username.Id, Echo.Encryption.Id, Echo.Ciphers.Id, Echo.CallHandlerEither.Id, ReadBack.SameData.Id],
        [(March, August)] = [Success.Schema.Id, Success.Uuids.Id, Success.Project.Id, Success.Timestamps.Id, Success.DisplayName.Id, Echo.Username.Id, Echo.CallHandler.Id, ReadBack.SameData.Id],
    };

    [TestCase(August, March, TestName = "held to 2026-08-21, a server speaking 2026-03-18 fails with clear FAILs")]
    [TestCase(March, August, TestName = "held to 2026-03-18, a server speaking 2026-08-21 fails with clear FAILs")]
    public async Task A_server_of_the_other_revision_fails_with_clear_FAILs(string heldTo, string speaks)
    {
        var result = await FaultSweep.RunAsync(null, ServerVariant.Primary, Profile.Smoke, revision: heldTo, serverRevision: speaks);
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, result.Failed.Select(r => $"{r.Check.Id}: {r.Violations.FirstOrDefault()}")));

        // The run completed: every check of the rule book has its outcome, none crashed into CREATE-HTTP-001 (no answer).
        Assert.That(result.Results.Select(r => r.Check), Is.EquivalentTo(RuleBook.All));
        Assert.That(result.Failed.Select(r => r.Check.Id), Is.SupersetOf(Expected[(heldTo, speaks)]), result.Explain());
        Assert.That(result.Failed.Select(r => r.Check.Id), Does.Not.Contain(Http.CompleteAnswer.Id), "the server answered; the suite did not crash");
        // Clear: each FAIL says what was found where (the schema named, or the field's path in the run's revision).
        var contract = SipContract.Of(heldTo);
        var schema = result.Failed.Single(r => r.Check.Id == (heldTo == August ? Success.FlatSchema.Id : Success.Schema.Id));
        Assert.That(schema.Violations.First().Message, Does.Contain(contract.EndpointResponseSchema));
        var echo = result.Failed.Single(r => r.Check == Echo.Username);
        Assert.That(echo.Violations.First().Message, Does.Contain(contract.EndpointPath(FieldNames.Username) + " is absent"));
    }

    public static IEnumerable<TestCaseData> AugustQuirks() =>
        QuirkCatalogue.For(August).Select(q => new TestCaseData(q.Id).SetName($"held to 2026-08-21, the unusual but correct server {q.Id} passes in strict mode"));

    [TestCaseSource(nameof(AugustQuirks))]
    public async Task An_unusual_but_correct_2026_08_21_server_passes_in_strict_mode(string id)
    {
        var result = await FaultSweep.RunAsync(null, quirk: QuirkCatalogue.Get(id), revision: August);
        Assert.That(result.Caught, Is.Empty, result.Explain());
    }

    public static IEnumerable<TestCaseData> AugustFaults() =>
        FaultCatalogue.For(August).Select(f => new TestCaseData(f.Id).SetName($"held to 2026-08-21, {f.Level.ToString().ToUpperInvariant()} fault {f.Id} is caught"));

    [TestCaseSource(nameof(AugustFaults))]
    public async Task Every_fault_that_applies_to_2026_08_21_is_caught_under_it(string id)
    {
        var fault = FaultCatalogue.Get(id);
        var result = await FaultSweep.RunAsync(fault, revision: August);
        TestContext.Out.WriteLine(result.Explain());
        if (fault.Level == FaultLevel.Must)
            Assert.That(result.Failed.Where(r => r.Check.Level != Level.Should), Is.Not.Empty,
                $"no MUST (or either) check failed against {id} ({fault.Description}) under 2026-08-21; {result.Explain()}");
        else
        {
            Assert.That(result.Failed, Is.Empty, $"a SHOULD-only fault must not fail the run in normal mode: {result.Explain()}");
            Assert.That(result.NonStrict, Is.Not.Empty, $"strict mode must fail on {id} ({fault.Description}) under 2026-08-21, but nothing was NON-STRICT");
        }
    }
}
