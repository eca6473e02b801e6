using System.Collections.Concurrent;
using System.Text.Json;
using SipConformance.Cases;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Generation;
using SipConformance.Rules;
using SipConformance.Target;

namespace SipConformance.Running;

/// <summary>What one create case came to.</summary>
public sealed record CaseResult(CreateCase Case, Exchange Create, Exchange? ReadBack, string? CreatedId, IReadOnlyList<Rule> Broken)
{
    public bool Rejected => Create.Response is { Status: >= Statuses.BadRequest and < Statuses.FirstServerError and not Statuses.TooManyRequests };
}

/// <summary>What the end-of-run cleanup did.</summary>
public sealed record CleanupReport(int Deleted, int Failed, int Kept, IReadOnlyList<string> Problems)
{
    public override string ToString() =>
        Kept > 0 ? $"cleanup off (SIPCONF_CLEANUP=false): kept {Kept} endpoint(s) the run created"
        : $"cleanup: deleted {Deleted} leftover endpoint(s), {Failed} deletion(s) failed" + (Problems.Count > 0 ? ": " + string.Join("; ", Problems.Take(5)) : "");
}

/// <summary>
/// One run of the suite against one target: the contract, the settings, the generators, the
/// client, the evaluator and the findings. Probes run at most once each, on demand. A run is a
/// value: its settings (target, profile, seed, marker) are enough to repeat it.
/// </summary>
public sealed class SuiteRun : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _started = new();
    private readonly List<Probe> _probes = [];
    private readonly CancellationTokenSource _budget;
    private readonly TargetClient _client;
    private readonly CleanupJournal _journal;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private long _cleanupRequests;

    public SuiteRun(SuiteSettings settings, ResolvedTarget target, SipContract contract, string? marker = null, IEnumerable<Probe>? probes = null)
    {
        Settings = settings;
        Target = target;
        Contract = contract ?? throw new ArgumentNullException(nameof(contract), "a run is composed with its contract (SipContract.Of(settings.Revision))");
        Identity = RunIdentity.Create(settings.Seed, marker ?? settings.RunMarker);
        // The near misses of a token the auth rules send are as secret as the token itself.
        var tokens = new[] { target.Primary.Token, target.Second?.Token }.OfType<Secret>().ToList();
        Redactor = new Redactor(tokens.Concat(tokens.SelectMany(t => NearMisses.Tokens(t, "").Select(n => n.Token))).Concat(settings.Secrets),
            [target.Primary.ProjectId, target.Second?.ProjectId, settings.ProjectId, settings.SecondProjectId]);
        Findings = new RunFindings(redactor: Redactor);
        Evaluator = new Evaluator(Contract, Findings, Redactor);
        Payloads = new PayloadFactory(Contract, Identity, target.ResourceId, settings.CallerId);
        Stimuli = new StimulusContext(Contract, Identity, target, Payloads);
        foreach (var probe in probes ?? StandardProbes.All())
        {
            if (_probes.Any(p => p.Name == probe.Name)) throw new ArgumentException($"two phases are named '{probe.Name}'");
            _probes.Add(probe);
        }
        if (settings.AutoProfile)
        {
            // Before any request, from the plans of the very phases the run has: the profile the whole run (every shard alike) uses.
            AutoChoice = AutoProfile.Choose(this);
            Settings = settings = settings with { Profile = AutoChoice.Chosen.Profile };
        }
        LeaveOutUnselected();
        SkipUnmetRequirements();
        _budget = new CancellationTokenSource(settings.RunBudget);
        _client = new TargetClient(ClientOptions.From(settings), Redactor, _budget.Token);
        ArtifactsDirectory = RepositoryPaths.Resolve(settings.ArtifactsDirectory);
        _journal = new CleanupJournal(Path.Combine(ArtifactsDirectory, "journal", $"{DateTime.UtcNow:yyyyMMddTHHmmss}-{Identity.Marker}.jsonl"), target.BaseUrl);
        Api = new SipApi(_client, target.BaseUrl, Contract, _journal);
    }

    public SuiteSettings Settings { get; private set; }

    /// <summary>Which part of the run this is (SIPCONF_SHARD); <see cref="Shard.Whole"/> when unsharded.</summary>
    public Shard Shard => Settings.Shard;

    /// <summary>With SIPCONF_PROFILE=auto: the prediction behind the profile the run chose (null otherwise).</summary>
    public AutoProfileChoice? AutoChoice { get; }

    /// <summary>How many HTTP requests the run sent so far (probes and cleanup; the Pact verifier's own requests are not counted).</summary>
    public long RequestsSent => _client.RequestsSent + Interlocked.Read(ref _cleanupRequests);

    /// <summary>Wall time since the run was set up.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>
    /// With SIPCONF_PROFILE=auto: what the run predicted beside what it did so far (requests sent,
    /// elapsed time), for the end of the run; null when the profile was not chosen automatically.
    /// </summary>
    public AutoProfileActuals? AutoProfileActuals =>
        AutoChoice is { } c ? new AutoProfileActuals(c.Chosen.Profile, c.Chosen.Requests, c.Chosen.Time, RequestsSent, Elapsed, Settings.RunBudget) : null;

    /// <summary>One line for the end of the run: the auto profile's prediction and the actual figures; null when not auto.</summary>
    public string? AutoProfileReport() => AutoProfileActuals?.ToString();
    public ResolvedTarget Target { get; }
    public SipContract Contract { get; }
    public RunIdentity Identity { get; }
    public Redactor Redactor { get; }
    public RunFindings Findings { get; }
    public Evaluator Evaluator { get; }
    public PayloadFactory Payloads { get; }
    public StimulusContext Stimuli { get; }
    public SipApi Api { get; }
    public string ArtifactsDirectory { get; }
    public CleanupJournal Journal => _journal;
    public IReadOnlyList<Probe> Probes => _probes;

    /// <summary>The registered probe of that type (null when the run has none).</summary>
    public T? Probe<T>() where T : Probe => _probes.OfType<T>().FirstOrDefault();

    /// <summary>How long each probe took (wall time), once it finished.</summary>
    public ConcurrentDictionary<string, TimeSpan> ProbeTimes { get; } = new();

    /// <summary>When each probe started, counted from the run's construction (with <see cref="ProbeTimes"/>: which phases overlapped).</summary>
    public ConcurrentDictionary<string, TimeSpan> ProbeStarts { get; } = new();

    private readonly System.Diagnostics.Stopwatch _runClock = System.Diagnostics.Stopwatch.StartNew();
    public CancellationToken Budget => _budget.Token;

    /// <summary>The available call handlers (resource only when a resource id is known).</summary>
    public bool ResourceAvailable => Target.ResourceId is not null;

    /// <summary>True once the target stopped answering (the client's circuit is open): re-sending would only wait out timeouts.</summary>
    public bool TargetStopped => _client.CircuitOpen;

    /// <summary>True once the target answered a 429 (phases then overlap: see <see cref="RunAllAsync"/>).</summary>
    public bool RateLimited => _client.FirstRateLimit.IsCompleted;

    /// <summary>The checks the run judges (SIPCONF_FILTER, --filter); <see cref="CheckFilter.None"/>: every check.</summary>
    public CheckFilter Filter => Settings.Filter;

    /// <summary>Every check the filter leaves out is SKIPPED "not run: left out by --filter ..." whatever the phases that still run observe.</summary>
    private void LeaveOutUnselected()
    {
        foreach (var rule in RuleBook.All)
            if (!Filter.Selects(rule)) Findings[rule].LeaveOut(Filter.LeftOutReason);
    }

    /// <summary>Every rule that needs what the target lacks is SKIPPED up front, with the setting that gives it.</summary>
    private void SkipUnmetRequirements()
    {
        foreach (var rule in RuleBook.All)
        {
            if (!Filter.Selects(rule)) continue;
            if (!rule.AppliesIn(Contract.Revision))
            {
                Findings.Skip(rule, Rule.NotInRevision(Contract.Revision));
                continue;
            }
            if (rule.Needs.HasFlag(Requirement.Resource) && !ResourceAvailable)
                Findings.Skip(rule, $"no resource usable as call handler is known: set {SettingsLoader.ResourceId}", SettingsLoader.ResourceId);
            if (rule.Needs.HasFlag(Requirement.SecondProject) && Target.Second is null)
                Findings.Skip(rule, $"no second project configured: set {SettingsLoader.SecondProjectId} and {SettingsLoader.SecondApiToken}", SettingsLoader.SecondProjectId, SettingsLoader.SecondApiToken);
        }
    }

    /// <summary>
    /// Whether the run runs <paramref name="probe"/> in <paramref name="shard"/>: every phase, but a one-off only in
    /// shard 1, and with a filter only a phase that feeds a selected check (<see cref="Probe.Feeds"/>).
    /// </summary>
    public bool Runs(Probe probe, Shard shard)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(shard);
        return (!probe.OneOff || shard.RunsOneOffs) && Needed(probe);
    }

    /// <summary>Whether a selected check (of the run's revision) may get a verdict from <paramref name="probe"/>; always without a filter.</summary>
    public bool Needed(Probe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return Filter.IsNone || RuleBook.For(Contract.Revision).Any(r => Filter.Selects(r) && probe.Feeds(r));
    }

    /// <summary>How many checks of the catalogue the filter selects, of how many.</summary>
    public (int Selected, int All) FilterCount => (RuleBook.All.Count(Filter.Selects), RuleBook.All.Count);

    /// <summary>The lines a run starts with: target (token redacted), profile, seed and marker.</summary>
    public string Banner() =>
        $"SipConformance: contract revision {Contract.Revision}; target {(Target.Embedded ? "embedded reference server at " : "")}{Target.BaseUrl}, " +
        $"project {Target.Primary.ProjectId}, token {Secret.Mask}, resource {Target.ResourceId ?? "(none)"}, second project {Target.Second?.ProjectId ?? "(none)"}; " +
        $"{Settings.DescribeRun()}; run marker {Identity.Marker}" +
        (Shard.IsWhole ? "" : $"{Environment.NewLine}SipConformance: shard {Shard}: the cases whose index is {Shard.Index - 1} modulo {Shard.Count}" +
            (Shard.RunsOneOffs ? ", and the one-off probes (lifecycle, isolation, pact)" : "; the one-off probes run in shard 1") +
            $"; merge the shards' artifacts with: dotnet run --project src/SipConformance.Cli -- merge <dir>...") +
        (AutoChoice is { } auto ? Environment.NewLine + auto.Describe() : "") +
        (LearnedTable is { } learned ? string.Concat(learned.ShortLines().Select(l => $"{Environment.NewLine}SipConformance: learned {l}")) : "") +
        (Filter.IsNone ? "" : $"{Environment.NewLine}SipConformance: filter {Filter}: {FilterCount.Selected} of {FilterCount.All} checks judged, the others SKIPPED (not run); " +
            $"phases left out: {string.Join(", ", _probes.Where(p => !Needed(p)).Select(p => p.Name).DefaultIfEmpty("none"))}") +
        $"{Environment.NewLine}SipConformance: reproduce with {string.Join(' ', ReplaySettings())}";

    /// <summary>The environment that repeats this run: seed and marker, the profile when one was set, the shard.</summary>
    public IReadOnlyList<SettingValue> ReplaySettings() =>
    [
        new(SettingsLoader.Seed, Settings.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new(SettingsLoader.RunMarker, Identity.Marker),
        .. Settings.Profile is null ? Array.Empty<SettingValue>() : [new(SettingsLoader.Profile, Settings.EffectiveProfile.ToString().ToLowerInvariant())],
        .. Shard.IsWhole ? Array.Empty<SettingValue>() : [new(SettingsLoader.Shard, Shard.ToString())],
        .. Filter.IsNone ? Array.Empty<SettingValue>() : [new(SettingsLoader.Filter, Filter.ReplayValue)],
    ];

    /// <summary>
    /// Runs the named phase once per run (later calls wait for the first): the phases it comes
    /// <see cref="Probe.After"/> first; a one-off phase only in shard 1 (elsewhere it is done at once).
    /// </summary>
    public Task EnsureAsync(string probeName)
    {
        var probe = _probes.FirstOrDefault(p => p.Name == probeName) ?? throw new KeyNotFoundException($"no probe '{probeName}'");
        return _started.GetOrAdd(probe.Name, _ => new Lazy<Task>(() => Task.Run(async () =>
        {
            // The learning phase comes before every phase that needs a 200 (whatever order the phases were given in).
            var learns = probe.NeedsAccepted && _probes.Any(p => p.Name == Running.Probes.LearnProbe.PhaseName);
            // Against a target that rate-limits, a phase that needs a 200 waits for the learning phase only until the baseline
            // payload was taken (no check is then skipped for its caller id), so that it overlaps the learning phase's rounds.
            if (learns)
                await Task.WhenAny(EnsureAsync(Running.Probes.LearnProbe.PhaseName), Task.WhenAll(_baselineTaken.Task, _client.FirstRateLimit)).ConfigureAwait(false);
            foreach (var before in probe.After.Where(a => _probes.Any(p => p.Name == a)))
                await EnsureAsync(before).ConfigureAwait(false);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            ProbeStarts[probe.Name] = _runClock.Elapsed;
            var sent = new System.Runtime.CompilerServices.StrongBox<long>();
            var cut = false;
            if (Runs(probe, Shard) && !(probe.NeedsAccepted && BaselineRefusal is not null))
            {
                try { await TargetClient.CountingAsync(sent, () => probe.RunAsync(this, _budget.Token)).ConfigureAwait(false); }
                // Cut short by the run's budget or a cancellation (phases overlap once the target rate-limits, so several may be
                // under way then): what it judged stands, and it is reported as not finished.
                catch (OperationCanceledException) when (_budget.IsCancellationRequested) { cut = true; }
            }
            if (!cut) ProbeTimes[probe.Name] = clock.Elapsed;
            ProbeRequests[probe.Name] = Interlocked.Read(ref sent.Value);
        }))).Value;
    }

    private readonly TaskCompletionSource _baselineTaken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The learning phase's baseline payload was answered 200: the phases that need a 200 will run (see <see cref="EnsureAsync"/>).</summary>
    public void BaselineTaken() => _baselineTaken.TrySetResult();

    /// <summary>What the learning phase found each string field takes (null until it ran, or when the run has no such phase).</summary>
    public LearnedEntry? LearnedTable { get; private set; }

    /// <summary>
    /// Why the phases that need a 200 were not run: the target refused the baseline payload because of the
    /// generated caller id, with SIPCONF_CALLER_ID unset (null otherwise). Their checks are SKIPPED with it.
    /// </summary>
    public string? BaselineRefusal { get; private set; }

    /// <summary>The diagnosis of a baseline refused for its generated caller id (the skip reason of the checks it left unjudged).</summary>
    public static string CallerIdRefusal(int status) =>
        $"the target refuses the generated caller id (the baseline payload, and every one varying another field, was answered {status}); " +
        $"set {SettingsLoader.CallerId} to a number the project owns";

    /// <summary>Records what the learning phase found; a baseline refused for its caller id skips every check no phase could judge.</summary>
    public void Learned(LearnedEntry table)
    {
        ArgumentNullException.ThrowIfNull(table);
        LearnedTable = table;
        if (!table.BaselineRefusedByCallerId) return;
        BaselineRefusal = CallerIdRefusal(table.BaselineStatus);
        // A check the learning phase judged keeps its verdict (a skip reason does not hide a PASS or a FAIL); the others say why they are empty.
        foreach (var rule in RuleBook.All.Where(r => r.AppliesIn(Contract.Revision)))
            Findings.Skip(rule, BaselineRefusal, SettingsLoader.CallerId);
    }

    /// <summary>Requests each phase sent (its own, also when phases overlap).</summary>
    public ConcurrentDictionary<string, long> ProbeRequests { get; } = new();

    /// <summary>
    /// Runs every probe once, in registration order, one at a time (a reader follows the run phase by phase, and a
    /// target's state meets each phase's requests in one order); from the target's first 429 on, the phases not yet
    /// started start at once beside the one under way: a phase waiting out a 429 (one that sends in rounds, say) does
    /// not hold up the rest of the run. Each phase still waits for the ones it comes <see cref="Probe.After"/>.
    /// Later calls wait for the first.
    /// </summary>
    public async Task RunAllAsync()
    {
        var started = new List<Task>();
        foreach (var p in _probes)
        {
            if (_budget.IsCancellationRequested) break;
            var phase = EnsureAsync(p.Name);
            started.Add(phase);
            if (!_client.FirstRateLimit.IsCompleted) await Task.WhenAny(phase, _client.FirstRateLimit).ConfigureAwait(false);
        }
        await Task.WhenAll(started).ConfigureAwait(false);
        if (BudgetExhausted && Interlocked.Exchange(ref _budgetReported, 1) == 0)
        {
            var unfinished = string.Join(", ", _probes.Where(p => !ProbeTimes.ContainsKey(p.Name)).Select(p => p.Name));
            // A run the target slowed with 429s that never cleared broke the rate-limit rule (SHOULD: rate limiting clears within
            // the budget), not the one about answers: every request it sent was answered, the target asked it to wait.
            var limited = _client.PaceDecreases > 0 || Findings[Http.RateLimit].ViolationCount > 0;
            Findings.Violate(limited ? Http.RateLimit : Http.CompleteAnswer, new Violation("the whole run",
                limited
                    ? $"the run ran out of its time budget ({Settings.RunBudget.TotalMinutes:0.#} min, {SettingsLoader.RunBudget}) waiting out the target's rate limiting ({_client.PaceDecreases} pace decrease(s)); probes not finished: {unfinished}"
                    : $"the run ran out of its time budget ({Settings.RunBudget.TotalMinutes:0.#} min, {SettingsLoader.RunBudget}) before every request was answered; probes not finished: {unfinished}")
            { Settings = [SettingsLoader.RunBudget, SettingsLoader.Profile] });
        }
    }

    private int _budgetReported;
    private volatile bool _cancelled;

    /// <summary>True when the run budget ran out (as opposed to a cancellation asked for).</summary>
    public bool BudgetExhausted => _budget.IsCancellationRequested && !_cancelled;

    /// <summary>
    /// Sends one case: the create, then (after a 200 naming an id) the read-back, then the judgement;
    /// then deletes what it created (unless cleanup is off or <paramref name="keep"/>).
    /// </summary>
    public async Task<CaseResult> ExecuteAsync(CreateCase c, CancellationToken ct, RunFindings? into = null, bool keep = false)
    {
        var evaluator = into is null ? Evaluator : new Evaluator(Contract, into, Redactor);
        var create = await Api.CreateAsync(c.Project, c.Auth, c.Body, c.ContentType, ct).ConfigureAwait(false);
        var id = SipApi.CreatedId(create);
        Exchange? read = null;
        if (id is not null && create.Response!.Status == Statuses.Ok && !ct.IsCancellationRequested)
            read = await Api.GetAsync(c.Project.Auth, id, ct).ConfigureAwait(false);
        var broken = evaluator.Create(c, create, read);
        if (id is not null && !keep && Settings.Cleanup)
            evaluator.Delete(await Api.DeleteAsync(c.Project, id, ct: ct).ConfigureAwait(false), c.Describe() + " (cleanup)");
        // Refused: what it bundled, one at a time (the text in each field alone), so each part is judged alone.
        if (create.Response?.Status == Statuses.Unprocessable)
            foreach (var alone in c.OnRefusal)
            {
                if (ct.IsCancellationRequested) break;
                await ExecuteAsync(alone, ct, into, keep).ConfigureAwait(false);
            }
        return new CaseResult(c, create, read, id, broken);
    }

    /// <summary>Sends many cases, as many at a time as the run allows (judged into <paramref name="into"/> when given).</summary>
    public async Task<IReadOnlyList<CaseResult>> ExecuteAllAsync(IEnumerable<CreateCase> cases, CancellationToken ct, bool keep = false, RunFindings? into = null)
    {
        var results = new ConcurrentBag<CaseResult>();
        try
        {
            await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Settings.CasesUnderWay, CancellationToken = ct },
                async (c, _) => results.Add(await ExecuteAsync(c, ct, into, keep).ConfigureAwait(false))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped (cancelled or out of budget): what was answered is judged, the rest was never sent.
        }
        return results.ToList();
    }

    /// <summary>
    /// The cases a rule brings (its stimuli, each applied to a fresh valid payload of the stream),
    /// for every rule of the given sections that has stimuli.
    /// </summary>
    public IEnumerable<CreateCase> StimulusCases(string stream, params Section[] sections) => StimulusCases(stream, Shard, sections);

    /// <summary>The stimulus cases <paramref name="shard"/> sends (each case index is one shard's).</summary>
    public IEnumerable<CreateCase> StimulusCases(string stream, Shard shard, params Section[] sections)
    {
        var i = 0;
        foreach (var section in sections)
            foreach (var rule in RuleBook.WithStimuli(section))
                foreach (var stimulus in rule.Stimuli(Stimuli))
                {
                    var index = i++;
                    if (shard.Owns(index))
                        yield return stimulus.Shape(ValidCase(stream, index).Named(stimulus.Name).From($"{stream}, seed {Settings.Seed}")).Build(rule) with
                        {
                            // Sent only when the stimulus is refused: each from a payload of its own (stream "{stream}/alone").
                            OnRefusal = [.. (stimulus.OnRefusal ?? []).Select((alone, k) =>
                                alone.Shape(ValidCase($"{stream}/alone", index * 16L + k).Named(alone.Name).From($"{stream}, seed {Settings.Seed}, sent alone after a 422")).Build(rule))],
                        };
                }
    }

    /// <summary>A fresh valid payload's case for the primary project, for probes to shape.</summary>
    public CaseBuilder ValidCase(string stream, long index, string? callHandler = null) =>
        CaseBuilder.Valid(Payloads, Target.Primary, stream, index, Payloads.Choice(stream, index, callHandler));

    /// <summary>After rejections, the project's list must not hold any of the rejected usernames (what leaked is deleted by the run's cleanup).</summary>
    public async Task CheckRejectedCreatedNothingAsync(Rule rule, IReadOnlyList<CaseResult> results, TargetProject project, CancellationToken ct)
    {
        var rejected = results.Where(r => r.Rejected && r.Case.Project == project && r.Case.Username is not null).Select(r => (r.Case, r.Create)).ToList();
        if (rejected.Count == 0) { Findings.Skip(rule, "no request was rejected"); return; }
        var list = await Api.ListAllAsync(project.Auth, ct).ConfigureAwait(false);
        Evaluator.Rejections(rule, rejected, list, $"{project.Label} project list after {rejected.Count} rejected creates", project, judgeList: Shard.RunsOneOffs);
    }

    /// <summary>
    /// Deletes everything the run created that is still there: the journal's open entries, then
    /// whatever the projects' lists show under this run's marker. With cleanup off, keeps it all.
    /// A failed deletion is reported (and counts as a finding of CREATE-DEL-001).
    /// </summary>
    public async Task<CleanupReport> CleanupAsync(CancellationToken ct = default)
    {
        var open = _journal.Open();
        if (!Settings.Cleanup) return new CleanupReport(0, 0, open.Count, []);
        if (open.Count == 0 && _client.CircuitOpen)
            return new CleanupReport(0, 0, 0, ["the target stopped answering and the journal lists nothing to delete; its list was not searched for leftovers"]);
        using var client = new TargetClient(ClientOptions.From(Settings) with { RateLimitBudget = TimeSpan.FromSeconds(30) }, Redactor);
        try { return await CleanupWithAsync(client, open, ct).ConfigureAwait(false); }
        finally { Interlocked.Add(ref _cleanupRequests, client.RequestsSent); }
    }

    private async Task<CleanupReport> CleanupWithAsync(TargetClient client, IReadOnlyList<JournalEntry> open, CancellationToken ct)
    {
        var api = new SipApi(client, Target.BaseUrl, Contract, _journal);
        int deleted = 0, failed = 0;
        var problems = new ConcurrentBag<string>();
        var projects = new[] { Target.Primary, Target.Second }.OfType<TargetProject>().ToList();
        async Task Delete(TargetProject project, string id)
        {
            var e = await api.DeleteAsync(project, id, ct: ct).ConfigureAwait(false);
            Evaluator.Delete(e, "end-of-run cleanup");
            if (e.Response is { } r && (r.Status == Statuses.Deleted || r.Status == Statuses.Ok || r.Status == Statuses.NotFound)) Interlocked.Increment(ref deleted);
            else { Interlocked.Increment(ref failed); problems.Add($"{id}: {SipApi.Describe(e)}"); }
        }
        await Parallel.ForEachAsync(open, new ParallelOptions { MaxDegreeOfParallelism = Settings.EffectiveConcurrency },
            async (entry, _) => await Delete(projects.FirstOrDefault(p => p.Label == entry.ProjectLabel) ?? Target.Primary, entry.Id).ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var project in projects)
        {
            var list = await api.ListAllAsync(project.Auth, ct).ConfigureAwait(false);
            if (!list.Complete) { problems.Add($"{project.Label} project list: {list.Problem}"); continue; }
            foreach (var item in list.Items)
                if (SipApi.Username(item) is { } u && u.StartsWith(Identity.UsernamePrefix, StringComparison.Ordinal) && SipApi.ItemId(item) is { } id)
                    await Delete(project, id).ConfigureAwait(false);
        }
        return new CleanupReport(deleted, failed, 0, problems.ToList());
    }

    /// <summary>Stops sending: the probes under way end quickly; cleanup still works.</summary>
    public void Cancel()
    {
        _cancelled = true;
        _budget.Cancel();
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _journal.Dispose();
        _budget.Dispose();
        return ValueTask.CompletedTask;
    }
}
