using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Generation.Combinatorics;

namespace SipConformance.Bench;

/// <summary>
/// The benchmark of the exhaustive enum-combination sweep against the embedded reference server.
/// <list type="bullet">
/// <item><c>SipConformance.Bench [--runs 3] [--concurrency N] [--compare 4,8,16]</c>: the parent. Prints the
/// covering-array sizes, then runs each measured sweep in a fresh child process (so peak working set is
/// per sweep), collects their figures, prints medians and the ratio to the 60 s target.</item>
/// <item><c>SipConformance.Bench sweep [--concurrency N] [--fault id]</c>: one measured sweep (a child); its last
/// stdout line is <c>BENCH-RESULT {json}</c>.</item>
/// <item><c>SipConformance.Bench sizes</c>: only the covering-array sizes.</item>
/// <item><c>SipConformance.Bench breakdown [--concurrency N] [--rows N]</c>: where the time goes (Stopwatch phases).</item>
/// </list>
/// Exit codes: 0 all good; 1 a sweep's findings were wrong (not 49,152 passes, or violations); 2 usage; 3 a child failed.
/// </summary>
public static class BenchProgram
{
    public const double TargetSeconds = 60;
    public const int ExpectedRows = 49_152;
    public const string ResultPrefix = "BENCH-RESULT ";

