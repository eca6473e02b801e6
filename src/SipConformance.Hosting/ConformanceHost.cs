using SipConformance.Configuration;
using SipConformance.Reporting;
using SipConformance.ReferenceServer;
using SipConformance.Running;

namespace SipConformance.Hosting;

/// <summary>
/// One conformance run in a process, as both ways in start and end it: `dotnet test
/// tests/SipConformance.Conformance` (whose tests only present the findings) and `sipconf run`.
/// <see cref="StartAsync"/> resolves the target (the embedded reference server when
/// SIPCONF_BASE_URL is unset, else the configured one) and builds the run with every probe;
/// <see cref="Close"/> cleans up what the run created, writes the reports and says the verdict.
/// Everything it says goes through the run's redactor.
/// </summary>
public sealed class ConformanceHost : IAsyncDisposable
{
    private readonly ReferenceServer.ReferenceServer? _server;
    private readonly Action<string> _say;
    private int _closed;

    private ConformanceHost(SuiteRun run, ReferenceServer.ReferenceServer? server, Action<string> say)
    {
        Run = run;
        _server = server;
        _say = say;
    }

    public SuiteRun Run { get; }

    /// <summary>What <see cref="Close"/> concluded; null before it ran.</summary>
    public HostClose? Closed { get; private set; }

