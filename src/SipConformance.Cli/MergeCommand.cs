using SipConformance.Configuration;
using SipConformance.Reporting;
using SipConformance.Running;
using SipConformance.Target;

namespace SipConformance.Cli;

/// <summary>
/// `sipconf merge DIR...`: merges the findings of the shards of one run (each shard's artifacts
/// directory, or its sipconformance-findings.json) into the whole run's reports in
/// $SIPCONF_ARTIFACTS (default artifacts/): findings JSON, JUnit, Markdown summary, HTML report
/// (and the job summary on GitHub Actions), then prints the verdict line as a run does.
/// Exit code: 0 PASS, 1 FAIL, 2 refused (not the shards of one run, a duplicate or missing shard,
/// an unreadable file).
/// </summary>
public static class MergeCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> directories, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(directories);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);
        // The merge needs no credentials; any the environment holds are still kept out of what it writes.
        var redactor = CommandLine.EnvironmentRedactor(environment);
        if (directories.Count == 0)
        {
            await stderr.WriteLineAsync("sipconf merge: refused: no shard given (sipconf merge DIR...).").ConfigureAwait(false);
            return CommandLine.Usage;
        }
        Findings.FindingsDocument merged;
        try
        {
            ct.ThrowIfCancellationRequested();
            merged = Merge.Documents(Merge.Load(directories));
        }
        catch (MergeRefusedException e)
        {
            await stderr.WriteLineAsync(redactor.Redact($"sipconf merge: refused: {e.Message}")).ConfigureAwait(false);
            return CommandLine.Usage;
        }
        var output = RepositoryPaths.Resolve(environment(SettingsLoader.Artifacts) is { Length: > 0 } a ? a.Trim() : "artifacts");
        var paths = Reports.Write(merged, output, redactor, stepSummaryPath: environment(StepSummary.Variable));
        await stdout.WriteLineAsync(redactor.Redact(Reports.SummaryTable(merged) + merged.Verdict)).ConfigureAwait(false);
        await stdout.WriteLineAsync(redactor.Redact($"SipConformance: reports: {string.Join(", ", paths)}")).ConfigureAwait(false);
        return merged.Failed ? CommandLine.Failed : CommandLine.Ok;
    }
}
