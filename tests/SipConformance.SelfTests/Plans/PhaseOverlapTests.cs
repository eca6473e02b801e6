using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.ReferenceServer;
using SipConformance.Running;
using SipConformance.SelfTests.Safety;

namespace SipConformance.SelfTests.Plans;

/// <summary>
/// The run's phases go one at a time until the target first answers 429; from then on the phases not yet
/// started start beside the one under way (a phase waiting out a 429 does not hold up the rest), and each
/// phase's request count is its own even then.
/// </summary>
[TestFixture]
public sealed class PhaseOverlapTests
{
    /// <summary>Pairs of phases whose runs overlapped in time ("a / b").</summary>
    private static List<string> Overlapping(SuiteRun run)
    {
        var spans = run.ProbeStarts.Select(p => (Name: p.Key, Start: p.Value, End: p.Value + run.ProbeTimes[p.Key])).OrderBy(s => s.Start).ToList();
        var pairs = new List<string>();
        for (var i = 0; i < spans.Count; i++)
            for (var j = i + 1; j < spans.Count; j++)
                // A phase waits for the ones it comes after: a start within a millisecond of an end is the next phase, not an overlap.
                if (spans[j].Start < spans[i].End - TimeSpan.FromMilliseconds(1)) pairs.Add($"{spans[i].Name} / {spans[j].Name}");
        return pairs;
    }

    [Test]
    public async Task Against_a_target_that_rate_limits_the_phases_overlap_and_still_nothing_fails()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Quirks = ["rate-limit-one-in-seven"] });
        var settings = SafetyRun.Settings(SafetyRun.TempDirectory("overlap"), iterations: 10, strict: true) with { RateLimitBudget = TimeSpan.FromSeconds(45) };
        await using var run = new SuiteRun(settings, SafetyRun.Target(server), SipContract.Of(settings.Revision));

        await run.RunAllAsync();
        var sent = run.RequestsSent;
        await run.CleanupAsync();

        run.RateLimited.Should().BeTrue("the quirk answers every 7th request 429");
        run.Findings.All.Where(r => r.Outcome is Outcome.Fail or Outcome.NonStrict).Select(r => r.Explain()).Should()
            .BeEmpty("the server is correct: overlapping phases judge it as sequential ones do");
        var overlapping = Overlapping(run);
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, overlapping));
        overlapping.Should().NotBeEmpty("from the first 429 on, the phases not yet started start beside the one under way");
        run.ProbeRequests.Values.Sum().Should().Be(sent, "each request is counted to the phase that sent it, also when phases overlap");
    }

    [Test]
    public async Task Against_a_target_that_never_rate_limits_the_phases_go_one_at_a_time()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions());
        var outcome = await SafetyRun.RunAsync(SafetyRun.Settings(SafetyRun.TempDirectory("sequential"), iterations: 10), SafetyRun.Target(server), "sequential");
        await using var run = outcome.Run;

        run.RateLimited.Should().BeFalse();
        Overlapping(run).Should().BeEmpty();
        run.ProbeStarts.Keys.Should().BeEquivalentTo(run.Probes.Select(p => p.Name));
    }
}
