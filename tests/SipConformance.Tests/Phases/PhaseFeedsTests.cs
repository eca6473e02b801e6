using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.ReferenceServer;
using SipConformance.Rules;
using SipConformance.Running;

namespace SipConformance.Tests.Phases;

/// <summary>
/// What each phase declares it feeds (<see cref="Probe.Feeds"/>, which a run filtered by --filter leaves phases out by)
/// against what it does: an unfiltered smoke run against the reference server, phase by phase, and every check that got
/// a verdict while a phase ran must be one that phase declares. A declaration that misses one would let a filtered run
/// leave out a phase a selected check needs, and give it another verdict than the full run.
/// </summary>
[TestFixture]
public sealed class PhaseFeedsTests
{
    [TestCase(ContractRevisions.March2026)]
    [TestCase(ContractRevisions.August2026)]
    public async Task Every_check_a_phase_gives_a_verdict_to_is_one_it_declares_it_feeds(string revision)
    {
        var contract = SipContract.Of(revision);
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Contract = contract });
        var settings = new SuiteSettings
        {
            Seed = 20261206, SeedGiven = true, RunMarker = "feeds", Profile = Profile.Smoke, Revision = revision,
            ArtifactsDirectory = Directory.CreateTempSubdirectory("sipconf-feeds-").FullName,
        };
        var target = Targets.Embedded(server.BaseUrl, server.Primary.ProjectId, server.Primary.ApiToken, server.Primary.ResourceId,
            server.Secondary.ProjectId, server.Secondary.ApiToken, server.Secondary.ResourceId);
        await using var run = new SuiteRun(settings, target, contract);

        var undeclared = new List<string>();
        var fed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var probe in run.Probes)
        {
            var before = run.Findings.All.ToDictionary(r => r.Check.Id, r => (r.Passes, r.ViolationCount));
            await run.EnsureAsync(probe.Name);
            foreach (var r in run.Findings.All)
                if (before[r.Check.Id] != (r.Passes, r.ViolationCount))
                {
                    fed.Add(r.Check.Id);
                    if (!probe.Feeds(r.Check)) undeclared.Add($"{probe.Name} gave {r.Check.Id} a verdict");
                }
            TestContext.Out.WriteLine($"{probe.Name}: {run.ProbeRequests[probe.Name]} request(s)");
        }
        TestContext.Out.WriteLine($"unfiltered smoke run ({revision}, no pact, no cleanup): {run.RequestsSent} request(s)");

        fed.Should().HaveCountGreaterThan(RuleBook.For(revision).Count / 2, "the run judged most checks (the comparison would prove nothing otherwise)");
        undeclared.Should().BeEmpty();
        await run.CleanupAsync();
    }
}
