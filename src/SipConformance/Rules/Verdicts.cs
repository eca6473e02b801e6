using SipConformance.Findings;
using SipConformance.Rules.Observations;
using SipConformance.Target;

namespace SipConformance.Rules;

/// <summary>
/// Where a rule records what it concluded about one observation: it held, it broke (with the
/// problem; the case and evidence default to the observation's), or it could not be judged.
/// </summary>
public sealed class Verdicts(RunFindings findings, Redactor redactor, Observation observation)
{
    private readonly List<Rule> _broken = [];

    /// <summary>The rule being judged.</summary>
    public Rule Rule { get; internal set; } = null!;

    /// <summary>The run's redactor, for evidence a rule builds itself.</summary>
    public Redactor Redactor => redactor;

    /// <summary>The rules that broke while judging the observation.</summary>
    public IReadOnlyList<Rule> Broken => _broken;

    /// <summary>null: the rule held; a message: it broke.</summary>
    public void Judge(string? problem)
    {
        if (problem is null) Holds();
        else Breaks(problem);
    }

    /// <summary>null: the rule held; a message: it broke, for this case and evidence.</summary>
    public void Judge(string? problem, string caseName, Func<string?> evidence)
    {
        if (problem is null) Holds();
        else Breaks(problem, caseName, evidence);
    }

    public void Holds(int requests = 1) => findings.Pass(Rule, requests);

    public void Breaks(string problem) => Breaks(problem, observation.CaseName, () => observation.Evidence(redactor));

    public void Breaks(string problem, string caseName, Func<string?> evidence, int requests = 1)
    {
        findings[Rule].Violate(problem, caseName, evidence, requests);
        _broken.Add(Rule);
    }

    public void Skip(string reason) => findings.Skip(Rule, reason);
}
