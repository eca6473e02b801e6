using System.Diagnostics;
using System.Runtime;
using System.Text.Json;
using System.Text.Json.Serialization;
using SipConformance.Rules;
using SipConformance.Configuration;
using SipConformance.ReferenceServer;
using SipConformance.Running;
using SipConformance.Running.Probes;

namespace SipConformance.Bench;

/// <summary>What one measured sweep (one child process) came to.</summary>
public sealed record SweepResult(
    int Concurrency,
    double WallSeconds,
    long Requests,
    double RequestsPerSecond,
    long PeakWorkingSetBytes,
    long GcHeapAfterRunBytes,
    long GcLiveAfterFullCollectBytes,
    long AllocatedBytes,
    int Gen0,
    int Gen1,
    int Gen2,
    double CpuSeconds,
    double ServerStartSeconds,
    double ProcessSeconds,
    int SchemaPasses,
    int EchoUsernamePasses,
    long Violations,
    string LoadBefore,
    string LoadAfter,
    bool Verified,
    IReadOnlyList<string> Problems)
{
    /// <summary>CPU seconds over wall seconds over cores: how busy the machine's cores were with this process.</summary>
    public double CpuShare => CpuSeconds / WallSeconds / Environment.ProcessorCount;

    public string Line() =>
        $"wall {WallSeconds,6:F2} s | {Requests:N0} requests | {RequestsPerSecond,6:N0} req/s | peak working set {PeakWorkingSetBytes / BenchProgram.Mb,4:N0} MB | " +
        $"GC heap after run {GcHeapAfterRunBytes / BenchProgram.Mb,3:N0} MB | load {LoadBefore} -> {LoadAfter} | " +
        (Verified ? $"verified ({SchemaPasses:N0} x CREATE-OK-003, {EchoUsernamePasses:N0} x CREATE-ECHO-001, {Violations} violations)" : "NOT VERIFIED: " + string.Join("; ", Problems)) +
        $"\n          CPU {CpuSeconds:F1} s ({CpuShare:P0} of {Environment.ProcessorCount} cores), allocated {AllocatedBytes / BenchProgram.Mb / 1024:N1} GB, " +
        $"GCs gen0/1/2 {Gen0}/{Gen1}/{Gen2}, GC heap live after a full GC {GcLiveAfterFullCollectBytes / BenchProgram.Mb:N0} MB, server start {ServerStartSeconds:F2} s, child process {ProcessSeconds:F1} s";
}

[JsonSerializable(typeof(SweepResult))]
[JsonSerializable(typeof(ServeInfo))]
public sealed partial class BenchJson : JsonSerializerContext;

/// <summary>One exhaustive sweep, as the suite runs it: server in this process, <see cref="CombinationProbe"/> only.</summary>
public static class Sweep
{
    public static async Task<int> RunChildAsync(Options options)
    {
        var process = Stopwatch.StartNew();
        // Run by the parent (stdout redirected): the parent prints the figures; run by hand: print them here too.
        var result = await RunAsync(options.Concurrency, Console.IsOutputRedirected ? TextWriter.Null : Console.Error, options.Faults);
        result = result with { ProcessSeconds = process.Elapsed.TotalSeconds };
        Console.WriteLine(BenchProgram.ResultPrefix + JsonSerializer.Serialize(result, BenchJson.Default.SweepResult));
        return result.Verified ? 0 : 1;
    }

    /// <summary>Starts a reference server, runs the sweep, checks the findings. Timing covers <see cref="SuiteRun.RunAllAsync"/> only.</summary>
    /// <param name="faults">Reference-server faults to inject (none for the benchmark; one shows that a wrong sweep fails the bench).</param>
    public static async Task<SweepResult> RunAsync(int? concurrency, TextWriter log, IReadOnlyList<string>? faults = null)
    {
        var artifacts = Directory.CreateTempSubdirectory("sipconf-bench-");
        try
        {
            var startClock = Stopwatch.StartNew();
            await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Faults = faults ?? [] });
            var serverStart = startClock.Elapsed.TotalSeconds;
            var settings = new SuiteSettings { Seed = 1, Profile = Profile.Exhaustive, Concurrency = concurrency, ArtifactsDirectory = artifacts.FullName };
            var target = Targets.Embedded(server.BaseUrl, server.Primary.ProjectId, server.Primary.ApiToken, server.Primary.ResourceId,
                server.Secondary.ProjectId, server.Secondary.ApiToken);
            var probe = new CombinationProbe();
            await using var run = new SuiteRun(settings, target, probes: [probe]);

