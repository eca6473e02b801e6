using System.Diagnostics;
using System.Runtime;
using System.Text.Json;
using System.Text.Json.Serialization;
using SipConformance.Rules;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.Generation.Combinatorics;
using SipConformance.ReferenceServer;
using SipConformance.Running;
using SipConformance.Running.Probes;
using SipConformance.Target;

namespace SipConformance.Bench;

/// <summary>What one measured child process (a floor or a sweep) came to.</summary>
public sealed record ChildResult(
    string Kind,
    long Rows,
    int Concurrency,
    double WallSeconds,
    long Requests,
    long PeakWorkingSetBytes,
    long GcHeapAfterRunBytes,
    long GcLiveAfterFullCollectBytes,
    long AllocatedBytes,
    int Gen0,
    int Gen1,
    int Gen2,
    double CpuSeconds,
    double ProcessSeconds,
    int SchemaPasses,
    int EchoUsernamePasses,
    long Violations,
    string LoadBefore,
    string LoadAfter,
    bool Verified,
    IReadOnlyList<string> Problems,
    string SchemaCheck = "CREATE-OK-003")
{
    public double RequestsPerSecond => Requests / WallSeconds;

    /// <summary>CPU seconds over wall seconds over cores: how busy the machine's cores were with this process.</summary>
    public double CpuShare => CpuSeconds / WallSeconds / Environment.ProcessorCount;

    public double MicrosecondsPerRow => WallSeconds / Rows * 1e6;

    public string Line() =>
        $"{Kind,-5} wall {WallSeconds,7:F2} s | {Requests:N0} requests | {RequestsPerSecond,6:N0} req/s | peak working set {PeakWorkingSetBytes / BenchProgram.Mb,4:N0} MB | " +
        $"allocated {AllocatedBytes / BenchProgram.Gb,5:N2} GB | CPU {CpuSeconds:F1} s ({CpuShare:P0} of {Environment.ProcessorCount} cores) | load {LoadBefore} -> {LoadAfter} | " +
        (!Verified ? "NOT VERIFIED: " + string.Join("; ", Problems)
            : Kind == Sweep.Kind ? $"verified ({SchemaPasses:N0} x {SchemaCheck}, {EchoUsernamePasses:N0} x CREATE-ECHO-001, {Violations} violations, nothing left)"
            : "verified (every create 200, read-back 200, delete 204, nothing left)") +
        $"\n          GCs gen0/1/2 {Gen0}/{Gen1}/{Gen2}, GC heap after run {GcHeapAfterRunBytes / BenchProgram.Mb:N0} MB, live after a full GC {GcLiveAfterFullCollectBytes / BenchProgram.Mb:N0} MB, child process {ProcessSeconds:F1} s";

    /// <summary>The same result with the server-side problems (requests received, endpoints left) added.</summary>
    public ChildResult WithServerCheck(long requests, int left)
    {
        var problems = Problems.ToList();
        if (requests != 3 * Rows) problems.Add($"the server received {requests:N0} requests, expected {3 * Rows:N0} (create, read-back, delete per row)");
        if (left != 0) problems.Add($"{left:N0} endpoint(s) left on the server");
        return this with { Requests = requests, Problems = problems, Verified = problems.Count == 0 };
    }
}

[JsonSerializable(typeof(ChildResult))]
[JsonSerializable(typeof(ServeInfo))]
[JsonSerializable(typeof(ServerStats))]
public sealed partial class BenchJson : JsonSerializerContext;

/// <summary>Runs an action as a measured phase of a child process: wall, CPU, allocations, GCs, peak working set.</summary>
public sealed class Measured
{
    private readonly string _loadBefore = Load.Average();
    private readonly int _gc0 = GC.CollectionCount(0), _gc1 = GC.CollectionCount(1), _gc2 = GC.CollectionCount(2);
    private readonly long _allocated0 = GC.GetTotalAllocatedBytes(precise: true);
    private readonly TimeSpan _cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _excludedAllocated;

    /// <summary>Stops the clock while <paramref name="untimed"/> runs (and leaves out what it allocates): work that is not part of what is measured.</summary>
    public T Untimed<T>(Func<T> untimed)
    {
        _clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        try { return untimed(); }
        finally
        {
            _excludedAllocated += GC.GetTotalAllocatedBytes(precise: true) - allocated;
            _clock.Start();
        }
    }

