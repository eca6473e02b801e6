using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using SipConformance.Cases;
using SipConformance.Rules;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Generation;
using SipConformance.Generation.Combinatorics;
using SipConformance.Running;
using SipConformance.Running.Probes;
using SipConformance.Target;

namespace SipConformance.Bench;

/// <summary>
/// Where the sweep's time goes (no profiler on the machine: Stopwatch, CPU-time and allocation deltas).
/// The reference server runs in a child process (this program's <c>serve</c> mode) so that the client's
/// and the server's CPU seconds can be told apart.
/// <list type="number">
/// <item>The whole sweep (<see cref="CombinationProbe"/>), as the suite runs it.</item>
/// <item>Generating all 49,152 cases on one thread, as the probe does (<see cref="PayloadFactory.Valid(string, long, EnumChoice)"/>
/// on the thread's reseeded Faker), then again in reverse row order (bodies compared byte for byte: a seed
/// must reproduce a payload whatever ran on the thread before).</item>
/// <item>The pre-generated cases at the sweep's concurrency: (a) a bare HttpClient, no judgement (the HTTP
/// floor); (b) the suite's client (SipApi/TargetClient, journal), no judgement; (c) SuiteRun.ExecuteAsync
/// (client and judgement); (d) c with each case generated inside, as the probe builds it.
/// Differences between them give the client's, the judgement's and the generation's share of the wall.</item>
/// <item>The suite's side, phase by phase on one thread over a sample of rows, extrapolated to 49,152 rows.</item>
/// </list>
/// </summary>
public static class Breakdown
{
    /// <summary>The rows of the default contract's exhaustive plan.</summary>
    private const int ExpectedRows = 49_152;

