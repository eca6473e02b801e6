using System.Diagnostics;
using System.Text;
using SipConformance.Pact.Engine;
using SipConformance.Target;

namespace SipConformance.Pact.Cli;

/// <summary>What a run of the pact CLI did; <see cref="Output"/> (stdout then stderr) is already redacted.</summary>
public sealed record CliResult(int ExitCode, string Output, bool TimedOut, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}

/// <summary>
/// Runs the pact CLI (bin/pact of the engine folder) as a child process: arguments as a list (no
/// shell), secrets only through the child's environment, output captured and redacted, a time
/// limit after which the child (and only it) is killed.
/// </summary>
public static class PactCli
{
    public static string Path => EngineLocator.CliPath;

    /// <summary>Starts the CLI with the given arguments; <paramref name="environment"/> values override the inherited ones (null removes).</summary>
    internal static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        var info = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["PACT_DO_NOT_TRACK"] = "true";
        info.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        return info;
    }

    public static async Task<CliResult> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout,
        Redactor redactor, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(StartInfo(arguments, environment)) ?? throw new PactEngineException("the pact CLI did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var timedOut = false;
        try { await process.WaitForExitAsync(limit.Token).ConfigureAwait(false); }
        catch (OperationCanceledException)
        {
            timedOut = !ct.IsCancellationRequested;
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { } // it ended meanwhile
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            if (!timedOut) throw;
        }
        var text = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
        return new CliResult(timedOut ? -1 : process.ExitCode, redactor.Redact(StripAnsi(text)).Trim(), timedOut, clock.Elapsed);
    }

    internal static string StripAnsi(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\x1B\[[0-9;]*[A-Za-z]", "");
}