    public ChildResult Stop(string kind, long rows, int concurrency, IReadOnlyList<string> problems, int schemaPasses = 0, int echoPasses = 0, long violations = 0, string schemaCheck = "CREATE-OK-003")
    {
        var wall = _clock.Elapsed.TotalSeconds;
        var self = Process.GetCurrentProcess();
        self.Refresh();
        var cpu = (self.TotalProcessorTime - _cpu0).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocated0 - _excludedAllocated;
        var (g0, g1, g2) = (GC.CollectionCount(0) - _gc0, GC.CollectionCount(1) - _gc1, GC.CollectionCount(2) - _gc2);
        var heapAfterRun = GC.GetTotalMemory(forceFullCollection: false);
        var loadAfter = Load.Average();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        var live = GC.GetTotalMemory(forceFullCollection: true);
        self.Refresh();
        return new ChildResult(kind, rows, concurrency, wall, 0, self.PeakWorkingSet64, heapAfterRun, live, allocated, g0, g1, g2, cpu, 0,
            schemaPasses, echoPasses, violations, _loadBefore, loadAfter, problems.Count == 0, problems, schemaCheck);
    }
}

/// <summary>What the benchmark's children share: the settings, and the payload the sweep sends for a row.</summary>
public static class BenchRows
{
    public static SuiteSettings Settings(int? concurrency, string artifacts) =>
        new() { Seed = 1, Profile = Profile.Exhaustive, Concurrency = concurrency, ArtifactsDirectory = artifacts };

    /// <summary>The payload <see cref="CombinationProbe"/> sends for a row.</summary>
    public static System.Text.Json.Nodes.JsonObject Payload(SuiteRun run, ComboRow row) =>
        (System.Text.Json.Nodes.JsonObject)CombinationProbe.Case(run, row, row.Ciphers, row.Codecs).Payload!;

    /// <summary>Runs a child's body in a fresh artifacts folder and prints its result line for the parent.</summary>
    public static async Task<int> ChildAsync(Func<string, Task<ChildResult>> body)
    {
        var process = Stopwatch.StartNew();
        var artifacts = Directory.CreateTempSubdirectory("sipconf-bench-");
        ChildResult result;
        try { result = await body(artifacts.FullName); }
        finally
        {
            try { artifacts.Delete(recursive: true); }
            catch (IOException) { }
        }
        result = result with { ProcessSeconds = process.Elapsed.TotalSeconds };
        if (!Console.IsOutputRedirected) Console.Error.WriteLine(result.Line());
        Console.WriteLine(BenchProgram.ResultPrefix + JsonSerializer.Serialize(result, BenchJson.Default.ChildResult));
        return result.Verified ? 0 : 1;
    }
}

/// <summary>
/// One exhaustive sweep, as the suite runs it: a <see cref="SuiteRun"/> with <see cref="CombinationProbe"/> only,
/// Seed 1, Profile exhaustive. The clock covers <see cref="SuiteRun.RunAllAsync"/> only. With <c>--server</c> the
/// reference server is the parent's (another process); without, one is started in this process.
/// </summary>
public static class Sweep
{
    public const string Kind = "sweep";

    public static Task<int> RunChildAsync(Options options) => BenchRows.ChildAsync(async artifacts =>
    {
        if (options.Server is { } info) return await RunAsync(info.Target(), BenchContracts.Get(info.Contract), options.Concurrency, artifacts);
        // By hand, without a server process: the reference server in this process (with the faults asked for).
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Faults = options.Faults, Contract = BenchContracts.Get(options.Contract) });
        var target = Targets.Embedded(server.BaseUrl, server.Primary.ProjectId, server.Primary.ApiToken, server.Primary.ResourceId,
            server.Secondary.ProjectId, server.Secondary.ApiToken);
        var requests0 = server.RequestCount;
        var result = await RunAsync(target, BenchContracts.Get(options.Contract), options.Concurrency, artifacts);
        return result.WithServerCheck(server.RequestCount - requests0, server.EndpointCount(server.Primary.ProjectId));
    });

    private static async Task<ChildResult> RunAsync(ResolvedTarget target, SipContract contract, int? concurrency, string artifacts)
    {
        var settings = BenchRows.Settings(concurrency, artifacts);
        var probe = new CombinationProbe();
        await using var run = new SuiteRun(settings, target, contract, probes: [probe]);
        var expected = CombinationPlan.For(contract, Profile.Exhaustive).Count;

        var measured = new Measured();
        await run.RunAllAsync();
        var findings = run.Findings;
        var schema = SchemaCheck(contract);
        return measured.Stop(Kind, expected, settings.EffectiveConcurrency, Verify(run, probe, expected),
            findings[schema].Passes, findings[Echo.Username].Passes, findings.All.Sum(r => (long)r.ViolationCount), schema.Id);
    }

    /// <summary>The check of the answer's schema in the contract's revision (CREATE-OK-003, or CREATE-OK-011 for the flat 2026-08-21 answer).</summary>
    public static Rule SchemaCheck(SipContract contract) => Success.Schema.AppliesIn(contract.Revision) ? Success.Schema : Success.FlatSchema;

    /// <summary>Every row judged and passed, nothing broken: else the problems (the server's side is checked by whoever holds the server).</summary>
    private static List<string> Verify(SuiteRun run, CombinationProbe probe, long expected)
    {
        var problems = new List<string>();
        var findings = run.Findings;
        var schema = SchemaCheck(run.Contract);
        if (findings[schema].Passes != expected)
            problems.Add($"{schema.Id} passed {findings[schema].Passes:N0} times, expected {expected:N0}");
        if (findings[Echo.Username].Passes != expected)
            problems.Add($"{Echo.Username.Id} passed {findings[Echo.Username].Passes:N0} times, expected {expected:N0}");
        foreach (var r in findings.All.Where(r => r.ViolationCount > 0))
            problems.Add($"{r.Check.Id} broken {r.ViolationCount:N0} time(s), first: {r.Violations.FirstOrDefault()}");
        var (planned, skipped, rows, failed) = (probe.Plan?.Count ?? 0, probe.SkippedRows, probe.Cells.Values.Sum(c => (long)c.Rows), probe.Cells.Values.Sum(c => c.Failures.Count));
        if (planned != expected) problems.Add($"the plan has {planned:N0} rows, expected {expected:N0}");
        if (skipped != 0) problems.Add($"{skipped} rows skipped");
        if (rows != expected) problems.Add($"{rows:N0} rows judged, expected {expected:N0}");
        if (failed != 0) problems.Add($"{failed:N0} rows broke a rule");
        return problems;
    }
}

