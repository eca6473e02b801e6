using System.CommandLine;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.Running;
using SipConformance.Target;

namespace SipConformance.Cli;

/// <summary>`sipconf cleanup`: deletes what runs left, by journal and by username marker.</summary>
public static class CleanupCommand
{
    public sealed record Options(IReadOnlyList<string> Journals, bool AllJournals, string? Marker, bool AnyMarker, bool DryRun, FileInfo? SettingsFile);

    public const string Description = """
        Delete what conformance runs left on a target (a crashed or killed run, or one with
        SIPCONF_CLEANUP=false): the open entries of cleanup journals (artifacts/journal/*.jsonl,
        written the moment each endpoint is created), and the endpoints whose username carries a
        run's marker (every username the suite creates starts with sipconf_<marker>_), across the
        paginated list of the project and, when configured, of the second project. With neither a
        journal nor a marker option it reads every journal (--all-journals).

        The target and credentials come from the same variables as a run: SIPCONF_BASE_URL (or
        SIGNALWIRE_SPACE), SIPCONF_PROJECT_ID, SIPCONF_API_TOKEN (or SIGNALWIRE_PROJECT_ID,
        SIGNALWIRE_API_TOKEN), SIPCONF_SECOND_PROJECT_ID, SIPCONF_SECOND_API_TOKEN, SIPCONF_ARTIFACTS,
        SIPCONF_MAX_RPS, SIPCONF_CONCURRENCY, SIPCONF_TIMEOUT, SIPCONF_INSECURE_TLS.

        It prints each endpoint it deleted (id and username; never a credential). Exit code: 0 when
        every deletion succeeded, 1 when one failed or a list could not be read whole, 2 when the
        command line or the configuration is wrong.
        """;

    public static Command Build(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var journal = new Option<string[]>("--journal")
        {
            Description = "read this journal (may be given more than once)",
            HelpName = "FILE",
            Arity = ArgumentArity.OneOrMore,
        };
        var allJournals = new Option<bool>("--all-journals")
        {
            Description = "read every journal under $SIPCONF_ARTIFACTS/journal (default: artifacts/journal)",
        };
        var marker = new Option<string?>("--marker")
        {
            Description = "also delete every endpoint whose username starts with sipconf_MARKER_ (the marker a run prints in its banner: \"run marker ...\")",
            HelpName = "MARKER",
        };
        marker.Validators.Add(r =>
        {
            var m = r.GetValueOrDefault<string?>()?.Trim() ?? "";
            if (m.Length == 0 || m.Any(char.IsWhiteSpace) || m.StartsWith(RunIdentity.SuitePrefix, StringComparison.Ordinal))
                r.AddError($"--marker takes a run's marker (as in \"run marker 1a2b3c4d\"), not '{m}'.");
        });
        var anyMarker = new Option<bool>("--any-marker")
        {
            Description = "also delete every endpoint whose username starts with sipconf_, whatever the run: this includes what a run under way right now is using",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "print what would be deleted; delete nothing" };
        var settingsFile = CommandLine.SettingsOption();
        var command = new Command("cleanup", Description) { journal, allJournals, marker, anyMarker, dryRun, settingsFile };
        command.Validators.Add(r =>
        {
            if (r.GetValue(allJournals) && r.GetValue(journal) is { Length: > 0 }) r.AddError("give either --journal FILE or --all-journals, not both.");
            if (r.GetValue(anyMarker) && r.GetValue(marker) is not null) r.AddError("give either --marker MARKER or --any-marker, not both.");
        });
        command.SetAction((parsed, ct) => RunAsync(
            new Options(parsed.GetValue(journal) ?? [], parsed.GetValue(allJournals), parsed.GetValue(marker)?.Trim(), parsed.GetValue(anyMarker),
                parsed.GetValue(dryRun), parsed.GetValue(settingsFile)),
            stdout, stderr, environment, ct));
        return command;
    }

