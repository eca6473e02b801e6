using SipConformance.Contract;
using System.Diagnostics;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Rules;
using SipConformance.Findings;
using SipConformance.Running;
using SipConformance.ReferenceServer;

namespace SipConformance.SelfTests.Safety;

/// <summary>
/// Time is bounded: a server that never answers, or a listener that never says a word, gives a
/// FAIL with the reason within the run's budget, never a hung run; and a cancelled run (Ctrl-C)
/// still deletes what it created.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class TimeBudgetTests
{
    [Test]
    public async Task A_server_that_never_answers_a_create_ends_the_run_within_its_budget_with_a_clear_FAIL()
    {
        var artifacts = SafetyRun.TempDirectory("never-answer");
        await using var server = await SafetyRun.ServerAsync("transport-never-answer");
        // Without a budget this run takes about 10 s (every create waits out its 0.4 s timeout); 6 s ends it early.
        var budget = TimeSpan.FromSeconds(6);
        var settings = SafetyRun.Settings(artifacts, timeout: TimeSpan.FromSeconds(0.4), budget: budget);

        var outcome = await SafetyRun.RunAsync(settings, SafetyRun.Target(server), "never answers");
        await using var run = outcome.Run;

        outcome.Elapsed.Should().BeLessThan(budget + TimeSpan.FromSeconds(3), "the run budget bounds the run");
        var complete = outcome[Http.CompleteAnswer];
        complete.Outcome.Should().Be(Outcome.Fail);
        complete.Explain().Should().Contain("no complete answer within 0.4 s (no response headers arrived)");
        complete.SkipReasons.Should().Contain(r => r.Contains("ran out of its time budget", StringComparison.Ordinal), "the budget, not the server, ended this run");
        outcome[Validation.MissingRequired].Outcome.Should().Be(Outcome.Pass, "requests the server does answer are still judged");
        outcome.CleanupElapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        server.EndpointCount(server.Primary.ProjectId).Should().Be(0, "creates that never answered were stored; the cleanup finds them by marker");
    }

    [Test]
    public async Task A_listener_that_accepts_and_never_replies_ends_the_run_quickly_with_a_clear_FAIL()
    {
        var artifacts = SafetyRun.TempDirectory("silent");
        using var silent = new SilentListener();
        var settings = SafetyRun.Settings(artifacts, timeout: TimeSpan.FromSeconds(0.5), budget: TimeSpan.FromSeconds(90));
        var target = Targets.Embedded(silent.BaseUrl, "5d6e7f80-0000-4000-8000-00000000aaaa", "PTsilent-token-0000", Guid.NewGuid().ToString(),
            "5d6e7f80-0000-4000-8000-00000000bbbb", "PTsilent-token-1111");
        var clock = Stopwatch.StartNew();

        var outcome = await SafetyRun.RunAsync(settings, target, "silent listener");
        await using var run = outcome.Run;

        // Waiting out every request would take minutes (600 requests of 0.5 s, many of them one after the other); the budget would end it at 90 s.
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(45), "after a few timeouts the target is treated as unresponsive and nothing waits");
        silent.Accepted.Should().BeGreaterThan(0, "the suite did reach the listener");
        silent.Accepted.Should().BeLessThan(80, "an unresponsive target is not sent request after request (each timed-out request costs a connection)");
        var complete = outcome[Http.CompleteAnswer];
        complete.Outcome.Should().Be(Outcome.Fail);
        var explained = complete.Explain();
        explained.Should().Contain("no complete answer within 0.5 s (no response headers arrived)");
        complete.ViolationCount.Should().BeGreaterThan(20);
        run.TargetStopped.Should().BeTrue();
        outcome.Cleanup.Problems.Should().Contain(p => p.Contains("its list was not searched for leftovers", StringComparison.Ordinal), "the cleanup says it did not look for leftovers on a silent target");
    }

    [Test]
    public async Task A_cancelled_run_stops_quickly_and_its_cleanup_still_deletes_what_it_created()
    {
        var artifacts = SafetyRun.TempDirectory("cancel");
        await using var server = await SafetyRun.ServerAsync();
        var settings = SafetyRun.Settings(artifacts);
        var kept = new DelegateProbe("keeper", async (run, ct) =>
        {
            for (var i = 0; i < 3; i++)
                await run.ExecuteAsync(run.ValidCase("keeper", i).Named("an endpoint kept until the end of the run").Build(Success.Status), ct, keep: true);
        }, needsAccepted: false); // first, before the learning phase: the cancellation must meet its endpoints
        await using var run = new SuiteRun(settings, SafetyRun.Target(server), SipContract.Of(settings.Revision), probes: [kept, .. StandardProbes.All()]);

        var running = run.RunAllAsync();
        var waited = Stopwatch.StartNew();
        while (server.RequestCount < 150 && !running.IsCompleted && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(10);
        running.IsCompleted.Should().BeFalse("the run is cancelled while it is sending");
        var clock = Stopwatch.StartNew();
        run.Cancel();
        await running;
        var stopped = clock.Elapsed;
        var left = server.EndpointCount(server.Primary.ProjectId);
        var cleanup = await run.CleanupAsync();
        TestContext.Out.WriteLine($"stopped {stopped.TotalMilliseconds:0} ms after Cancel; {left} endpoint(s) left before cleanup; {cleanup}");

        // No request waits once the run is cancelled; what remains is the probes building (and skipping) their cases.
        stopped.Should().BeLessThan(TimeSpan.FromSeconds(30));
        left.Should().BeGreaterThanOrEqualTo(3, "the kept endpoints were still there when the run was cancelled");
        run.Journal.Open().Should().BeEmpty("the cleanup closed every journal entry");
        cleanup.Failed.Should().Be(0);
        server.EndpointCount(server.Primary.ProjectId).Should().Be(0);
        server.EndpointCount(server.Secondary.ProjectId).Should().Be(0);
        run.Findings[Http.CompleteAnswer].Outcome.Should().NotBe(Outcome.Fail, "requests cut short by the cancellation are not findings");
    }
}
