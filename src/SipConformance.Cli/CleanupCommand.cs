using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.Running;
using SipConformance.Target;

namespace SipConformance.Cli;

/// <summary>`sipconf cleanup`: deletes what runs left, by journal and by username marker.</summary>
public static class CleanupCommand
{
    private sealed record Options(List<string> Journals, bool AllJournals, string? Marker, bool AnyMarker, bool DryRun, string? SettingsFile);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, CancellationToken ct = default)
    {
        Options options;
        SuiteSettings settings;
        try
        {
            options = Parse(args);
            var parameters = options.SettingsFile is null ? new Dictionary<string, string?>() : RunSettingsFile.Read(options.SettingsFile);
            settings = SettingsLoader.Load(environment, parameters);
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
        var api = new SipApi(client, target.BaseUrl, SipContract.Default, journal: null);
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

    private static Options Parse(string[] args)
    {
        var o = new Options([], false, null, false, false, null);
        for (var i = 0; i < args.Length; i++)
        {
            string Value(string name) =>
                i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : throw new SettingsException($"{name} needs a value.");
            switch (args[i])
            {
                case "--journal": o.Journals.Add(Value("--journal")); break;
                case "--all-journals": o = o with { AllJournals = true }; break;
                case "--marker":
                    var marker = Value("--marker").Trim();
                    if (marker.Length == 0 || marker.Any(char.IsWhiteSpace) || marker.StartsWith(RunIdentity.SuitePrefix, StringComparison.Ordinal))
                        throw new SettingsException($"--marker takes a run's marker (as in \"run marker 1a2b3c4d\"), not '{marker}'.");
                    o = o with { Marker = marker };
                    break;
                case "--any-marker": o = o with { AnyMarker = true }; break;
                case "--dry-run": o = o with { DryRun = true }; break;
                case "--settings": o = o with { SettingsFile = Value("--settings") }; break;
                default: throw new SettingsException($"unknown option '{args[i]}'. See sipconf --help.");
            }
        }
        if (o.AllJournals && o.Journals.Count > 0) throw new SettingsException("give either --journal FILE or --all-journals, not both.");
        if (o.AnyMarker && o.Marker is not null) throw new SettingsException("give either --marker MARKER or --any-marker, not both.");
        return o;
    }
}
