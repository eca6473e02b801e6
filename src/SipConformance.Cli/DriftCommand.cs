using System.CommandLine;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Reporting;
using SipConformance.Rules;
using SipConformance.Running;

namespace SipConformance.Cli;

/// <summary>
/// `sipconf drift`: what changed between two contract revisions, per rule and per schema/enum
/// difference (<see cref="DriftDocument"/>); with --live, what a target makes of that change: the
/// suite run against it once under each revision and the two runs compared (<see cref="LiveDrift"/>).
/// </summary>
public static class DriftCommand
{
    public const string Description = """
        Show what changed between two contract revisions, from the two contract files and the rule
        book alone (no target): per rule, whether it applies in both, no longer applies, applies only
        in the later one, or holds the target to a changed expectation (with the clause of each); then
        every schema, enum and operation difference, with the rules that name it, or "no rule covers it".
        Markdown on stdout, or into --output FILE.

        With --live, run the suite against the target twice, once held to each revision (--from, then
        --to), one run after the other, each cleaning up what it created as `sipconf run` does; each
        run's reports go to a folder per revision of the artifacts folder (artifacts/2026-03-18/, ...).
        It takes the settings of `sipconf run` (SIPCONF_* variables, --settings FILE, --base-url,
        --profile, --seed, --strict, --artifacts; not --revision: it runs both), and both runs share
        one seed. Then it writes one report, artifacts/sipconformance-drift.md (or --output FILE) and
        sipconformance-drift.html beside it, and prints the Markdown on stdout (the runs' own summaries
        go to stderr): the answer to "which revision does this target implement" (both: no check
        FAILs under either; one, named; or neither) with the checks that FAIL under each; the drift:
        every check whose outcome differs between the two runs, with the contract change that
        explains it (the rule applies in one revision only, its clause changed, or the files differ in
        what it names) or "no contract change explains it", a finding about the target; and a table
        of every check with a column per revision (PASS, FAIL, NON-STRICT, SKIPPED). With
        SIPCONF_STRICT=true a NON-STRICT check counts against a revision as a FAIL does. With no
        SIPCONF_BASE_URL each run starts the embedded reference server speaking its own revision.

        Exit code: 0 done (--live: the target implements at least one of the two revisions), 1 (--live)
        it implements neither, or a run was interrupted, 2 an unknown revision, a wrong configuration
        (nothing was sent), or run options without --live.
        """;

    public static Command Build(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var from = new Option<string>("--from") { Description = "the earlier revision", HelpName = "REVISION", DefaultValueFactory = _ => ContractRevisions.March2026 };
        var to = new Option<string>("--to") { Description = "the later revision", HelpName = "REVISION", DefaultValueFactory = _ => ContractRevisions.August2026 };
        var output = new Option<FileInfo?>("--output") { Description = "write the Markdown into FILE instead of stdout (--live: instead of the artifacts folder's sipconformance-drift.md)", HelpName = "FILE" };
        var live = new Option<bool>("--live") { Description = "run the suite against the target under each revision and compare the runs (takes the settings and flags of `sipconf run`)" };
        var settingsFile = CommandLine.SettingsOption();
        var progress = new Option<int>("--progress")
        {
            Description = "--live: print a progress line on stderr every SECONDS while a run is under way (0: never)",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 10,
        };
        var command = new Command("drift", Description) { from, to, output, live, settingsFile, progress };
        // The flags of `sipconf run` but --revision: a live drift runs under both revisions.
        var flags = RunFlags.Create().Where(f => f.Variable != SettingsLoader.Revision).ToList();
        foreach (var flag in flags) command.Options.Add(flag.Option);
        command.SetAction(async (parsed, ct) =>
        {
            var (a, b) = (SettingsLoader.ParseRevision(parsed.GetValue(from)), SettingsLoader.ParseRevision(parsed.GetValue(to)));
            if (parsed.GetValue(live))
            {
                if (a == b) throw new SettingsException($"--from and --to are both {a}: a live drift compares two revisions.");
                var settings = CommandLine.LoadSettings(parsed.GetValue(settingsFile), RunFlags.Over(parsed, flags, environment));
                return await LiveAsync(settings, a, b, parsed.GetValue(output), TimeSpan.FromSeconds(Math.Max(0, parsed.GetValue(progress))), stdout, stderr, environment, ct).ConfigureAwait(false);
            }
            // The run options mean nothing to the contract-only drift: say so rather than ignore them.
            var runOptions = flags.Select(f => f.Option).Append(settingsFile).Append(progress).Where(o => parsed.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (runOptions.Count > 0)
            {
                await stderr.WriteLineAsync($"sipconf drift: {string.Join(", ", runOptions)} only with --live (they configure the runs against a target).").ConfigureAwait(false);
                return CommandLine.Usage;
            }
            var text = DriftDocument.Render(SipContract.Of(a), SipContract.Of(b));
            if (parsed.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, text, ct).ConfigureAwait(false);
                await stdout.WriteLineAsync($"sipconf drift: {a} -> {b} written to {file.FullName}").ConfigureAwait(false);
            }
            else await stdout.WriteAsync(text).ConfigureAwait(false);
            return CommandLine.Ok;
        });
        return command;
    }

