using System.Text.Json;
using NUnit.Framework;
using SipConformance.Pact;
using SipConformance.Pact.Cli;

namespace SipConformance.Conformance;

/// <summary>The Pact files client teams build against: exported by this run, and published when a broker is configured.</summary>
[TestFixture]
public sealed class PactTests
{
    [Test]
    public async Task The_pact_is_exported_for_consumers()
    {
        var run = ConformanceSession.Run;
        await run.EnsureAsync(PactProbe.ProbeName);
        if (!run.Needed(run.Probe<PactProbe>()!)) Assert.Ignore($"SKIPPED: {run.Filter.LeftOutReason} (no selected check needs the pact)");
        var file = run.Probes.OfType<PactProbe>().Single().PactFile;
        Assert.That(file, Is.Not.Null.And.Exist, "the pact file was not written");
        using var pact = JsonDocument.Parse(File.ReadAllText(file!));
        Assert.That(pact.RootElement.GetProperty("metadata").GetProperty("pactSpecification").GetProperty("version").GetString(), Does.StartWith("4."));
        Assert.That(pact.RootElement.GetProperty("interactions").GetArrayLength(), Is.GreaterThanOrEqualTo(7));
        Assert.That(run.Redactor.Leaks(File.ReadAllText(file!)), Is.False, "a credential reached the pact file");
        TestContext.Progress.WriteLine($"SipConformance: pact written to {file}");
    }

    [Test]
    public async Task The_pact_is_published_when_a_broker_is_configured()
    {
        var run = ConformanceSession.Run;
        await run.EnsureAsync(PactProbe.ProbeName);
        if (!run.Needed(run.Probe<PactProbe>()!)) Assert.Ignore($"SKIPPED: {run.Filter.LeftOutReason} (no selected check needs the pact)");
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value);
        var file = run.Probe<PactProbe>()!.PactFile;
        if (file is null) Assert.Fail("no pact was exported, so there is nothing to publish");
        var result = await PactWorkflow.PublishAsync(run.Settings, Path.GetDirectoryName(file)!, environment, CancellationToken.None);
        TestContext.Progress.WriteLine("SipConformance: pact publishing: " + run.Redactor.Redact(result.Message));
        if (result.Status == PublishStatus.Skipped) Assert.Ignore("SKIPPED: " + result.Message);
        Assert.That(result.Status, Is.EqualTo(PublishStatus.Published), run.Redactor.Redact(result.Output ?? result.Message));
    }
}
