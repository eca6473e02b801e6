using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.ReferenceServer;
using SipConformance.Running;
using SipConformance.Running.Probes;
using SipConformance.SelfTests.Safety;

namespace SipConformance.SelfTests.Faults;

/// <summary>
/// The concurrency probe alone against each race fault: its groups sent at once break the rule the race breaks,
/// and the very same groups sent one request after another (each answer awaited) break nothing: it is the
/// overlap that catches them, not what is sent.
/// </summary>
[TestFixture]
public sealed class ConcurrencyProbeTests
{
    private const string March = "2026-03-18";
    private const string August = "2026-08-21";

    public static IEnumerable<TestCaseData> Races() =>
        from revision in new[] { March, August }
        from race in new[]
        {
            ("race-duplicate-username-500", "CREATE-VAL-018"),
            ("race-unsafe-store-500", "CREATE-MISC-003"),
            ("race-read-during-write-404", "CREATE-READ-001"),
            // The fault names CREATE-DEL-002 (GET after DELETE), but what a stale list cache breaks is the list's half of
            // that clause, which the rule book judges as CREATE-DEL-003: GET never reads the list cache.
            ("race-stale-list-cache", "CREATE-DEL-003"),
            ("race-shared-unit-of-work", "CREATE-VAL-016"),
        }
        select new TestCaseData(race.Item1, race.Item2, revision).SetName($"the concurrency probe under {revision}: {race.Item1} breaks {race.Item2} at once, nothing one at a time");

    [TestCaseSource(nameof(Races))]
    public async Task Groups_sent_at_once_catch_the_race_and_the_same_groups_sent_one_at_a_time_do_not(string fault, string rule, string revision)
    {
        var together = await RunAsync(fault, revision, atOnce: true);
        together[rule].Outcome.Should().Be(Outcome.Fail, Explain(together));

        var oneByOne = await RunAsync(fault, revision, atOnce: false);
        oneByOne.All.Where(r => r.Outcome is Outcome.Fail or Outcome.NonStrict).Should().BeEmpty(
            "the race faults' windows close before the answer is written, so requests sent one after another never overlap: " + Explain(oneByOne));
    }

    [Test]
    public void Together_releases_the_sends_at_one_moment()
    {
        var started = new System.Collections.Concurrent.ConcurrentBag<long>();
        var release = new TaskCompletionSource();
        var group = ConcurrencyProbe.TogetherAsync(Enumerable.Range(0, 4).Select(_ => (Func<Task>)(async () =>
        {
            started.Add(System.Diagnostics.Stopwatch.GetTimestamp());
            await release.Task;
        })));
        SpinWait.SpinUntil(() => started.Count == 4, TimeSpan.FromSeconds(10)).Should().BeTrue("every send runs before any of them has finished");
        group.IsCompleted.Should().BeFalse();
        release.SetResult();
        group.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();
    }

    private static async Task<RunFindings> RunAsync(string fault, string revision, bool atOnce)
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Faults = [fault], Contract = SipContract.Of(revision) });
        var settings = SafetyRun.Settings(SafetyRun.TempDirectory("concurrency"), timeout: TimeSpan.FromSeconds(5), strict: true) with { Revision = revision, Concurrency = 8 };
        await using var run = new SuiteRun(settings, SafetyRun.Target(server), SipContract.Of(revision), probes: [new ConcurrencyProbe(atOnce)]);
        await run.RunAllAsync();
        await run.CleanupAsync();
        TestContext.Out.WriteLine($"{fault} ({(atOnce ? "at once" : "one at a time")}, {revision}): {run.RequestsSent} requests, {run.Elapsed.TotalSeconds:0.0} s");
        return run.Findings;
    }

    private static string Explain(RunFindings findings) =>
        string.Join(Environment.NewLine, findings.All.Where(r => r.Outcome is Outcome.Fail or Outcome.NonStrict).Select(r => SafetyRun.Clip(r.Explain(), 2000)));
}