    /// <summary>
    /// The two runs, one after the other (never at once: they share the target, its rate limits and
    /// the machine), each as `sipconf run` makes it, with its reports in the artifacts folder's
    /// subfolder of its revision; then the comparison, read from the findings files the runs wrote
    /// (redacted, as every file a run leaves), so the report holds no secret either.
    /// </summary>
    public static async Task<int> LiveAsync(SuiteSettings settings, string from, string to, FileInfo? output, TimeSpan progressEvery,
        TextWriter stdout, TextWriter stderr, Func<string, string?> environment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var artifacts = RepositoryPaths.Resolve(settings.ArtifactsDirectory);
        if (settings.IsEmbedded)
            await stderr.WriteLineAsync($"sipconf drift --live: no {SettingsLoader.BaseUrl}: each run starts the embedded reference server speaking its own revision (aim --base-url at the server you mean to judge).").ConfigureAwait(false);
        var runs = new List<FindingsDocument>();
        foreach (var revision in new[] { from, to })
        {
            var folder = Path.Combine(artifacts, revision);
            await stderr.WriteLineAsync($"sipconf drift --live: the run held to {revision} (reports in {folder})").ConfigureAwait(false);
            // The runs' banners and summaries go to stderr: stdout carries the drift report alone.
            await RunCommand.RunAsync(settings with { Revision = revision, ArtifactsDirectory = folder }, progressEvery, stderr, stderr, environment, ct, explainFailures: false).ConfigureAwait(false);
            if (ct.IsCancellationRequested)
            {
                await stderr.WriteLineAsync($"sipconf drift --live: interrupted during the run held to {revision}: no drift report.").ConfigureAwait(false);
                return CommandLine.Failed;
            }
            runs.Add(FindingsDocument.Load(Path.Combine(folder, Reports.FindingsFileName)));
        }
        var drift = LiveDrift.Of(runs[0], runs[1]);
        var markdown = drift.Markdown();
        var mdPath = output?.FullName ?? Path.Combine(artifacts, LiveDrift.MarkdownFileName);
        var htmlPath = Path.Combine(Path.GetDirectoryName(mdPath)!, LiveDrift.HtmlFileName);
        // The findings files are redacted already; the environment's credentials are looked for once more, as `report` does.
        var redactor = CommandLine.EnvironmentRedactor(environment);
        Directory.CreateDirectory(Path.GetDirectoryName(mdPath)!);
        await File.WriteAllTextAsync(mdPath, redactor.Redact(markdown), ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(htmlPath, redactor.Redact(drift.Html()), ct).ConfigureAwait(false);
        await stdout.WriteAsync(redactor.Redact(markdown)).ConfigureAwait(false);
        await stdout.WriteLineAsync(redactor.Redact($"{Environment.NewLine}{drift.Answer}{Environment.NewLine}sipconf drift --live: reports: {mdPath}, {htmlPath}")).ConfigureAwait(false);
        return drift.ImplementsNeither ? CommandLine.Failed : CommandLine.Ok;
    }
}