    public static async Task<int> RunAsync(Options options)
    {
        var concurrency = options.Concurrency ?? 8;
        var sampleRows = options.Rows ?? 4096;
        Console.WriteLine($"breakdown: concurrency {concurrency}, single-thread sample of {sampleRows:N0} rows extrapolated to {ExpectedRows:N0}; load {Load.Average()}");

        await using var server = await ServerProcess.StartAsync();
        Console.WriteLine($"reference server in child process {server.Pid} at {server.Info.BaseUrl}");
        var cores = Environment.ProcessorCount;

        // 1. The whole sweep, server out of process.
        double sweepWall = 0;
        if (!options.OneThread)
        {
            var artifacts = Directory.CreateTempSubdirectory("sipconf-bench-");
            var settings = new SuiteSettings { Seed = 1, Profile = Profile.Exhaustive, Concurrency = concurrency, ArtifactsDirectory = artifacts.FullName };
            await using var run = new SuiteRun(settings, server.Target(), SipContract.Default, probes: [new CombinationProbe()]);
            var m = Measure.Start(server);
            await run.RunAllAsync();
            var r = m.Stop();
            sweepWall = r.Wall;
            var ok = run.Findings[Success.Schema].Passes == ExpectedRows && run.Findings.All.All(x => x.ViolationCount == 0);
            Console.WriteLine();
            Console.WriteLine($"1. whole sweep, server in another process: wall {r.Wall:F1} s; client process CPU {r.ClientCpu:F1} s, server process CPU {r.ServerCpu:F1} s " +
                $"(together {(r.ClientCpu + r.ServerCpu) / r.Wall / cores:P0} of {cores} cores); client allocated {r.Allocated / BenchProgram.Mb / 1024:N1} GB; " +
                $"{(ok ? "findings verified" : "FINDINGS NOT AS EXPECTED")}");
            Console.WriteLine($"   per row: client {r.ClientCpu / ExpectedRows * 1e3:F2} ms CPU, server {r.ServerCpu / ExpectedRows * 1e3:F2} ms CPU (3 requests)");
            artifacts.Delete(recursive: true);
        }

        // The same cases, generated up front (one thread), so the later phases can leave generation out.
        var contract = SipContract.Default;
        var plan = CombinationPlan.For(contract, Profile.Exhaustive);
        var artifacts2 = Directory.CreateTempSubdirectory("sipconf-bench-");
        var settings2 = new SuiteSettings { Seed = 1, Profile = Profile.Exhaustive, Concurrency = concurrency, ArtifactsDirectory = artifacts2.FullName };
        await using var sample = new SuiteRun(settings2, server.Target(), contract, probes: []);
        var allRows = plan.Rows().ToList();
        var cases = new List<CreateCase>(allRows.Count);
        var generation = Phase.Time(() => { foreach (var r in allRows) cases.Add(Case(sample, r)); });
        Console.WriteLine();
        Console.WriteLine($"2. generating the {cases.Count:N0} cases (PayloadFactory.Valid, Serialize, AnswerTable) on one thread: {generation.Wall:F1} s " +
            $"({generation.Wall / cases.Count * 1e6:F0} us/row), {generation.Allocated / BenchProgram.Mb / 1024:N2} GB allocated ({generation.Allocated / cases.Count / 1024.0:N0} KB/row)");
        var identicalReversed = 0;
        for (var i = allRows.Count - 1; i >= 0; i--)
            if (Case(sample, allRows[i]).Body.AsSpan().SequenceEqual(cases[i].Body)) identicalReversed++;
        Console.WriteLine($"   generated again in reverse row order: bodies identical: {identicalReversed:N0} of {cases.Count:N0}");
        if (identicalReversed != cases.Count) throw new BenchFailure("generation is not reproducible: the same row gave a different body in reverse order", 1);

        if (!options.OneThread) await ConcurrentPhasesAsync(server, sample, cases, allRows, concurrency, sweepWall);

        // 4. The suite's side, one thread, over a sample.
        var step = Math.Max(1, ExpectedRows / sampleRows);
        var rows = allRows.Where(r => r.Index % step == 0).Take(sampleRows).ToList();
        var scale = (double)ExpectedRows / rows.Count;
        var sampleCases = rows.Select(r => cases[r.Index]).ToList();
        Console.WriteLine();
        Console.WriteLine($"4. one thread, {rows.Count:N0} rows (every {step}th), fastest of 3, figures extrapolated x{scale:F0} to {ExpectedRows:N0} rows:");
        // Each one-thread phase runs three times; the fastest counts (the machine is shared: the others only add noise).
        Phase Best(Action action) => Enumerable.Range(0, 3).Select(_ => Phase.Time(action)).MinBy(p => p.Wall)!;
        void Report(string name, Phase p) =>
            Console.WriteLine($"   {name,-62} {p.Wall * scale,7:F2} s  ({p.Wall / rows.Count * 1e6,6:F0} us/row, {p.Allocated / rows.Count / 1024.0,6:N0} KB/row allocated)");

        Report("generation: PayloadFactory.Faker alone (the thread's, reseeded)", Best(() => { foreach (var r in rows) _ = sample.Payloads.Faker("combination", r.Index); }));
        Report("generation: PayloadFactory.Valid", Best(() =>
        {
            foreach (var r in rows) _ = sample.Payloads.Valid("combination", r.Index, new EnumChoice(r.Encryption, r.CallHandler, r.Ciphers, r.Codecs));
        }));
        Report("generation: whole case, as the probe builds it", Best(() => { foreach (var r in rows) _ = Case(sample, r); }));

        var exchanges = new List<(CreateCase Case, Exchange Create, Exchange Read, Exchange Delete)>(rows.Count);
        var serverCpu0 = server.Cpu();
        var send = await Phase.TimeAsync(async () =>
        {
            foreach (var c in sampleCases)
            {
                var create = await sample.Api.CreateAsync(c.Project, c.Auth, c.Body, c.ContentType, CancellationToken.None);
                var id = SipApi.CreatedId(create) ?? throw new BenchFailure($"no id in the create answer: {SipApi.Describe(create)}", 1);
                var read = await sample.Api.GetAsync(c.Project.Auth, id);
                var delete = await sample.Api.DeleteAsync(c.Project, id);
                exchanges.Add((c, create, read, delete));
            }
        });
        var sendServer = server.Cpu() - serverCpu0;
        Report("client send: 3 requests via SipApi/TargetClient (wall)", send);
        Console.WriteLine($"   {"  of which server process CPU",-62} {sendServer * scale,7:F2} s");
        Console.WriteLine($"   {"  of which this process CPU (client, journal)",-62} {send.Cpu * scale,7:F2} s");

        // What TargetClient does to every answer it records: the body searched for secrets (RedactBody: Latin-1 text,
        // Redactor.Leaks), every header value through Redactor.Redact.
        var answers = exchanges.SelectMany(e => new[] { e.Create.Response!, e.Read.Response!, e.Delete.Response! }).ToList();
        Report("redaction: 3 answers' bodies (Leaks) and header values (Redact)", Best(() =>
        {
            foreach (var answer in answers)
            {
                if (answer.Body.Length > 0 && sample.Redactor.Leaks(System.Text.Encoding.Latin1.GetString(answer.Body)))
                    throw new BenchFailure("an answer holds a secret", 1);
                foreach (var h in answer.Headers) _ = sample.Redactor.Redact(h.Value);
            }
        }));

        var journalPath = Path.Combine(artifacts2.FullName, "bench-journal.jsonl");
        using (var journal = new CleanupJournal(journalPath, sample.Target.BaseUrl))
        {
            var ids = exchanges.Select(e => SipApi.CreatedId(e.Create)!).ToList();
            Report("cleanup journal: Created + Deleted (2 flushed lines)", Best(() =>
            {
                foreach (var id in ids) { journal.Created(sample.Target.Primary, id); journal.Deleted(sample.Target.Primary, id); }
            }));
        }

        var bodies = exchanges.SelectMany(e => new[] { e.Create.Response!, e.Read.Response! }).ToList();
        var parsed = new List<JsonElement>(bodies.Count);
        var parse = Best(() =>
        {
            parsed.Clear();
            foreach (var body in bodies) parsed.Add(new ResponseRecord(body.Status, body.Headers, body.Body).Json!.Value);
        });
        Report("JSON parse of the 2 bodies (ResponseRecord.Json)", parse);
        var schema = Best(() =>
        {
            foreach (var j in parsed)
                if (!contract.Validate(SchemaNames.EndpointResponse, j).IsValid) throw new BenchFailure("a body did not validate", 1);
        });
        Report("schema validation: 2 x Validate(FabricSipEndpointResponse)", schema);
        Report("  the same by JsonSchema.Net alone (ValidateWithJsonSchemaNet)", Best(() =>
        {
            foreach (var j in parsed)
                if (!contract.ValidateWithJsonSchemaNet(SchemaNames.EndpointResponse, j).IsValid) throw new BenchFailure("a body did not validate", 1);
        }));
        var findings = new RunFindings();
        var judge = Best(() =>
        {
            findings = new RunFindings();
            var evaluator = new Evaluator(contract, findings, sample.Redactor);
            // fresh records, so that the judgement pays for parsing as in the sweep
            foreach (var (c, create, read, delete) in exchanges.Select(e => (e.Case, Fresh(e.Create), Fresh(e.Read), Fresh(e.Delete))))
            {
                evaluator.Create(c, create, read);
                evaluator.Delete(delete, c.Describe() + " (cleanup)");
            }
        });
        Report("judgement: Evaluator.Create + Delete (parse + schema incl.)", judge);
        if (findings[Success.Schema].Passes != rows.Count || findings.All.Any(f => f.ViolationCount > 0))
            throw new BenchFailure("the sample's judgement did not pass", 1);
        Console.WriteLine($"   {"  of which the rest of the judgement (echo, compare...)",-62} {(judge.Wall - parse.Wall - schema.Wall) * scale,7:F2} s");
        artifacts2.Delete(recursive: true);
        return 0;
    }

