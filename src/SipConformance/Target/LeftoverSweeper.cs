using System.Text.Json;
using SipConformance.Generation;

namespace SipConformance.Target;

/// <summary>What became of one endpoint a sweep looked at.</summary>
public enum LeftoverOutcome
{
    /// <summary>DELETE answered 2xx.</summary>
    Deleted,
    /// <summary>The target no longer has it (404): nothing to do.</summary>
    AlreadyGone,
    /// <summary>A dry run found it; nothing was deleted.</summary>
    WouldDelete,
    /// <summary>The deletion (or the look-up) did not succeed.</summary>
    Failed,
    /// <summary>Not attempted: another target, or a project without configured credentials.</summary>
    Skipped,
}

/// <summary>One endpoint a sweep acted on (ids and usernames only: never a credential).</summary>
public sealed record LeftoverAction(LeftoverOutcome Outcome, string Project, string? Id, string? Username, string Source, string? Detail = null)
{
    public override string ToString()
    {
        var verb = Outcome switch
        {
            LeftoverOutcome.Deleted => "deleted",
            LeftoverOutcome.AlreadyGone => "already gone",
            LeftoverOutcome.WouldDelete => "would delete",
            LeftoverOutcome.Failed => "FAILED",
            _ => "skipped",
        };
        var what = Id is null ? "" : $" {Id}";
        var name = Username is null ? "" : $" ({Username})";
        return $"{verb,-12}{what}{name} in the {Project} project, from {Source}{(Detail is null ? "" : ": " + Detail)}";
    }
}

/// <summary>
/// Finds and deletes what runs left on a target: the open entries of cleanup journals, and the
/// endpoints of the paginated list whose username carries a run's marker. It only ever deletes
/// what one of these names, with the configured credentials of the project that owns it.
/// </summary>
public sealed class LeftoverSweeper(SipApi api, IReadOnlyList<TargetProject> projects)
{
    public IReadOnlyList<TargetProject> Projects => projects;

