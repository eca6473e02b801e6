using SipConformance.Contract;
using System.Diagnostics;
using NUnit.Framework;
using SipConformance.Rules;
using SipConformance.Configuration;
using SipConformance.Findings;
using SipConformance.Reporting;
using SipConformance.ReferenceServer;
using SipConformance.Running;

namespace SipConformance.SelfTests.Safety;

/// <summary>What one self-test run came to.</summary>
public sealed record RunOutcome(SuiteRun Run, CleanupReport Cleanup, TimeSpan Elapsed, TimeSpan CleanupElapsed)
{
    public CheckResult this[Rule check] => Run.Findings[check];

    public IReadOnlyList<CheckResult> Failing => Run.Findings.All.Where(r => r.Outcome == Outcome.Fail).ToList();
}

/// <summary>Builds and runs a SuiteRun (the library, with its standard probes) the way the self-tests need it.</summary>
public static class SafetyRun
{
    public static SuiteSettings Settings(string artifacts, TimeSpan? timeout = null, TimeSpan? budget = null, bool strict = false, bool cleanup = true, int iterations = 2) => new()
    {
        Seed = 1,
        SeedGiven = true,
        Profile = Profile.Smoke,
        PropertyIterations = iterations,
        RequestTimeout = timeout ?? TimeSpan.FromSeconds(10),
        RunBudget = budget ?? TimeSpan.FromMinutes(2),
        ArtifactsDirectory = artifacts,
        Strict = strict,
        Cleanup = cleanup,
    };

    public static ResolvedTarget Target(ReferenceServer.ReferenceServer server) =>
        Targets.Embedded(server.BaseUrl, server.Primary.ProjectId, server.Primary.ApiToken, server.Primary.ResourceId, server.Secondary.ProjectId, server.Secondary.ApiToken);

    /// <summary>Runs every probe, then the end-of-run cleanup; prints the summary table and what failed.</summary>
    public static async Task<RunOutcome> RunAsync(SuiteSettings settings, ResolvedTarget target, string? label = null)
    {
        var run = new SuiteRun(settings, target, SipContract.Of(settings.Revision));
        var clock = Stopwatch.StartNew();
        await run.RunAllAsync();
        var elapsed = clock.Elapsed;
        clock.Restart();
        var cleanup = await run.CleanupAsync();
        var outcome = new RunOutcome(run, cleanup, elapsed, clock.Elapsed);
        TestContext.Out.WriteLine($"{label ?? "run"}: probes {elapsed.TotalSeconds:0.0} s, cleanup {outcome.CleanupElapsed.TotalSeconds:0.0} s; {cleanup}");
        var doc = RunDocument.Of(run, cleanup);
        TestContext.Out.WriteLine(doc.Verdict);
        TestContext.Out.WriteLine(Reports.SummaryTable(doc));
        foreach (var r in run.Findings.All.Where(r => r.Outcome is Outcome.Fail or Outcome.NonStrict))
            TestContext.Out.WriteLine(Clip(r.Explain(), 3000));
        return outcome;
    }

    public static async Task<ReferenceServer.ReferenceServer> ServerAsync(params string[] faults) =>
        await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Faults = faults });

    public static string TempDirectory(string name) => Directory.CreateTempSubdirectory($"sipconf-{name}-").FullName;

    public static string Clip(string text, int max) => text.Length <= max ? text : text[..max] + $"... ({text.Length} chars)";
}