    /// <summary>3. The pre-generated cases at the sweep's concurrency: the floor, the suite's client, the judgement, generation.</summary>
    private static async Task ConcurrentPhasesAsync(ServerProcess server, SuiteRun sample, List<CreateCase> cases, List<ComboRow> allRows, int concurrency, double sweepWall)
    {
        // 3. The HTTP floor: every row's create, read-back, delete with a bare HttpClient.
        var results = new List<(string Name, (double Wall, double ClientCpu, double ServerCpu, long Allocated) R)>();
        void Line(string name, (double Wall, double ClientCpu, double ServerCpu, long Allocated) r)
        {
            results.Add((name, r));
            Console.WriteLine($"   {name,-62} wall {r.Wall,6:F1} s, {3.0 * cases.Count / r.Wall,6:N0} req/s; CPU client {r.ClientCpu,5:F1} s + server {r.ServerCpu,5:F1} s; client allocated {r.Allocated / BenchProgram.Mb / 1024,5:N1} GB");
        }
        Console.WriteLine();
        Console.WriteLine($"3. the {cases.Count:N0} pre-generated cases at concurrency {concurrency}, server in the other process:");
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false, AllowAutoRedirect = false });
            var auth = sample.Target.Primary.Auth.Value!.Reveal();
            var collection = sample.Api.Collection;
            var failures = 0;
            var m = Measure.Start(server);
            await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (c, ct) =>
            {
                if (!await Floor.RoundTripAsync(http, auth, collection, sample.Api, c.Body, ct)) Interlocked.Increment(ref failures);
            });
            Line($"a. HTTP floor: bare HttpClient, no judgement ({failures} failures)", m.Stop());
        }
        {
            var failures = 0;
            var m = Measure.Start(server);
            await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (c, ct) =>
            {
                var create = await sample.Api.CreateAsync(c.Project, c.Auth, c.Body, c.ContentType, ct);
                if (SipApi.CreatedId(create) is not { } id) { Interlocked.Increment(ref failures); return; }
                var read = await sample.Api.GetAsync(c.Project.Auth, id, ct);
                var delete = await sample.Api.DeleteAsync(c.Project, id, ct: ct);
                if (read.Status != 200 || delete.Status != 204) Interlocked.Increment(ref failures);
            });
            Line($"b. the suite's client (SipApi/TargetClient + journal), no judgement ({failures} failures)", m.Stop());
        }
        {
            var m = Measure.Start(server);
            await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (c, ct) =>
                await sample.ExecuteAsync(c, ct));
            var r = m.Stop();
            var ok = sample.Findings[Success.Schema].Passes == cases.Count && sample.Findings.All.All(x => x.ViolationCount == 0);
            Line($"c. SuiteRun.ExecuteAsync: client + judgement ({(ok ? "verified" : "NOT VERIFIED")})", r);
        }
        {
            // c, with each case generated inside the loop as CombinationProbe does it.
            var m = Measure.Start(server);
            var before = sample.Findings[Success.Schema].Passes;
            await Parallel.ForEachAsync(allRows, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (row, ct) =>
                await sample.ExecuteAsync(Case(sample, row), ct));
            var r = m.Stop();
            var ok = sample.Findings[Success.Schema].Passes - before == allRows.Count && sample.Findings.All.All(x => x.ViolationCount == 0);
            Line($"d. c with generation inside, as the probe builds its cases ({(ok ? "verified" : "NOT VERIFIED")})", r);
        }
        var (a, b, c2, d) = (results[0].R, results[1].R, results[2].R, results[3].R);
        Console.WriteLine($"   => the suite's client costs {b.Wall - a.Wall:F1} s of wall over the bare floor ({b.ClientCpu - a.ClientCpu:F1} s CPU); " +
            $"the judgement {c2.Wall - b.Wall:F1} s ({c2.ClientCpu - b.ClientCpu:F1} s CPU); " +
            $"generation {d.Wall - c2.Wall:F1} s ({d.ClientCpu - c2.ClientCpu:F1} s CPU); the rest {sweepWall - d.Wall:F1} s (sweep {sweepWall:F1} s - d: the probe's loop, and phase 1 is this process's first, cold sweep)");
    }

    private static Exchange Fresh(Exchange e) =>
        e with { Response = e.Response is { } r ? new ResponseRecord(r.Status, r.Headers, r.Body) : null };

    /// <summary>The case <see cref="CombinationProbe"/> sends for a row.</summary>
    public static CreateCase Case(SuiteRun run, ComboRow row) => CombinationProbe.Case(run, row, row.Ciphers, row.Codecs);

    private sealed record Phase(double Wall, double Cpu, long Allocated)
    {
        public static Phase Time(Action action)
        {
            GC.Collect();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var sw = Stopwatch.StartNew();
            action();
            var wall = sw.Elapsed.TotalSeconds;
            return new Phase(wall, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
        }

        public static async Task<Phase> TimeAsync(Func<Task> action)
        {
            GC.Collect();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var sw = Stopwatch.StartNew();
            await action();
            var wall = sw.Elapsed.TotalSeconds;
            return new Phase(wall, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
        }
    }

    private sealed class Measure
    {
        private readonly ServerProcess _server;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        private readonly double _serverCpu;
        private readonly long _allocated = GC.GetTotalAllocatedBytes(precise: true);

        private Measure(ServerProcess server)
        {
            _server = server;
            _serverCpu = server.Cpu();
        }

        public static Measure Start(ServerProcess server) => new(server);

        public (double Wall, double ClientCpu, double ServerCpu, long Allocated) Stop() =>
            (_clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds, _server.Cpu() - _serverCpu,
             GC.GetTotalAllocatedBytes(precise: true) - _allocated);
    }
}

/// <summary>How to start this program again: the apphost, or dotnet with this assembly.</summary>
public static class SelfCommand
{
    public static (string File, string[] Prefix) Get()
    {
        var process = Environment.ProcessPath ?? throw new BenchFailure("no process path", 3);
        return Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? (process, [typeof(BenchProgram).Assembly.Location])
            : (process, []);
    }
}
