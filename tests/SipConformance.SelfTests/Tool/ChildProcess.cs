using System.Diagnostics;
using System.Reflection;
using NUnit.Framework;
using SipConformance.Running;

namespace SipConformance.SelfTests.Tool;

/// <summary>What a child process left: exit code and both streams.</summary>
public sealed record ChildResult(int Code, string Out, string Err, TimeSpan Elapsed)
{
    public string All => Out + Err;
}

/// <summary>
/// Child processes of the self-tests (`dotnet test` of the conformance project, `dotnet pack`, the
/// installed `sipconf`): only what the test sets reaches them, none of the machine's SIPCONF_* or
/// SIGNALWIRE_* and none of the outer `dotnet test`'s build-tool state.
/// </summary>
public static class ChildProcess
{
    /// <summary>The configuration this assembly was built in (Debug unless told otherwise): the children run the same build.</summary>
    public static string Configuration { get; } =
        typeof(ChildProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string Root => RepositoryPaths.Root ?? throw new InvalidOperationException("the repository root (SipConformance.sln) was not found");

    public static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("SIPCONF_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("SIGNALWIRE_", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase) || k.Equals("CsCheck_Seed", StringComparison.OrdinalIgnoreCase)
                     || k.Equals("GITHUB_STEP_SUMMARY", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in environment) start.Environment[k] = v;
        return start;
    }

    public static async Task<ChildResult> RunAsync(ProcessStartInfo start, TimeSpan timeout, string label)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{label}: `{start.FileName} {string.Join(' ', start.ArgumentList)}` did not end within {timeout.TotalSeconds:0} s");
        }
        var result = new ChildResult(process.ExitCode, await stdout, await stderr, clock.Elapsed);
        TestContext.Out.WriteLine($"{label}: `{Path.GetFileName(start.FileName)} {string.Join(' ', start.ArgumentList)}` exited {result.Code} after {result.Elapsed.TotalSeconds:0.0} s");
        return result;
    }

    /// <summary>
    /// `dotnet test SipConformance.sln` builds and runs each test project as soon as it is ready, and
    /// this project references no test project: wait (up to 5 minutes) until the conformance
    /// assembly a child runs with --no-build exists and has stopped changing.
    /// </summary>
    public static async Task ConformanceBuiltAsync()
    {
        var dll = new FileInfo(Path.Combine(Root, "tests", "SipConformance.Conformance", "bin", Configuration, "net10.0", "SipConformance.Conformance.dll"));
        var until = DateTime.UtcNow.AddMinutes(5);
        DateTime? last = null;
        while (DateTime.UtcNow < until)
        {
            dll.Refresh();
            if (dll.Exists && last == dll.LastWriteTimeUtc && DateTime.UtcNow - dll.LastWriteTimeUtc > TimeSpan.FromSeconds(3)) return;
            last = dll.Exists ? dll.LastWriteTimeUtc : null;
            await Task.Delay(1000);
        }
        Assert.Fail($"{dll.FullName} was not built within 5 minutes");
    }

    /// <summary>`dotnet test tests/SipConformance.Conformance` (the build this assembly's run made) with the given environment.</summary>
    public static async Task<ChildResult> ConformanceSuiteAsync(IReadOnlyDictionary<string, string?> environment, string results, string label, params string[] loggers)
    {
        await ConformanceBuiltAsync();
        var args = new List<string>
        {
            "test", Path.Combine(Root, "tests", "SipConformance.Conformance", "SipConformance.Conformance.csproj"),
            "--no-build", "--configuration", Configuration, "--results-directory", results,
        };
        foreach (var logger in loggers) args.AddRange(["--logger", logger]);
        return await RunAsync(StartInfo("dotnet", args, environment), TimeSpan.FromMinutes(4), label);
    }
}
