using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Generation.Combinatorics;

namespace SipConformance.Bench;

/// <summary>
/// The benchmark of the exhaustive enum-combination sweep against its HTTP floor.
/// <list type="bullet">
/// <item><c>SipConformance.Bench [bench] [--runs 3] [--concurrency N]</c>: the parent. Starts the reference server in a
/// child process, then runs floor and sweep alternating, each in a fresh child process against that server, prints
/// each run, the medians and, last, the closing line
/// <c>floor MEDIAN s, sweep MEDIAN s, ratio R, allocated A GB per sweep, peak working set W MB</c>.</item>
/// <item><c>SipConformance.Bench large [--runs 1]</c>: the same over the contract with the 2026-08-21 codec list
/// (786,432 rows), after one 49,152-row pair; prints the time per row of both, then the closing line.</item>
/// <item><c>SipConformance.Bench sweep|floor [--server JSON] [--concurrency N]</c>: one measured child; its last
/// stdout line is <c>BENCH-RESULT {json}</c>. A sweep without <c>--server</c> starts its own server (<c>--fault id</c>: a faulty one).</item>
/// <item><c>SipConformance.Bench sizes</c>: only the covering-array sizes.</item>
/// <item><c>SipConformance.Bench breakdown [--concurrency N] [--rows N]</c>: where the time goes (Stopwatch phases).</item>
/// </list>
/// Exit codes: 0 all good; 1 a run's findings were wrong (not every row passed, violations, requests missing or endpoints left); 2 usage; 3 a child failed.
/// </summary>
public static class BenchProgram
{
    public const string ResultPrefix = "BENCH-RESULT ";
    public const double Mb = 1024.0 * 1024.0;
    public const double Gb = Mb * 1024.0;

