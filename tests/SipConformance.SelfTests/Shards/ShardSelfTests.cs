using SipConformance.Findings;
using SipConformance.Contract;
using System.Diagnostics;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Cli;
using SipConformance.Configuration;
using SipConformance.Reporting;
using SipConformance.Reporting.Html;
using SipConformance.ReferenceServer;
using SipConformance.Running;

namespace SipConformance.SelfTests.Shards;

/// <summary>
/// Shards against the reference server: 3 shards of a correct run merge to the unsharded run's
/// findings (same cases, same counts); a fault only some shards' rows reach still fails the
/// merged verdict, naming its check; SIPCONF_PROFILE=auto finishes within its budget.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ShardSelfTests
{
    private const long Seed = 20261203;

    private static SuiteSettings Settings(Shard shard, Profile profile, string artifacts) => new()
    {
        Seed = Seed, SeedGiven = true, Profile = profile, Shard = shard, Strict = true, PropertyIterations = 6,
        RequestTimeout = TimeSpan.FromSeconds(3), RunBudget = TimeSpan.FromMinutes(3), RateLimitBudget = TimeSpan.FromSeconds(3),
        Concurrency = 8, ArtifactsDirectory = artifacts,
    };

    /// <summary>One run (standard probes, no pact) against a fresh reference server; its reports written; returns its artifacts directory.</summary>
    private static async Task<string> RunAsync(Shard shard, Profile profile, string[] faults, string marker)
    {
        var artifacts = Directory.CreateTempSubdirectory($"sipconf-shard-{shard.Index}of{shard.Count}-").FullName;
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Faults = faults });
        var target = Targets.Embedded(server.BaseUrl, server.Primary.ProjectId, server.Primary.ApiToken, server.Primary.ResourceId,
            server.Secondary.ProjectId, server.Secondary.ApiToken, server.Secondary.ResourceId);
        await using var run = new SuiteRun(Settings(shard, profile, artifacts), target, SipContract.Default, marker: marker);
        await run.RunAllAsync();
        var cleanup = await run.CleanupAsync();
        Reports.Write(run, artifacts, cleanup);
        TestContext.Out.WriteLine($"shard {shard}: {RunDocument.Of(run).Verdict}; {server.RequestCount} requests");
        return artifacts;
    }

    private static async Task<(int Code, string Out, string Err, FindingsDocument? Merged)> MergeAsync(IReadOnlyList<string> dirs)
    {
        var output = Directory.CreateTempSubdirectory("sipconf-shard-merged-").FullName;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await MergeCommand.RunAsync(dirs, stdout, stderr, n => n == SettingsLoader.Artifacts ? output : null, CancellationToken.None);
        var file = Path.Combine(output, Reports.FindingsFileName);
        return (code, stdout.ToString(), stderr.ToString(), File.Exists(file) ? FindingsDocument.Load(file) : null);
    }

    [Test]
    public async Task Three_shards_of_a_correct_run_merge_to_the_unsharded_run_s_findings()
    {
        var whole = FindingsDocument.Load(Path.Combine(await RunAsync(Shard.Whole, Profile.Smoke, [], "shardall"), Reports.FindingsFileName));
        var dirs = new List<string>();
        for (var i = 1; i <= 3; i++) dirs.Add(await RunAsync(new Shard(i, 3), Profile.Smoke, [], $"shard{i}"));

        var (code, stdout, stderr, merged) = await MergeAsync(dirs);

        code.Should().Be(0, stdout + stderr);
        whole.Failed.Should().BeFalse(whole.Verdict);
        merged!.Verdict.Should().Be(whole.Verdict);
        merged.Checks.Select(c => (c.Id, c.Outcome, c.Passes, c.Violations, c.Requests))
            .Should().Equal(whole.Checks.Select(c => (c.Id, c.Outcome, c.Passes, c.Violations, c.Requests)), "the shards together judged exactly the unsharded run's cases");
        merged.Combinations!.SentRows.Should().Be(whole.Combinations!.SentRows);
        merged.Combinations.Cells.Select(c => (c.Cell, c.Rows)).Should().Equal(whole.Combinations.Cells.Select(c => (c.Cell, c.Rows)));
        merged.CreateStatuses.Should().BeEquivalentTo(whole.CreateStatuses);
        stdout.Should().Contain(whole.Verdict);
    }

    [Test]
    public async Task A_fault_that_only_some_shards_reach_fails_the_merged_verdict_naming_its_check()
    {
        // Reached only by the parsers phase's braced and unhyphenated forms of the resource id (two cases, each in one shard):
        // a combination fault is no longer one (the other phases' payloads, drawn at random, meet every cell in every shard).
        var fault = FaultCatalogue.All.Single(f => f.Id == "uuid-dotnet-guid-parse");
        var dirs = new List<string>();
        for (var i = 1; i <= 3; i++) dirs.Add(await RunAsync(new Shard(i, 3), Profile.Smoke, [fault.Id], $"fault{i}"));
        var shards = dirs.Select(d => FindingsDocument.Load(Path.Combine(d, Reports.FindingsFileName))).ToList();
        var failing = shards.Where(s => s.Checks.Single(c => c.Id == fault.Rule).Outcome == Outcome.Fail).ToList();
        failing.Should().NotBeEmpty();
        failing.Count.Should().BeLessThan(3, "the fault's rows are not in every shard");

        var (code, stdout, _, merged) = await MergeAsync(dirs);

        code.Should().Be(1);
        merged!.Verdict.Should().StartWith("SipConformance verdict: FAIL");
        merged.Checks.Single(c => c.Id == fault.Rule).Outcome.Should().Be(Outcome.Fail);
        stdout.Should().Contain(merged.Verdict).And.MatchRegex($"{fault.Rule} +\\S+ +FAIL");
    }

    [Test]
    public async Task Auto_at_a_high_rate_and_a_short_budget_picks_a_profile_and_finishes_within_the_budget()
    {
        // Scaled from 5 requests/s for 10 minutes (3000 requests): 100 requests/s for 30 s, the same 3000.
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions());
        var target = Targets.Embedded(server.BaseUrl, server.Primary.ProjectId, server.Primary.ApiToken, server.Primary.ResourceId,
            server.Secondary.ProjectId, server.Secondary.ApiToken, server.Secondary.ResourceId);
        var budget = TimeSpan.FromSeconds(30);
        var settings = Settings(Shard.Whole, Profile.Smoke, SafetyRunTemp()) with { Profile = null, AutoProfile = true, MaxRequestsPerSecond = 100, RunBudget = budget, PropertyIterations = 40 };
        var clock = Stopwatch.StartNew();
        await using var run = new SuiteRun(settings, target, SipContract.Of(settings.Revision), marker: "autoscaled");
        run.Banner().Should().Contain("profile auto: ");
        var choice = run.AutoChoice!;
        choice.Fits.Should().BeTrue();
        run.Settings.Profile.Should().NotBe(Profile.Exhaustive);
        await run.RunAllAsync();
        await run.CleanupAsync();
        clock.Elapsed.Should().BeLessThan(budget);
        run.BudgetExhausted.Should().BeFalse();
        var actuals = run.AutoProfileActuals!;
        TestContext.Out.WriteLine(run.AutoProfileReport());
        actuals.RequestsSent.Should().BeGreaterThan(choice.Chosen.Requests / 2).And.BeLessThanOrEqualTo(choice.Chosen.Requests, "the prediction is an upper bound, and not a wild one");
        actuals.Elapsed.Should().BeLessThan(budget);
    }

    /// <summary>The real thing: 5 requests/s for 10 minutes (explicit, opt in: dotnet test tests/SipConformance.SelfTests --filter TestCategory=AutoReal).</summary>
    [Test, Category("AutoReal"), Explicit("about 10 minutes at 5 requests/s")]
    public async Task Auto_at_5_requests_per_second_in_10_minutes_fits()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions());
        var target = Targets.Embedded(server.BaseUrl, server.Primary.ProjectId, server.Primary.ApiToken, server.Primary.ResourceId,
            server.Secondary.ProjectId, server.Secondary.ApiToken, server.Secondary.ResourceId);
        var budget = TimeSpan.FromMinutes(10);
        var settings = Settings(Shard.Whole, Profile.Smoke, SafetyRunTemp()) with
        {
            Profile = null, AutoProfile = true, MaxRequestsPerSecond = 5, Concurrency = 2, RunBudget = budget, PropertyIterations = 40, RequestTimeout = TimeSpan.FromSeconds(30),
        };
        await using var run = Pact.Suite.Create(settings, target, Directory.CreateTempSubdirectory("sipconf-auto-pacts-").FullName, "autoreal");
        TestContext.Out.WriteLine(run.Banner());
        await run.RunAllAsync();
        await run.CleanupAsync();
        TestContext.Out.WriteLine(run.AutoProfileReport());
        run.BudgetExhausted.Should().BeFalse();
        run.AutoProfileActuals!.Elapsed.Should().BeLessThan(budget);
        run.Findings.FailsRun(strict: true).Should().BeFalse(RunDocument.Of(run).Verdict);
    }

    private static string SafetyRunTemp() => Directory.CreateTempSubdirectory("sipconf-auto-").FullName;
}
