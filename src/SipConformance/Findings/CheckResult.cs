using SipConformance.Rules;

namespace SipConformance.Findings;

/// <summary>
/// Everything a run learnt about one check: how often it held, where it broke (the first
/// violations kept with their evidence, all of them counted), or why it could not be judged.
/// Thread-safe: probes record into it concurrently.
/// </summary>
public sealed class CheckResult(Rule check, Target.Redactor? redactor = null)
{
    public const int KeptViolations = 20;
    private readonly Lock _gate = new();
    private readonly List<Violation> _violations = [];
    private readonly List<string> _skipReasons = [];
    private readonly List<string> _skipSettings = [];
    private int _passes;
    private int _violationCount;
    private int _requests;
    private string? _leftOut;

    public Rule Check => check;

    public int Passes { get { lock (_gate) return _passes; } }
    public int ViolationCount { get { lock (_gate) return _violationCount; } }
    public int Requests { get { lock (_gate) return _requests; } }
    public IReadOnlyList<Violation> Violations { get { lock (_gate) return _violations.ToList(); } }
    public IReadOnlyList<string> SkipReasons { get { lock (_gate) return _skipReasons.ToList(); } }

    /// <summary>The settings a skip reason names (what would let the check run).</summary>
    public IReadOnlyList<string> SkipSettings { get { lock (_gate) return _skipSettings.ToList(); } }

    /// <summary>
    /// The check is not judged in this run (left out by --filter): SKIPPED with <paramref name="reason"/> whatever
    /// the phases that still run observe, since a verdict drawn from another check's stimuli alone is no verdict of a full run.
    /// </summary>
    public void LeaveOut(string reason)
    {
        lock (_gate)
        {
            _leftOut = reason;
            _passes = _violationCount = _requests = 0;
            _violations.Clear();
            _skipReasons.Clear();
            _skipReasons.Add(reason);
            _skipSettings.Clear();
        }
    }

    /// <summary>True when the run left the check out (<see cref="LeaveOut"/>).</summary>
    public bool LeftOut { get { lock (_gate) return _leftOut is not null; } }

    public void Pass(int requests = 1)
    {
        lock (_gate)
        {
            if (_leftOut is not null) return;
            _passes++;
            _requests += requests;
        }
    }

    public void Violate(Violation v, int requests = 1) => Violate(() => v, requests);

    /// <summary>Records a violation; it is built (and redacted) only when it is among the ones kept.</summary>
    public void Violate(Func<Violation> violation, int requests = 1)
    {
        lock (_gate)
        {
            if (_leftOut is not null) return;
            _violationCount++;
            _requests += requests;
            if (_violations.Count >= KeptViolations) return;
        }
        var v = violation().Redacted(redactor ?? Target.Redactor.Nothing);
        lock (_gate)
            if (_violations.Count < KeptViolations) _violations.Add(v);
    }

    /// <summary>Adds what another result of the same check recorded (a verdict computed elsewhere, e.g. by the Pact verifier).</summary>
    public void Add(CheckResult other)
    {
        if (other.Check.Id != check.Id) throw new ArgumentException($"cannot add {other.Check.Id} to {check.Id}");
        var violations = other.Violations;
        var skips = other.SkipReasons;
        lock (_gate)
        {
            if (_leftOut is not null) return;
            _passes += other.Passes;
            _requests += other.Requests;
            _violationCount += other.ViolationCount;
            _violations.AddRange(violations.Take(KeptViolations - _violations.Count));
            foreach (var s in skips)
                if (!_skipReasons.Contains(s)) _skipReasons.Add(s);
            foreach (var s in other.SkipSettings)
                if (!_skipSettings.Contains(s)) _skipSettings.Add(s);
        }
    }

    /// <summary>Records why the check could not be judged, and the settings that would let it run.</summary>
    public void Skip(string reason, params string[] settings)
    {
        lock (_gate)
        {
            if (_leftOut is not null) return;
            if (!_skipReasons.Contains(reason)) _skipReasons.Add(reason);
            foreach (var s in settings)
                if (!_skipSettings.Contains(s)) _skipSettings.Add(s);
        }
    }

    /// <summary>FAIL or NON-STRICT when anything broke; PASS when it held at least once; otherwise SKIPPED.</summary>
    public Outcome Outcome
    {
        get
        {
            lock (_gate)
            {
                if (_violationCount > 0) return check.Level == Level.Should ? Outcome.NonStrict : Outcome.Fail;
                return _passes > 0 ? Outcome.Pass : Outcome.Skipped;
            }
        }
    }

    /// <summary>Whether this result fails the run (NON-STRICT only in strict mode).</summary>
    public bool FailsRun(bool strict) => Outcome == Outcome.Fail || (strict && Outcome == Outcome.NonStrict);

    public string SkipReason => SkipReasons.Count == 0 ? CheckEntry.NothingObserved : string.Join("; ", SkipReasons);

    /// <summary>A report a person can act on: the rule, then each violation with its evidence (as every report writes it).</summary>
    public string Explain() => CheckEntry.Of(this).Explain();
}