    public static async Task<int> MainAsync(string[] args)
    {
        var mode = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "bench";
        var options = Options.Parse(args.Skip(args.Length > 0 && !args[0].StartsWith('-') ? 1 : 0).ToArray());
        if (options is null) return Usage();
        try
        {
            return mode switch
            {
                "bench" => await ParentAsync(options, large: false),
                "large" => await ParentAsync(options, large: true),
                "sweep" => await Sweep.RunChildAsync(options),
                "floor" => await Floor.RunChildAsync(options),
                "sizes" => PrintSizes(),
                "breakdown" => await Breakdown.RunAsync(options),
                "serve" => await ServerProcess.ServeAsync(options),
                _ => Usage(),
            };
        }
        catch (BenchFailure e)
        {
            Console.Error.WriteLine($"BENCH FAILED: {e.Message}");
            return e.ExitCode;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: SipConformance.Bench [bench] [--runs N] [--concurrency N] [--fault id]...   (floor and sweep alternating, N pairs; default 3)");
        Console.Error.WriteLine("       SipConformance.Bench large [--runs N] [--concurrency N]     (one 49,152-row pair, then N pairs (default 1) over the 11-codec contract: 786,432 rows)");
        Console.Error.WriteLine("       SipConformance.Bench sweep|floor [--server JSON] [--contract default|large] [--concurrency N] [--fault id]...   (one measured child)");
        Console.Error.WriteLine("       SipConformance.Bench breakdown [--concurrency N] [--rows N] [--one-thread]   (--one-thread: only the one-thread phases, 2 and 4)");
        Console.Error.WriteLine("       SipConformance.Bench sizes");
        return 2;
    }

    /// <summary>
    /// The benchmark: a reference server in a child process, then floor and sweep children alternating (each in a
    /// fresh process, against that server, over the same rows at the same concurrency), the medians, and the
    /// closing line. <paramref name="large"/>: first one pair over the default contract (49,152 rows), then the
    /// pairs over the 11-codec contract (786,432 rows), and the time per row of both.
    /// </summary>
    private static async Task<int> ParentAsync(Options options, bool large)
    {
#if DEBUG
        Console.WriteLine("WARNING: this is a Debug build; the figures below are not the benchmark's (build with -c Release).");
#endif
        Console.WriteLine($"SipConformance.Bench: the exhaustive combination sweep against the HTTP floor, reference server in another process");
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical core(s), {RuntimeInfo()}, GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");
        Console.WriteLine($"load at start: {Load.Uptime()}");
        Console.WriteLine();
        PrintSizes();

        var failed = new List<ChildResult>();
        Summary? reference = null;
        if (large)
        {
            reference = await PairsAsync(BenchContracts.Default, 1, options, failed);
            if (reference is null) return Failed(failed);
        }
        var summary = await PairsAsync(large ? BenchContracts.Large : BenchContracts.Default, options.Runs ?? (large ? 1 : 3), options, failed);

        Console.WriteLine();
        Console.WriteLine($"load at end: {Load.Uptime()}");
        if (summary is null) return Failed(failed);
        if (reference is not null)
            Console.WriteLine($"time per row: sweep {summary.SweepMicrosecondsPerRow:F1} us over {summary.Rows:N0} rows against {reference.SweepMicrosecondsPerRow:F1} us over {reference.Rows:N0} rows " +
                $"(x{summary.SweepMicrosecondsPerRow / reference.SweepMicrosecondsPerRow:F2}); floor {summary.FloorMicrosecondsPerRow:F1} us against {reference.FloorMicrosecondsPerRow:F1} us " +
                $"(x{summary.FloorMicrosecondsPerRow / reference.FloorMicrosecondsPerRow:F2}); peak working set {summary.PeakMb:N0} MB against {reference.PeakMb:N0} MB");
        Console.WriteLine(summary.ClosingLine());
        return 0;
    }

    private static int Failed(List<ChildResult> failed)
    {
        Console.WriteLine($"BENCH FAILED: {failed.Count} child run(s) did not verify: {string.Join("; ", failed.SelectMany(f => f.Problems).Distinct().Take(10))}");
        return 1;
    }

    /// <summary>The medians of a set of floor/sweep pairs.</summary>
    private sealed record Summary(long Rows, double Floor, double Sweep, double SweepAllocatedGb, double PeakMb)
    {
        public double FloorMicrosecondsPerRow => Floor / Rows * 1e6;
        public double SweepMicrosecondsPerRow => Sweep / Rows * 1e6;

        public string ClosingLine() =>
            $"floor {Floor:F2} s, sweep {Sweep:F2} s, ratio {Sweep / Floor:F2}, allocated {SweepAllocatedGb:F2} GB per sweep, peak working set {PeakMb:F0} MB";
    }

    /// <summary>Floor, sweep, floor, sweep...: <paramref name="pairs"/> pairs against one server process; null when one did not verify.</summary>
    private static async Task<Summary?> PairsAsync(string contract, int pairs, Options options, List<ChildResult> failed)
    {
        var plan = CombinationPlan.For(BenchContracts.Get(contract), Profile.Exhaustive);
        await using var server = await ServerProcess.StartAsync(contract, options.Faults);
        var label = options.Concurrency?.ToString(CultureInfo.InvariantCulture) ?? "default (8)";
        Console.WriteLine();
        Console.WriteLine($"contract {contract} ({plan.Count:N0} rows), reference server in child process {server.Pid} at {server.Info.BaseUrl}; " +
            $"{pairs} pair(s) of floor and sweep, alternating, each a fresh child process, concurrency {label}");
        var floors = new List<ChildResult>();
        var sweeps = new List<ChildResult>();
        for (var i = 1; i <= pairs; i++)
            foreach (var kind in new[] { Floor.Kind, Sweep.Kind })
            {
                var r = await RunChildAsync(kind, server, options.Concurrency);
                (kind == Floor.Kind ? floors : sweeps).Add(r);
                if (!r.Verified) failed.Add(r);
                Console.WriteLine($"  pair {i}: {r.Line()}");
            }
        if (failed.Count > 0) return null;
        Console.WriteLine($"  ratios (sweep / floor) pair by pair: {string.Join(", ", floors.Zip(sweeps, (f, s) => (s.WallSeconds / f.WallSeconds).ToString("F2", CultureInfo.InvariantCulture)))}; " +
            $"sweep CPU median {Median(sweeps.Select(s => s.CpuSeconds)):F1} s, floor CPU median {Median(floors.Select(f => f.CpuSeconds)):F1} s (this process only; the server's is apart)");
        return new Summary(plan.Count, Median(floors.Select(f => f.WallSeconds)), Median(sweeps.Select(s => s.WallSeconds)),
            Median(sweeps.Select(s => (double)s.AllocatedBytes)) / Gb, sweeps.Max(s => s.PeakWorkingSetBytes) / Mb);
    }

    private static async Task<ChildResult> RunChildAsync(string kind, ServerProcess server, int? concurrency)
    {
        var (file, prefix) = SelfCommand.Get();
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false };
        foreach (var a in prefix) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(kind);
        psi.ArgumentList.Add("--server");
        psi.ArgumentList.Add(JsonSerializer.Serialize(server.Info, BenchJson.Default.ServeInfo));
        if (concurrency is { } c) { psi.ArgumentList.Add("--concurrency"); psi.ArgumentList.Add(c.ToString(CultureInfo.InvariantCulture)); }
        var before = await server.StatsAsync();
        using var p = Process.Start(psi) ?? throw new BenchFailure("could not start the child process", 3);
        ChildResult? result = null;
        while (await p.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
                result = JsonSerializer.Deserialize(line[ResultPrefix.Length..], BenchJson.Default.ChildResult);
            else Console.WriteLine("    | " + line);
        }
        await p.WaitForExitAsync();
        if (result is null) throw new BenchFailure($"the {kind} child exited {p.ExitCode} without a result line", 3);
        var after = await server.StatsAsync();
        return result.WithServerCheck(after.Requests - before.Requests, after.Endpoints);
    }

