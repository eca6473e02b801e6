using SipConformance.Findings;
using SipConformance.Rules.Observations;
using SipConformance.Target;

namespace SipConformance.Rules;

/// <summary>
/// Where a rule records what it concluded about one observation: it held, it broke (with the
/// problem; the case and evidence default to the observation's), or it could not be judged.
/// </summary>
public sealed class Verdicts(RunFindings findings, Observation observation)
{
    private readonly List<Rule> _broken = [];

    /// <summary>The rule being judged.</summary>
    public Rule Rule { get; internal set; } = null!;

    /// <summary>The rules that broke while judging the observation.</summary>
    public IReadOnlyList<Rule> Broken => _broken;

    /// <summary>null: the rule held; a message: it broke.</summary>
    public void Judge(string? problem)
    {
        if (problem is null) Holds();
        else Breaks(problem);
    }

    /// <summary>null: the rule held; a message: it broke, for this case, shown by these exchanges.</summary>
    public void Judge(string? problem, string caseName, params Exchange?[] shown)
    {
        if (problem is null) Holds();
        else Breaks(problem, caseName, shown);
    }

    public void Holds(int requests = 1) => findings.Pass(Rule, requests);

    /// <summary>The rule broke for the observation (its case, its exchanges as evidence).</summary>
    public void Breaks(string problem) => Record(() => observation.Violation(problem, observation.CaseName));

    /// <summary>The rule broke for one case of the observation, shown by these exchanges.</summary>
    public void Breaks(string problem, string caseName, params Exchange?[] shown) =>
        Record(() => new Violation(caseName, problem) { Exchanges = ExchangeRecord.Of(shown) });

    private void Record(Func<Violation> violation)
    {
        findings[Rule].Violate(violation);
        _broken.Add(Rule);
    }

    public void Skip(string reason) => findings.Skip(Rule, reason);
}