/// <summary>
/// The HTTP floor: the sweep's rows with nothing but the HTTP round trips, on a bare HttpClient: create (the
/// body the sweep sends for the row), read back, delete, at the sweep's concurrency. The bodies are generated
/// a block at a time with the clock stopped (so memory does not grow with the rows and generation is not
/// counted); only the answers' statuses and the created id are looked at.
/// </summary>
public static class Floor
{
    public const string Kind = "floor";
    private const int Block = 4096;

    public static Task<int> RunChildAsync(Options options) => BenchRows.ChildAsync(async artifacts =>
    {
        var info = options.Server ?? throw new BenchFailure("floor needs --server (the parent's server process)", 2);
        var contract = BenchContracts.Get(info.Contract);
        var settings = BenchRows.Settings(options.Concurrency, artifacts);
        await using var run = new SuiteRun(settings, info.Target(), contract, probes: []);
        var concurrency = settings.EffectiveConcurrency;
        var plan = CombinationPlan.For(contract, Profile.Exhaustive);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(2, concurrency), UseCookies = false, UseProxy = false, AllowAutoRedirect = false,
        });
        var auth = run.Target.Primary.Auth.Value!.Reveal();
        var collection = run.Api.Collection;
        var failures = 0;
        long rows = 0;

        var measured = new Measured();
        foreach (var block in plan.Rows().Chunk(Block))
        {
            var bodies = measured.Untimed(() => block.Select(r => SipApi.Serialize(BenchRows.Payload(run, r))).ToArray());
            rows += bodies.Length;
            await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (body, ct) =>
            {
                if (!await RoundTripAsync(http, auth, collection, run.Api, body, ct)) Interlocked.Increment(ref failures);
            });
        }
        var problems = new List<string>();
        if (failures > 0) problems.Add($"{failures:N0} row(s) did not answer 200, 200, 204");
        if (rows != plan.Count) problems.Add($"{rows:N0} rows sent, expected {plan.Count:N0}");
        return measured.Stop(Kind, plan.Count, concurrency, problems);
    });

    /// <summary>Create, read back, delete; true when they answered 200, 200, 204.</summary>
    public static async Task<bool> RoundTripAsync(HttpClient http, string auth, Uri collection, SipApi api, byte[] body, CancellationToken ct)
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, collection) { Content = new ByteArrayContent(body) };
        post.Headers.TryAddWithoutValidation("Authorization", auth);
        post.Content.Headers.TryAddWithoutValidation("Content-Type", SipApi.JsonContentType);
        using var created = await http.SendAsync(post, ct);
        var bytes = await created.Content.ReadAsByteArrayAsync(ct);
        if (created.StatusCode != System.Net.HttpStatusCode.OK) return false;
        string id;
        using (var doc = JsonDocument.Parse(bytes)) id = doc.RootElement.GetProperty("id").GetString()!;
        using var get = new HttpRequestMessage(HttpMethod.Get, api.Item(id));
        get.Headers.TryAddWithoutValidation("Authorization", auth);
        using var read = await http.SendAsync(get, ct);
        _ = await read.Content.ReadAsByteArrayAsync(ct);
        using var del = new HttpRequestMessage(HttpMethod.Delete, api.Item(id));
        del.Headers.TryAddWithoutValidation("Authorization", auth);
        using var deleted = await http.SendAsync(del, ct);
        return read.StatusCode == System.Net.HttpStatusCode.OK && deleted.StatusCode == System.Net.HttpStatusCode.NoContent;
    }
}