    private static int PrintSizes()
    {
        var contract = SipContract.Default;
        var levels = CombinationPlan.For(contract, Profile.Exhaustive).Levels;
        Console.WriteLine($"contract revision {contract.Revision}: {levels.Count} factors, levels [{string.Join(",", levels)}], " +
            $"full product {CoveringArray.ProductSize(levels):N0} rows (CombinationPlan exhaustive: {CombinationPlan.For(contract, Profile.Exhaustive).Count:N0})");
        Console.WriteLine("covering-array sizes:");
        foreach (var (profile, t) in new[] { (Profile.Smoke, 1), (Profile.Pairwise, 2), (Profile.Threewise, 3) })
        {
            var sw = Stopwatch.StartNew();
            var plan = CombinationPlan.For(contract, profile);
            var planMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var bare = CoveringArray.Build(levels, t).Count;
            var bareMs = sw.Elapsed.TotalMilliseconds;
            Console.WriteLine($"  t={t}: CombinationPlan.For(contract, {profile}).Count = {plan.Count,4} ({planMs,6:F0} ms, boundary rows included); " +
                $"CoveringArray.Build(levels, {t}).Count = {bare,4} ({bareMs,6:F0} ms)");
        }
        return 0;
    }

    public static string RuntimeInfo() => $".NET {Environment.Version}";

    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}

public sealed class BenchFailure(string message, int exitCode) : Exception(message)
{
    public int ExitCode => exitCode;
}

public sealed record Options(int? Runs, int? Concurrency, int? Rows, IReadOnlyList<string> Faults, ServeInfo? Server, string Contract, bool OneThread)
{
    public static Options? Parse(string[] args)
    {
        int? runs = null, concurrency = null, rows = null;
        var faults = new List<string>();
        ServeInfo? server = null;
        var contract = BenchContracts.Default;
        var oneThread = false;
        for (var i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            static int? Int(string? s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
            switch (args[i])
            {
                case "--one-thread": oneThread = true; break;
                case "--runs": if (Int(Next()) is { } r) runs = r; else return null; break;
                case "--concurrency": if (Int(Next()) is { } c) concurrency = c; else return null; break;
                case "--rows": if (Int(Next()) is { } n) rows = n; else return null; break;
                case "--fault": if (Next() is { } fault) faults.Add(fault); else return null; break;
                case "--contract": if (Next() is { } name && BenchContracts.Names.Contains(name)) contract = name; else return null; break;
                case "--server":
                    if (Next() is not { } json) return null;
                    server = JsonSerializer.Deserialize(json, BenchJson.Default.ServeInfo);
                    break;
                default: return null;
            }
        }
        return new Options(runs, concurrency, rows, faults, server, contract, oneThread);
    }
}

/// <summary>The machine's load (other builds and runs disturb the timings).</summary>
public static class Load
{
    public static string Average()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
        catch (UnauthorizedAccessException) { return "?"; }
    }

    public static string Uptime()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("uptime") { RedirectStandardOutput = true, UseShellExecute = false });
            if (p is null) return "load average: " + Average();
            var text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return text;
        }
        catch (System.ComponentModel.Win32Exception) { return "load average: " + Average(); }
    }
}
