using SipConformance.Contract;
using NUnit.Framework;
using SipConformance.ReferenceServer;
using SipConformance.Running;

namespace SipConformance.SelfTests.Faults;

/// <summary>Builds the detection matrix from the sweep and fails when a fault escapes, a correct server is flagged, or the committed DETECTION-MATRIX.md is missing or stale (it is rewritten only on request).</summary>
[TestFixture]
public sealed class DetectionMatrixTests
{
    /// <summary>The command that rewrites the matrix (the test only reads it otherwise).</summary>
    public const string Regenerate = "SIPCONF_REGENERATE=true dotnet test tests/SipConformance.SelfTests --filter FullyQualifiedName~DetectionMatrix";

    [Test]
    public async Task DetectionMatrix_is_complete_and_current()
    {
        var faults = await Task.WhenAll(FaultCatalogue.For(ContractRevisions.March2026).Select(async f => (f, await FaultSweep.RunAsync(f))));
        // The same faults under 2026-08-21 (the revision self-tests' runs: one process shares them).
        var august = await Task.WhenAll(FaultCatalogue.For(ContractRevisions.August2026).Select(async f => (f, await FaultSweep.RunAsync(f, revision: ContractRevisions.August2026))));
        var correct = await Task.WhenAll(new[] { FaultSweep.RunAsync(null, ServerVariant.Primary), FaultSweep.RunAsync(null, ServerVariant.Alternative) }
            .Concat(QuirkCatalogue.All.Select(q => FaultSweep.RunAsync(null, quirk: q))));
        var text = DetectionMatrix.Render(faults, august, correct);

        var path = Path.Combine(RepositoryPaths.Root ?? throw new InvalidOperationException("run from inside the repository"), "tests", "SipConformance.SelfTests", DetectionMatrix.FileName);
        if (Environment.GetEnvironmentVariable("SIPCONF_REGENERATE") == "true") File.WriteAllText(path, text);
        var committed = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        TestContext.Out.WriteLine(text);

        var escaped = faults.Where(f => !DetectionMatrix.IsCaught(f.f, f.Item2)).Select(f => f.f.Id)
            .Concat(august.Where(f => !DetectionMatrix.IsCaught(f.f, f.Item2)).Select(f => f.f.Id + " (2026-08-21)")).ToList();
        Assert.That(escaped, Is.Empty, "faults the suite does not catch (see " + path + ")");
        var firing = DetectionMatrix.Firing(faults.Concat(august));
        Assert.That(SipConformance.Rules.RuleBook.All.Where(r => !firing.Contains(r.Id)).Select(r => r.Id), Is.Empty,
            "rules that no fault of the catalogue breaks: each rule needs a stimulus that reaches a fault");
        // Held to the rule it names: each fault in its own revision (a 2026-08-21-only fault under 2026-08-21).
        Assert.That(faults.Concat(august.Where(f => !f.f.AppliesIn(ContractRevisions.March2026))).Where(f => !f.Item2.Caught.Any(c => c.Id == f.f.Rule)).Select(f => f.f.Id), Is.Empty,
            "faults not caught by the rule they name");
        Assert.That(correct.SelectMany(c => c.Caught), Is.Empty, "a correct server (a variant or an unusual but correct one) was flagged");
        Assert.That(FaultCatalogue.All, Has.Count.GreaterThanOrEqualTo(30));
        Assert.That(DetectionMatrix.CaughtAfterStimulusChange.Keys, Is.SubsetOf(FaultCatalogue.WrittenBlind), "only blind faults are marked caught after a stimulus change");
        Assert.That(committed, Is.Not.Null, $"{path} is missing: write it with `{Regenerate}`");
        Assert.That(committed, Is.EqualTo(text), $"{DetectionMatrix.FileName} is stale (the sweep's matrix is above): rewrite it with `{Regenerate}` and commit it");
    }
}