    public static async Task<int> MainAsync(string[] args)
    {
        var mode = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "bench";
        var options = Options.Parse(args.Skip(mode == "bench" && (args.Length == 0 || args[0].StartsWith('-')) ? 0 : 1).ToArray());
        if (options is null) return Usage();
        try
        {
            return mode switch
            {
                "bench" => await ParentAsync(options),
                "sweep" => await Sweep.RunChildAsync(options),
                "sizes" => PrintSizes(),
                "breakdown" => await Breakdown.RunAsync(options),
                "serve" => await ServerProcess.ServeAsync(),
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
        Console.Error.WriteLine("usage: SipConformance.Bench [bench] [--runs N] [--concurrency N] [--compare 4,8,16]");
        Console.Error.WriteLine("       SipConformance.Bench sweep [--concurrency N] [--fault id]...   (--fault: a faulty server, to see the check fail)");
        Console.Error.WriteLine("       SipConformance.Bench breakdown [--concurrency N] [--rows N]");
        Console.Error.WriteLine("       SipConformance.Bench sizes");
        return 2;
    }

    private static async Task<int> ParentAsync(Options options)
    {
#if DEBUG
        Console.WriteLine("WARNING: this is a Debug build; the figures below are not the benchmark's (build with -c Release).");
#endif
        Console.WriteLine($"SipConformance.Bench: exhaustive combination sweep against the embedded reference server");
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical core(s), {RuntimeInfo()}, GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");
        Console.WriteLine($"load at start: {Load.Uptime()}");
        Console.WriteLine();
        PrintSizes();
        Console.WriteLine();

        var failed = await SectionAsync(options);

        Console.WriteLine();
        Console.WriteLine($"load at end: {Load.Uptime()}");
        if (failed.Count > 0)
        {
            Console.WriteLine($"BENCH FAILED: {failed.Count} sweep(s) did not verify: {string.Join("; ", failed.SelectMany(f => f.Problems).Distinct().Take(10))}");
            return 1;
        }
        return 0;
    }

    /// <summary>The measured runs, their medians, then the concurrency comparison; returns the sweeps that did not verify.</summary>
    private static async Task<List<SweepResult>> SectionAsync(Options options)
    {
        var label = options.Concurrency?.ToString(CultureInfo.InvariantCulture) ?? "default (8)";
        Console.WriteLine($"measured sweeps: {options.Runs} at concurrency {label}, each in a fresh child process");
        var results = new List<SweepResult>();
        for (var i = 1; i <= options.Runs; i++)
        {
            var r = await RunChildAsync(options.Concurrency, options.Faults);
            results.Add(r);
            Console.WriteLine($"  run {i}: {r.Line()}");
        }
        var failed = results.Where(r => !r.Verified).ToList();
        Console.WriteLine();
        PrintSummary(results);

        if (options.Compare.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"concurrency comparison (one sweep each, fresh child process):");
            var compared = new List<SweepResult>();
            foreach (var c in options.Compare)
            {
                var r = await RunChildAsync(c, options.Faults);
                compared.Add(r);
                if (!r.Verified) failed.Add(r);
                Console.WriteLine($"  concurrency {c,2}: {r.Line()}");
            }
            var best = compared.MinBy(r => r.WallSeconds)!;
            Console.WriteLine($"  fastest: concurrency {best.Concurrency} ({best.WallSeconds:F1} s)");
        }
        return failed;
    }

    private static void PrintSummary(IReadOnlyList<SweepResult> results)
    {
        if (results.Count == 0) return;
        var wall = Median(results.Select(r => r.WallSeconds));
        Console.WriteLine($"median of {results.Count}: wall {wall:F2} s, {Median(results.Select(r => r.RequestsPerSecond)):N0} req/s, " +
            $"peak working set {Median(results.Select(r => (double)r.PeakWorkingSetBytes)) / Mb:N0} MB, " +
            $"GC heap after run {Median(results.Select(r => (double)r.GcHeapAfterRunBytes)) / Mb:N0} MB");
        if (results.Any(r => !r.Verified)) Console.WriteLine("NOT VERIFIED: some of these sweeps did not judge as expected (see BENCH FAILED below); their figures do not count");
        Console.WriteLine($"ratio to the {TargetSeconds:F0} s target: {wall / TargetSeconds:F2} ({(wall < TargetSeconds ? "met" : "MISSED")}; " +
            $"{(wall < TargetSeconds ? $"{TargetSeconds - wall:F1} s to spare" : $"{wall - TargetSeconds:F1} s over")})");
    }

    private static async Task<SweepResult> RunChildAsync(int? concurrency, IReadOnlyList<string> faults)
    {
        var (file, prefix) = SelfCommand.Get();
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false };
        foreach (var a in prefix) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("sweep");
        if (concurrency is { } c) { psi.ArgumentList.Add("--concurrency"); psi.ArgumentList.Add(c.ToString(CultureInfo.InvariantCulture)); }
        foreach (var f in faults) { psi.ArgumentList.Add("--fault"); psi.ArgumentList.Add(f); }
        using var p = Process.Start(psi) ?? throw new BenchFailure("could not start the child process", 3);
        SweepResult? result = null;
        while (await p.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
                result = JsonSerializer.Deserialize(line[ResultPrefix.Length..], BenchJson.Default.SweepResult);
            else Console.WriteLine("    | " + line);
        }
        await p.WaitForExitAsync();
        if (result is null) throw new BenchFailure($"the child sweep exited {p.ExitCode} without a result line", 3);
        return result;
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

    public const double Mb = 1024.0 * 1024.0;

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

public sealed record Options(int Runs, int? Concurrency, IReadOnlyList<int> Compare, int? Rows, IReadOnlyList<string> Faults)
{
    public static Options? Parse(string[] args)
    {
        int runs = 3;
        int? concurrency = null, rows = null;
        var compare = new List<int>();
        var faults = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            static int? Int(string? s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
            switch (args[i])
            {
                case "--runs": if (Int(Next()) is { } r) runs = r; else return null; break;
                case "--concurrency": if (Int(Next()) is { } c) concurrency = c; else return null; break;
                case "--rows": if (Int(Next()) is { } n) rows = n; else return null; break;
                case "--fault": if (Next() is { } fault) faults.Add(fault); else return null; break;
                case "--compare":
                    var list = Next();
                    if (list is null) return null;
                    foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        if (Int(part) is { } v) compare.Add(v); else return null;
                    break;
                default: return null;
            }
        }
        return new Options(runs, concurrency, compare, rows, faults);
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
