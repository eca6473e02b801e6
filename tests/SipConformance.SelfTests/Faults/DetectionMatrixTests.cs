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
        var faults = await Task.WhenAll(FaultCatalogue.All.Select(async f => (f, await FaultSweep.RunAsync(f))));
        var correct = await Task.WhenAll(new[] { FaultSweep.RunAsync(null, ServerVariant.Primary), FaultSweep.RunAsync(null, ServerVariant.Alternative) }
            .Concat(QuirkCatalogue.All.Select(q => FaultSweep.RunAsync(null, quirk: q))));
        var text = DetectionMatrix.Render(faults, correct);

        var path = Path.Combine(RepositoryPaths.Root ?? throw new InvalidOperationException("run from inside the repository"), "tests", "SipConformance.SelfTests", DetectionMatrix.FileName);
        if (Environment.GetEnvironmentVariable("SIPCONF_REGENERATE") == "true") File.WriteAllText(path, text);
        var committed = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        TestContext.Out.WriteLine(text);

        var escaped = faults.Where(f => !DetectionMatrix.IsCaught(f.f, f.Item2)).Select(f => f.f.Id).ToList();
        Assert.That(escaped, Is.Empty, "faults the suite does not catch (see " + path + ")");
        var firing = faults.SelectMany(f => f.Item2.Caught).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        Assert.That(SipConformance.Rules.RuleBook.All.Where(r => !firing.Contains(r.Id)).Select(r => r.Id), Is.Empty,
            "rules that no fault of the catalogue breaks: each rule needs a stimulus that reaches a fault");
        Assert.That(faults.Where(f => !f.Item2.Caught.Any(c => c.Id == f.f.Rule)).Select(f => f.f.Id), Is.Empty,
            "faults not caught by the rule they name");
        Assert.That(correct.SelectMany(c => c.Caught), Is.Empty, "a correct server (a variant or an unusual but correct one) was flagged");
        Assert.That(FaultCatalogue.All, Has.Count.GreaterThanOrEqualTo(30));
        Assert.That(DetectionMatrix.CaughtAfterStimulusChange.Keys, Is.SubsetOf(FaultCatalogue.WrittenBlind), "only blind faults are marked caught after a stimulus change");
        Assert.That(committed, Is.Not.Null, $"{path} is missing: write it with `{Regenerate}`");
        Assert.That(committed, Is.EqualTo(text), $"{DetectionMatrix.FileName} is stale (the sweep's matrix is above): rewrite it with `{Regenerate}` and commit it");
    }
}