    public static async Task<int> RunAsync(Options options, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        SuiteSettings settings;
        try
        {
            settings = CommandLine.LoadSettings(options.SettingsFile, environment);
            if (settings.BaseUrl is null)
                throw new SettingsException($"cleanup needs a target: set {SettingsLoader.BaseUrl} (or {SettingsLoader.Space}), {SettingsLoader.ProjectId} and {SettingsLoader.ApiToken}.");
            foreach (var j in options.Journals)
                if (!File.Exists(j)) throw new SettingsException($"--journal: no file '{j}'.");
        }
        catch (SettingsException e)
        {
            await stderr.WriteLineAsync($"sipconf cleanup: {e.Message}").ConfigureAwait(false);
            return CommandLine.Usage;
        }

        var target = Targets.Remote(settings);
        var projects = new[] { target.Primary, target.Second }.OfType<TargetProject>().ToList();
        var redactor = new Redactor(settings.Secrets, [settings.ProjectId, settings.SecondProjectId]);
        void Say(TextWriter w, string line) => w.WriteLine(redactor.Redact(line));

        if (settings.InsecureTls)
            Say(stderr, $"sipconf cleanup: WARNING: {SettingsLoader.InsecureTls}=true: the target's TLS certificate is NOT validated. Use this only for a self-signed staging server.");

        var artifacts = RepositoryPaths.Resolve(settings.ArtifactsDirectory);
        var journals = options.Journals.Count > 0 ? options.Journals.Select(Path.GetFullPath).ToList()
            : options.AllJournals || (options.Marker is null && !options.AnyMarker) ? CleanupJournal.Find(artifacts).ToList()
            : [];
        var prefix = options.AnyMarker ? RunIdentity.SuitePrefix
            : options.Marker is { } m ? new RunIdentity(0, m).UsernamePrefix
            : null;

        Say(stdout, $"sipconf cleanup{(options.DryRun ? " (dry run: nothing is deleted)" : "")}: target {target.BaseUrl}; " +
                    string.Join(", ", projects.Select(p => $"{p.Label} project {p.ProjectId}")) + "; " +
                    (journals.Count > 0 ? $"{journals.Count} journal(s)" + (options.Journals.Count == 0 ? $" under {Path.Combine(artifacts, CleanupJournal.Folder)}" : "")
                        : options.Journals.Count == 0 && prefix is null ? $"no journal under {Path.Combine(artifacts, CleanupJournal.Folder)}" : "no journal") +
                    (prefix is null ? "" : $"; usernames starting with {prefix}"));
        if (options.AnyMarker)
            Say(stderr, $"sipconf cleanup: --any-marker deletes every endpoint whose username starts with {RunIdentity.SuitePrefix}, including those of a run under way right now.");

        using var client = new TargetClient(ClientOptions.From(settings), redactor, ct);
        var api = new SipApi(client, target.BaseUrl, SipContract.Of(settings.Revision), journal: null);
        var sweeper = new LeftoverSweeper(api, projects);
        var actions = new List<LeftoverAction>();
        try
        {
            foreach (var action in await sweeper.FromJournalsAsync(journals, options.DryRun, ct).ConfigureAwait(false))
            {
                actions.Add(action);
                Say(action.Outcome == LeftoverOutcome.Failed ? stderr : stdout, action.ToString());
            }
            if (prefix is not null)
                foreach (var action in await sweeper.ByPrefixAsync(prefix, options.DryRun, ct).ConfigureAwait(false))
                {
                    // In a dry run the journal's entries show up again in the list: print each endpoint once.
                    if (action.Id is not null && actions.Any(a => a.Id == action.Id && a.Outcome == action.Outcome)) continue;
                    actions.Add(action);
                    Say(action.Outcome == LeftoverOutcome.Failed ? stderr : stdout, action.ToString());
                }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Say(stderr, "sipconf cleanup: interrupted; run it again to finish.");
            return CommandLine.Failed;
        }

        int Count(LeftoverOutcome o) => actions.Count(a => a.Outcome == o);
        var failed = Count(LeftoverOutcome.Failed);
        Say(stdout, options.DryRun
            ? $"sipconf cleanup: dry run: {Count(LeftoverOutcome.WouldDelete)} endpoint(s) would be deleted, {Count(LeftoverOutcome.AlreadyGone)} already gone, {Count(LeftoverOutcome.Skipped)} skipped, {failed} failed"
            : $"sipconf cleanup: {Count(LeftoverOutcome.Deleted)} deleted, {Count(LeftoverOutcome.AlreadyGone)} already gone, {Count(LeftoverOutcome.Skipped)} skipped, {failed} failed");
        if (ct.IsCancellationRequested)
        {
            Say(stderr, "sipconf cleanup: interrupted; run it again to finish.");
            return CommandLine.Failed;
        }
        return failed > 0 ? CommandLine.Failed : CommandLine.Ok;
    }
}
