using SipConformance.Rules;

namespace SipConformance.Findings;

/// <summary>The results of every check of the catalogue for one run (thread-safe).</summary>
public sealed class RunFindings
{
    private readonly Dictionary<string, CheckResult> _results;

    /// <param name="redactor">Applied to every violation's message, case and evidence as it is recorded.</param>
    public RunFindings(IEnumerable<Rule>? catalogue = null, Target.Redactor? redactor = null) =>
        _results = (catalogue ?? RuleBook.All).ToDictionary(c => c.Id, c => new CheckResult(c, redactor));

    public CheckResult this[Rule check] => _results[check.Id];
    public CheckResult this[string id] => _results[id];

    public IReadOnlyList<CheckResult> All => _results.Values.OrderBy(r => r.Check.Id, StringComparer.Ordinal).ToList();

    public void Pass(Rule check, int requests = 1) => this[check].Pass(requests);
    public void Violate(Rule check, Violation violation, int requests = 1) => this[check].Violate(violation, requests);
    public void Skip(Rule check, string reason, params string[] settings) => this[check].Skip(reason, settings);

    /// <summary>Adds what <paramref name="other"/> recorded (verdicts judged apart, kept once they are known to tell something).</summary>
    public void Add(RunFindings other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var r in other.All)
            if (r.Requests > 0 || r.Passes > 0 || r.ViolationCount > 0 || r.SkipReasons.Count > 0) this[r.Check].Add(r);
    }

    public bool FailsRun(bool strict) => _results.Values.Any(r => r.FailsRun(strict));
}