    /// <summary>
    /// Starts the target when it is the embedded server, builds the run and prints its banner
    /// (target with the token masked, profile, seed, the replay line) through <paramref name="say"/>.
    /// </summary>
    public static async Task<ConformanceHost> StartAsync(SuiteSettings settings, Action<string> say, string? pactDirectory = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(say);
        ReferenceServer.ReferenceServer? server = null;
        ResolvedTarget target;
        if (settings.IsEmbedded)
        {
            server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Contract = Contract.SipContract.Of(settings.Revision) }, ct).ConfigureAwait(false);
            target = Targets.Embedded(server.BaseUrl, server.Primary.ProjectId, server.Primary.ApiToken, server.Primary.ResourceId,
                server.Secondary.ProjectId, server.Secondary.ApiToken, server.Secondary.ResourceId);
        }
        else target = Targets.Remote(settings);

        var run = Pact.Suite.Create(settings, target, pactDirectory);
        var host = new ConformanceHost(run, server, say);
        host.Say(run.Banner());
        if (run.Settings.InsecureTls)
            host.Say($"SipConformance: WARNING: {SettingsLoader.InsecureTls}=true: the target's TLS certificate is NOT validated. Use this only for a self-signed staging server.");
        return host;
    }

    /// <summary>The verdict of the findings so far (PASS unless a check fails the run; strict counts NON-STRICT).</summary>
    public bool Failed => Run.Findings.FailsRun(Run.Settings.Strict);

    /// <summary>
    /// Once per run (later calls return the first answer): deletes what the run created (unless
    /// SIPCONF_CLEANUP=false), writes the reports into the artifacts folder and prints the summary
    /// table, the verdict, the cleanup, the notes and where the reports are. With
    /// <paramref name="explainFailures"/> (`sipconf run`, which has no test runner to show them)
    /// it first prints each FAIL and NON-STRICT check's explanation: the clause, the first failures
    /// with their exchanges and curl lines.
    /// </summary>
    public HostClose Close(TimeSpan? cleanupLimit = null, bool explainFailures = false)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            SpinWait.SpinUntil(() => Closed is not null);
            return Closed!;
        }
        CleanupReport? cleanup = null;
        try
        {
            using var cts = new CancellationTokenSource(cleanupLimit ?? TimeSpan.FromMinutes(5));
            cleanup = Run.CleanupAsync(cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            Say("SipConformance: cleanup failed: " + e.Message);
        }
        var notes = Notes(Run).ToList();
        // One document, and everything below rendered from it.
        var doc = RunDocument.Of(Run, cleanup, notes);
        var paths = Reports.Write(doc, Run.ArtifactsDirectory, Run.Redactor);
        var verdict = doc.Verdict;
        if (explainFailures)
            foreach (var broken in doc.Checks.Where(c => c.Outcome is Findings.Outcome.Fail or Findings.Outcome.NonStrict))
                Say(Environment.NewLine + broken.Explain().TrimEnd());
        // What the learning phase found (the banner's lines, known only now) and, first, a baseline refused for its caller id.
        var learned = string.Concat((doc.Learned?.ShortLines() ?? []).Select(l => $"SipConformance: learned {l}{Environment.NewLine}"));
        var refused = Reporting.Html.Diagnoses.From(doc, Run.Contract).FirstOrDefault(d => d.Key == "caller-id") is { } d
            ? $"SipConformance: DIAGNOSIS: {d.Cause}; fix: {d.Fix}{Environment.NewLine}" : "";
        Say(Environment.NewLine + refused + learned + Reports.SummaryTable(doc) + verdict + Environment.NewLine +
            (cleanup?.ToString() ?? "cleanup: not done") + Environment.NewLine +
            string.Join(Environment.NewLine, notes) + Environment.NewLine +
            $"SipConformance: reports: {string.Join(", ", paths)}; journal: {Run.Journal.Path}");
        Closed = new HostClose(doc.Failed, verdict, cleanup, paths);
        return Closed;
    }

    /// <summary>The lines a run closes with beside the verdict: the combination plan, the replay values, where the time went.</summary>
    public static IEnumerable<string> Notes(SuiteRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var combos = run.Probe<Running.Probes.CombinationProbe>();
        if (combos?.Plan is { } plan)
            yield return $"combinations: {plan.Profile.ToString().ToLowerInvariant()} profile, {plan.Count} row(s){(combos.Coverage is null ? "" : ", " + combos.Coverage)}";
        if (!run.Shard.IsWhole) yield return $"shard {run.Shard}: merge the shards' artifacts with `sipconf merge DIR...`";
        if (run.AutoProfileReport() is { } auto) yield return auto;
        yield return $"seed {run.Settings.Seed}, run marker {run.Identity.Marker}";
        if (!run.Filter.IsNone)
            yield return $"filter {run.Filter}: {run.FilterCount.Selected} of {run.FilterCount.All} checks run; phases left out: " +
                         string.Join(", ", run.Probes.Where(p => !run.Needed(p)).Select(p => p.Name).DefaultIfEmpty("none")) + $"; {run.RequestsSent:N0} request(s) sent";
        // A phase the filter left out took no time: it is named above, not timed.
        yield return "probe times: " + string.Join(", ", run.ProbeTimes.Where(p => run.Probes.Any(probe => probe.Name == p.Key && run.Needed(probe)))
            .OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value.TotalSeconds:0.0} s"));
    }

    /// <summary>One line of progress for a person watching: probes finished, checks failing so far, time.</summary>
    public string Progress(TimeSpan elapsed)
    {
        var all = Run.Findings.All;
        var failing = all.Where(r => r.Outcome is Findings.Outcome.Fail).Select(r => r.Check.Id).ToList();
        var judged = all.Sum(r => (long)r.Passes + r.ViolationCount);
        return Run.Redactor.Redact(
            $"sipconf: {elapsed:mm\\:ss} probes {Run.ProbeTimes.Count}/{Run.Probes.Count} done, {judged:N0} verdicts, " +
            (failing.Count == 0 ? "no check failing so far" : $"{failing.Count} failing so far ({string.Join(", ", failing.Take(4))}{(failing.Count > 4 ? ", ..." : "")})"));
    }

    private void Say(string line) => _say(Run.Redactor.Redact(line));

    public async ValueTask DisposeAsync()
    {
        await Run.DisposeAsync().ConfigureAwait(false);
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>What closing a run gave: the verdict, the cleanup, the files written.</summary>
public sealed record HostClose(bool Failed, string Verdict, CleanupReport? Cleanup, IReadOnlyList<string> Reports);