    /// <summary>Deletes (or, in a dry run, looks up) every open entry of the given journals; each success is written back to its journal.</summary>
    public async Task<IReadOnlyList<LeftoverAction>> FromJournalsAsync(IEnumerable<string> journalPaths, bool dryRun, CancellationToken ct = default)
    {
        var actions = new List<LeftoverAction>();
        foreach (var path in journalPaths)
        {
            var source = $"journal {Path.GetFileName(path)}";
            if (CleanupJournal.InUse(path))
            {
                actions.Add(new LeftoverAction(LeftoverOutcome.Skipped, "(any)", null, null, source,
                    "a run that is still going holds it open; that run deletes what it created when it ends (stop it first to clean up now)"));
                continue;
            }
            IReadOnlyList<JournalEntry> open;
            try { open = CleanupJournal.ReadOpen(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                actions.Add(new LeftoverAction(LeftoverOutcome.Failed, "(none)", null, null, source, $"cannot read it: {e.Message}"));
                continue;
            }
            CleanupJournal? journal = null;
            try
            {
                foreach (var entry in open)
                {
                    if (!SameTarget(entry.BaseUrl))
                    {
                        actions.Add(new LeftoverAction(LeftoverOutcome.Skipped, entry.ProjectLabel, entry.Id, entry.Username, source,
                            $"it was created on {entry.BaseUrl}, not on the configured target {api.BaseUrl}"));
                        continue;
                    }
                    if (ProjectOf(entry.ProjectId) is not { } project)
                    {
                        actions.Add(new LeftoverAction(LeftoverOutcome.Skipped, entry.ProjectLabel, entry.Id, entry.Username, source,
                            $"it belongs to project {entry.ProjectId}, for which no credentials are configured"));
                        continue;
                    }
                    var action = await ActAsync(project, entry.Id, entry.Username, source, dryRun, ct).ConfigureAwait(false);
                    actions.Add(action);
                    if (!dryRun && action.Outcome is LeftoverOutcome.Deleted or LeftoverOutcome.AlreadyGone)
                    {
                        journal ??= new CleanupJournal(path, new Uri(entry.BaseUrl));
                        journal.Deleted(project, entry.Id);
                    }
                }
            }
            finally { journal?.Dispose(); }
        }
        return actions;
    }

    /// <summary>
    /// Deletes (or, in a dry run, lists) every endpoint of every configured project whose username
    /// starts with <paramref name="usernamePrefix"/> (which must start with <see cref="RunIdentity.SuitePrefix"/>).
    /// </summary>
    public async Task<IReadOnlyList<LeftoverAction>> ByPrefixAsync(string usernamePrefix, bool dryRun, CancellationToken ct = default)
    {
        if (!usernamePrefix.StartsWith(RunIdentity.SuitePrefix, StringComparison.Ordinal))
            throw new ArgumentException($"a sweep only deletes usernames the suite made (starting with {RunIdentity.SuitePrefix})", nameof(usernamePrefix));
        var actions = new List<LeftoverAction>();
        var source = $"the list (usernames starting with {usernamePrefix})";
        foreach (var project in projects)
        {
            var list = await api.ListAllAsync(project.Auth, ct).ConfigureAwait(false);
            foreach (var item in list.Items)
            {
                if (SipApi.Username(item) is not { } username || !username.StartsWith(usernamePrefix, StringComparison.Ordinal)) continue;
                if (SipApi.ItemId(item) is not { } id) continue;
                actions.Add(await ActAsync(project, id, username, source, dryRun, ct).ConfigureAwait(false));
            }
            if (!list.Complete)
                actions.Add(new LeftoverAction(LeftoverOutcome.Failed, project.Label, null, null, source,
                    $"could not read the whole list, so some leftovers may remain: {list.Problem}"));
        }
        return actions;
    }

    private async Task<LeftoverAction> ActAsync(TargetProject project, string id, string? username, string source, bool dryRun, CancellationToken ct)
    {
        if (dryRun)
        {
            var get = await api.GetAsync(project.Auth, id, ct).ConfigureAwait(false);
            return get.Response switch
            {
                { } r when r.Status == Rules.Statuses.Ok => new LeftoverAction(LeftoverOutcome.WouldDelete, project.Label, id, username ?? (r.Json is { } j ? SipApi.Username(j) : null), source),
                { } r when r.Status == Rules.Statuses.NotFound => new LeftoverAction(LeftoverOutcome.AlreadyGone, project.Label, id, username, source),
                _ => new LeftoverAction(LeftoverOutcome.Failed, project.Label, id, username, source, $"GET answered {SipApi.Describe(get)}"),
            };
        }
        var delete = await api.DeleteAsync(project, id, ct: ct).ConfigureAwait(false);
        return delete.Response switch
        {
            { } r when Rules.Statuses.IsSuccess(r.Status) && delete.Failure is null => new LeftoverAction(LeftoverOutcome.Deleted, project.Label, id, username, source),
            { } r when r.Status == Rules.Statuses.NotFound => new LeftoverAction(LeftoverOutcome.AlreadyGone, project.Label, id, username, source),
            _ => new LeftoverAction(LeftoverOutcome.Failed, project.Label, id, username, source, $"DELETE answered {SipApi.Describe(delete)}"),
        };
    }

    private bool SameTarget(string baseUrl) =>
        Uri.TryCreate(baseUrl, UriKind.Absolute, out var u)
        && string.Equals(Normal(u), Normal(api.BaseUrl), StringComparison.OrdinalIgnoreCase);

    private static string Normal(Uri u) => $"{u.Scheme}://{u.Host}:{u.Port}{u.AbsolutePath.TrimEnd('/')}";

    private TargetProject? ProjectOf(string projectId) =>
        projects.FirstOrDefault(p => string.Equals(p.ProjectId, projectId, StringComparison.OrdinalIgnoreCase));
}
