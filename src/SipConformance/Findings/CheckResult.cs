using SipConformance.Rules;

namespace SipConformance.Findings;

/// <summary>The outcome of one check over a run.</summary>
public enum Outcome
{
    Pass,
    Fail,
    /// <summary>A SHOULD was broken: a warning, a failure only in strict mode.</summary>
    NonStrict,
    Skipped,
}

/// <summary>One broken rule: what was wrong, for which request case, and the redacted exchange(s) that show it.</summary>
public sealed record Violation(string Message, string Case, string? Evidence)
{
    public override string ToString() => $"{Case}: {Message}";
}

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
    private int _passes;
    private int _violationCount;
    private int _requests;

    public Rule Check => check;

    public int Passes { get { lock (_gate) return _passes; } }
    public int ViolationCount { get { lock (_gate) return _violationCount; } }
    public int Requests { get { lock (_gate) return _requests; } }
    public IReadOnlyList<Violation> Violations { get { lock (_gate) return _violations.ToList(); } }
    public IReadOnlyList<string> SkipReasons { get { lock (_gate) return _skipReasons.ToList(); } }

    public void Pass(int requests = 1)
    {
        lock (_gate) { _passes++; _requests += requests; }
    }

    public void Violate(Violation v, int requests = 1) => Violate(v.Message, v.Case, () => v.Evidence, requests);

    /// <summary>Records a violation; its evidence is built only when it is among the ones kept.</summary>
    public void Violate(string message, string caseName, Func<string?> evidence, int requests = 1)
    {
        lock (_gate)
        {
            _violationCount++;
            _requests += requests;
            if (_violations.Count >= KeptViolations) return;
        }
        var r = redactor ?? Target.Redactor.Nothing;
        var v = new Violation(r.Redact(message), r.Redact(caseName), evidence() is { } e ? r.Redact(e) : null);
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
            _passes += other.Passes;
            _requests += other.Requests;
            _violationCount += other.ViolationCount;
            _violations.AddRange(violations.Take(KeptViolations - _violations.Count));
            foreach (var s in skips)
                if (!_skipReasons.Contains(s)) _skipReasons.Add(s);
        }
    }

    public void Skip(string reason)
    {
        lock (_gate)
            if (!_skipReasons.Contains(reason)) _skipReasons.Add(reason);
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

    public string SkipReason => SkipReasons.Count == 0 ? "nothing the check applies to was observed in this run" : string.Join("; ", SkipReasons);

    /// <summary>A report a person can act on: the rule, then each violation with its evidence.</summary>
    public string Explain()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"{check.Id} [{check.Level.ToString().ToUpperInvariant()}] {check.Title}: {Label(Outcome)}");
        sb.AppendLine($"  contract: {check.Clause}");
        switch (Outcome)
        {
            case Outcome.Pass: sb.AppendLine($"  held {Passes} time(s) over {Requests} request(s)"); break;
            case Outcome.Skipped: sb.AppendLine($"  skipped: {SkipReason}"); break;
            default:
                sb.AppendLine($"  broken {ViolationCount} time(s) (held {Passes}); the first {Violations.Count}:");
                foreach (var v in Violations)
                {
                    sb.AppendLine($"  - {v.Case}: {v.Message}");
                    if (v.Evidence is not null)
                        foreach (var line in v.Evidence.Split('\n'))
                            sb.AppendLine("      " + line.TrimEnd('\r'));
                }
                break;
        }
        return sb.ToString();
    }

    public static string Label(Outcome o) => o switch
    {
        Outcome.Pass => "PASS",
        Outcome.Fail => "FAIL",
        Outcome.NonStrict => "NON-STRICT",
        _ => "SKIPPED",
    };
}
