using SipConformance.Contract;
using SipConformance.Target;

namespace SipConformance.Rules.Observations;

/// <summary>
/// Something the run saw: one or more exchanges and what they were for. Rules are pure functions
/// of observations; an observation never talks HTTP.
/// </summary>
public abstract class Observation(string caseName)
{
    /// <summary>How the case names itself in a finding.</summary>
    public string CaseName { get; } = caseName;

    /// <summary>The contract the run holds the target to (set by the evaluator).</summary>
    public SipContract Contract { get; internal set; } = null!;

    /// <summary>The exchanges that show the observation (nulls: not sent).</summary>
    protected abstract IReadOnlyList<Exchange?> Shown { get; }

    /// <summary>What a rule's problem with this observation is recorded as: the case, the problem, the exchanges that show it (redacted as it is recorded).</summary>
    public virtual Findings.Violation Violation(string problem, string caseName) =>
        new(caseName, problem) { Exchanges = Findings.ExchangeRecord.Of([.. Shown]) };

    /// <summary>"create answer", "read-back"... (for docs/RULES.md).</summary>
    public static string Describe(Type observation) => observation.Name switch
    {
        nameof(AnswerSeen) => "answer to any request",
        nameof(CreateSeen) => "complete answer to a create",
        nameof(ReadBackSeen) => "read-back of a created endpoint",
        nameof(DeleteSeen) => "complete answer to a DELETE",
        nameof(ListSeen) => "list of a project (every page)",
        nameof(RejectionsSeen) => "project list read after rejected creates",
        nameof(IsolationSeen) => "second project acting on the first project's endpoint",
        nameof(PropertySeen) => "generated sample of a property",
        nameof(LifecycleSeen) => "endpoint deleted, then read, listed and deleted again",
        nameof(UnknownIdSeen) => "GET and DELETE of an id no endpoint has",
        _ => observation.Name,
    };
}