            var loadBefore = Load.Average();
            var gc0 = GC.CollectionCount(0);
            var gc1 = GC.CollectionCount(1);
            var gc2 = GC.CollectionCount(2);
            var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var requests0 = server.RequestCount;
            var clock = Stopwatch.StartNew();

            await run.RunAllAsync();

            var wall = clock.Elapsed.TotalSeconds;
            var requests = server.RequestCount - requests0;
            var self = Process.GetCurrentProcess();
            self.Refresh();
            var cpu = (self.TotalProcessorTime - cpu0).TotalSeconds;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
            var (g0, g1, g2) = (GC.CollectionCount(0) - gc0, GC.CollectionCount(1) - gc1, GC.CollectionCount(2) - gc2);
            var heapAfterRun = GC.GetTotalMemory(forceFullCollection: false);
            var loadAfter = Load.Average();

            var problems = Verify(run, probe, server, requests);
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            var live = GC.GetTotalMemory(forceFullCollection: true);
            self.Refresh();
            var peak = self.PeakWorkingSet64;

            var findings = run.Findings;
            var result = new SweepResult(settings.EffectiveConcurrency, wall, requests, requests / wall, peak, heapAfterRun, live, allocated, g0, g1, g2, cpu,
                serverStart, 0, findings[Success.Schema].Passes, findings[Echo.Username].Passes,
                findings.All.Sum(r => (long)r.ViolationCount), loadBefore, loadAfter, problems.Count == 0, problems);
            log.WriteLine($"sweep (concurrency {result.Concurrency}): {result.Line()}");
            return result;
        }
        finally
        {
            try { artifacts.Delete(recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>Every row created, read back, judged and deleted, and nothing broken: else the problems.</summary>
    private static List<string> Verify(SuiteRun run, CombinationProbe probe, ReferenceServer.ReferenceServer server, long requests)
    {
        var problems = new List<string>();
        var findings = run.Findings;
        if (findings[Success.Schema].Passes != BenchProgram.ExpectedRows)
            problems.Add($"{Success.Schema.Id} passed {findings[Success.Schema].Passes:N0} times, expected {BenchProgram.ExpectedRows:N0}");
        if (findings[Echo.Username].Passes != BenchProgram.ExpectedRows)
            problems.Add($"{Echo.Username.Id} passed {findings[Echo.Username].Passes:N0} times, expected {BenchProgram.ExpectedRows:N0}");
        foreach (var r in findings.All.Where(r => r.ViolationCount > 0))
            problems.Add($"{r.Check.Id} broken {r.ViolationCount:N0} time(s), first: {r.Violations.FirstOrDefault()}");
        var (planned, skipped, rows, failed) = (probe.Plan?.Count ?? 0, probe.SkippedRows, probe.Cells.Values.Sum(c => c.Rows), probe.Cells.Values.Sum(c => c.Failures.Count));
        if (planned != BenchProgram.ExpectedRows) problems.Add($"the plan has {planned:N0} rows, expected {BenchProgram.ExpectedRows:N0}");
        if (skipped != 0) problems.Add($"{skipped} rows skipped");
        if (rows != BenchProgram.ExpectedRows) problems.Add($"{rows:N0} rows judged, expected {BenchProgram.ExpectedRows:N0}");
        if (failed != 0) problems.Add($"{failed:N0} rows broke a rule");
        if (requests != 3L * BenchProgram.ExpectedRows) problems.Add($"the server received {requests:N0} requests, expected {3L * BenchProgram.ExpectedRows:N0} (create, read-back, delete per row)");
        var left = server.EndpointCount(server.Primary.ProjectId);
        if (left != 0) problems.Add($"{left} endpoint(s) left on the server");
        return problems;
    }
}
