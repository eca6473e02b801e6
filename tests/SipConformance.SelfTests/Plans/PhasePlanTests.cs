using SipConformance.Contract;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Running;
using SipConformance.SelfTests.Safety;

namespace SipConformance.SelfTests.Plans;

/// <summary>
/// SIPCONF_PROFILE=auto predicts from the phases' own plans: each phase's plan is close to what it
/// sends to a correct server, and a phase given to the run is in the prediction (it cannot drop out).
/// </summary>
[TestFixture]
public sealed class PhasePlanTests
{
    [Test]
    public async Task Each_phase_sends_about_what_it_plans_to_a_correct_server()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServer.ReferenceServerOptions());
        var artifacts = Directory.CreateTempSubdirectory("sipconf-plans-").FullName;
        var settings = SafetyRun.Settings(artifacts, iterations: 10);
        await using var run = new SuiteRun(settings, SafetyRun.Target(server), SipContract.Default);

        await run.RunAllAsync();
        await run.CleanupAsync();

        foreach (var probe in run.Probes)
        {
            var planned = probe.PlannedRequests(run, settings.EffectiveProfile, Shard.Whole);
            var sent = run.ProbeRequests[probe.Name];
            TestContext.Out.WriteLine($"{probe.Name}: planned {planned}, sent {sent}");
            // A plan counts a case the contract lets be a 200 as create, read-back and delete, and a list as one page:
            // a correct server that refuses some of those, or pages a list, makes the two differ a little, never much.
            sent.Should().BeInRange((long)(planned * 0.7) - 2, (long)(planned * 1.15) + 4, $"phase {probe.Name}'s plan is what auto predicts from");
        }
    }

    [Test]
    public async Task A_phase_given_to_the_run_is_in_the_prediction()
    {
        var artifacts = Directory.CreateTempSubdirectory("sipconf-plans-").FullName;
        var target = Targets.Embedded(new Uri("http://127.0.0.1:9/"), "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", "PTplan-token-000111", null, null, null);
        var settings = SafetyRun.Settings(artifacts);
        await using var standard = new SuiteRun(settings, target, SipContract.Default);
        await using var more = new SuiteRun(settings, target, SipContract.Default, probes: [.. StandardProbes.All(), new DelegateProbe("extra", (_, _) => Task.CompletedTask, plannedRequests: 123)]);
        await using var oneOff = new SuiteRun(settings with { Shard = new Shard(2, 2) }, target, SipContract.Default, probes: [.. StandardProbes.All()]);

        AutoProfile.Predict(more, Profile.Smoke, Shard.Whole).Should().Be(AutoProfile.Predict(standard, Profile.Smoke, Shard.Whole) + 123);
        var lifecycle = standard.Probes.Single(p => p.Name == "lifecycle");
        lifecycle.OneOff.Should().BeTrue();
        standard.Runs(lifecycle, new Shard(2, 2)).Should().BeFalse("a one-off phase runs in shard 1 only");
        oneOff.Runs(lifecycle, oneOff.Shard).Should().BeFalse();
    }
}
