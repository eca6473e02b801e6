using SipConformance.Cases;
using SipConformance.Configuration;
using SipConformance.Rules;

namespace SipConformance.Running;

/// <summary>
/// One phase of a run: it builds request cases, sends them through the run's API and hands what
/// came back to the evaluator. A phase declares what it needs before it (<see cref="After"/>),
/// whether it is a one-off sequence (run by shard 1 only: <see cref="OneOff"/>), and its plan:
/// the requests it sends in a shard (<see cref="PlannedRequests"/>), which SIPCONF_PROFILE=auto
/// predicts from. The run schedules phases (dependencies first, one-offs in shard 1, each once);
/// a new phase is one class, given to the run. A check may get verdicts from any phase (every 200
/// is held to the success checks, whichever phase caused it), so findings are presented after all ran.
/// </summary>
public abstract class Probe
{
    public abstract string Name { get; }

    /// <summary>A one-off sequence (lifecycle, isolation, the pact): the run runs it in shard 1 only.</summary>
    public virtual bool OneOff => false;

    /// <summary>
    /// Whether the phase sends cases the contract lets be a 200 (valid payloads, read back, listed):
    /// the learning phase runs before every such phase, and when it finds the target refuses the
    /// baseline payload itself (the generated caller id, SIPCONF_CALLER_ID unset), the run does not
    /// run them: every answer would be that one refusal, judged as a FAIL of checks it says nothing about.
    /// </summary>
    public virtual bool NeedsAccepted => true;

    /// <summary>The phases that must have finished before this one starts (by name; those the run lacks are ignored).</summary>
    public virtual IReadOnlyList<string> After => [];

    /// <summary>
    /// The requests this phase sends in <paramref name="shard"/> of <paramref name="run"/> with
    /// <paramref name="profile"/> against a target that answers as the contract allows (list reads
    /// counted as one page; shrinking re-sends, which only failures cause, not counted).
    /// </summary>
    public abstract long PlannedRequests(SuiteRun run, Profile profile, Shard shard);

    public abstract Task RunAsync(SuiteRun run, CancellationToken ct);

    /// <summary>
    /// Whether this phase can give <paramref name="rule"/> a verdict (its own cases' rules, and the rules over
    /// every answer of the kinds it draws: <see cref="Feeding"/>). A run filtered by --filter leaves out the
    /// phases that feed none of its checks. True unless a phase says otherwise: a phase that does not know runs.
    /// </summary>
    public virtual bool Feeds(Rule rule) => true;

    /// <summary>
    /// Runs <paramref name="parts"/> one after another, each only while <paramref name="stop"/> says no; with
    /// <paramref name="together"/> (a target that rate-limits, where each part would wait out its own 429s), all at once.
    /// A part sees the run's cancellation itself.
    /// </summary>
    protected static async Task InTurnOrTogetherAsync(bool together, IEnumerable<Func<Task>> parts, Func<bool>? stop = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (together)
        {
            await Task.WhenAll(parts.Select(part => Task.Run(part))).ConfigureAwait(false);
            return;
        }
        foreach (var part in parts)
        {
            if (stop?.Invoke() == true) return;
            await part().ConfigureAwait(false);
        }
    }

    /// <summary>Requests of a case the contract lets be answered 200 (create, read-back, delete); a case that must be refused costs its create.</summary>
    public const int AcceptedCaseRequests = 3;

    /// <summary>
    /// What one case is planned to cost. A case sent again in parts when refused (a text in every string field) is planned
    /// at the dearer of its two plain outcomes: taken whole (create, read-back, delete), or refused whole and then each part
    /// refused alone (a text past the target's length limit, say); a target that takes some parts and refuses others costs more.
    /// </summary>
    public static long Cost(CreateCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var whole = c.Allowed.Contains(Statuses.Ok) ? AcceptedCaseRequests : 1;
        return c.OnRefusal.Count == 0 ? whole : Math.Max(whole, 1 + c.OnRefusal.Count);
    }
}
