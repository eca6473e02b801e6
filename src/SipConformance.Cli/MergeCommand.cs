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
    public const string UsageText = """
        usage: sipconf merge DIR...

        Merges the shards of one run (SIPCONF_SHARD=1/n ... n/n, same seed, profile, contract
        revision and strictness): each DIR is a shard's artifacts directory (or its
        sipconformance-findings.json). Writes the whole run's reports to $SIPCONF_ARTIFACTS
        (default artifacts/) and prints the verdict. Exit code: 0 PASS, 1 FAIL, 2 refused.
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> directories, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(directories);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);
        // The merge needs no credentials; any the environment holds are still kept out of what it writes.
        var secrets = new[] { SettingsLoader.ApiToken, SettingsLoader.SecondApiToken, SettingsLoader.FallbackApiToken }
            .Select(environment).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => new Secret(v!.Trim())).ToList();
        var redactor = new Redactor(secrets, []);
        if (directories.Count == 0 || directories.Any(d => d is "-h" or "--help"))
        {
            await (directories.Count == 0 ? stderr : stdout).WriteLineAsync(UsageText).ConfigureAwait(false);
            return directories.Count == 0 ? 2 : 0;
        }
        Reporting.Html.FindingsDocument merged;
        try
        {
            ct.ThrowIfCancellationRequested();
            merged = Merge.Documents(Merge.Load(directories));
        }
        catch (MergeRefusedException e)
        {
            await stderr.WriteLineAsync(redactor.Redact($"sipconf merge: refused: {e.Message}")).ConfigureAwait(false);
            return 2;
        }
        var output = RepositoryPaths.Resolve(environment(SettingsLoader.Artifacts) is { Length: > 0 } a ? a.Trim() : "artifacts");
        var paths = Reports.Write(merged, output, redactor, stepSummaryPath: environment(StepSummary.Variable));
        await stdout.WriteLineAsync(redactor.Redact(Reports.SummaryTable(merged) + merged.Verdict)).ConfigureAwait(false);
        await stdout.WriteLineAsync(redactor.Redact($"SipConformance: reports: {string.Join(", ", paths)}")).ConfigureAwait(false);
        return merged.Failed ? 1 : 0;
    }
}
