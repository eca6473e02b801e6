using SipConformance.Contract;
using SipConformance.Rules.Observations;

namespace SipConformance.Rules;

/// <summary>
/// One rule of the contract, as one unit: its stable ID (never reused for another rule), its
/// level, its section, a one-line title, the clause it enforces (quoted), what it needs of the
/// target, and its predicate over the observations it applies to. The evaluator hands every
/// observation to every rule; a rule that does not apply records nothing.
/// </summary>
public abstract class Rule(string id, Level level, string title, string clause, Requirement needs = Requirement.None)
{
    public string Id { get; } = id;
    public Level Level { get; } = level;
    public string Title { get; } = title;
    public string Clause { get; } = clause;
    public Requirement Needs { get; } = needs;

    /// <summary>The section that declares the rule (set once by <see cref="RuleBook"/>).</summary>
    public Section Section { get; internal set; } = null!;

    /// <summary>The kind of observation the rule judges.</summary>
    public abstract Type Observes { get; }

    /// <summary>Judges one observation, recording into <paramref name="verdicts"/> (nothing when the rule does not apply).</summary>
    public abstract void Judge(Observation observation, Verdicts verdicts);

    /// <summary>Where the rule is judged, when not by a predicate of its own (for docs/RULES.md).</summary>
    public virtual string JudgedBy => $"its predicate over every {Observation.Describe(Observes)}";

    public string LevelName => Level.ToString().ToUpperInvariant();

    private IReadOnlyList<string> _revisions = ContractRevisions.All;
    private readonly Dictionary<string, string> _revisionClauses = new(StringComparer.Ordinal);

    /// <summary>The contract revisions the rule applies to (every shipped revision unless it says otherwise).</summary>
    public IReadOnlyList<string> Revisions => _revisions;

    /// <summary>Whether the rule applies when the target is held to <paramref name="revision"/>; a rule that does not is SKIPPED with <see cref="NotInRevision"/>.</summary>
    public bool AppliesIn(string revision) => _revisions.Contains(revision);

    /// <summary>The reason a rule that does not apply in a revision is SKIPPED.</summary>
    public static string NotInRevision(string revision) => $"not in revision {revision}";

    /// <summary>The clause the rule enforces under a revision (the same as <see cref="Clause"/> unless that revision words it otherwise).</summary>
    public string ClauseIn(string revision) => _revisionClauses.TryGetValue(revision, out var c) ? c : Clause;

    /// <summary>Declares the revisions the rule applies to (once, where the rule is declared).</summary>
    internal void DeclareRevisions(IReadOnlyList<string> revisions)
    {
        foreach (var r in revisions)
            if (!ContractRevisions.All.Contains(r)) throw new ArgumentException($"{Id}: no contract revision '{r}'");
        _revisions = revisions;
    }

    /// <summary>Declares how a revision words the rule's clause (its expectation there).</summary>
    internal void DeclareClause(string revision, string clause) => _revisionClauses[revision] = clause;

    public override string ToString() => $"{Id} [{LevelName}] {Title}";
}

/// <summary>A rule over one kind of observation: applies to some, and for those names a problem (null: the rule held).</summary>
public class Rule<T>(string id, Level level, string title, string clause, Func<T, bool> applies, Func<T, string?> problem, Requirement needs = Requirement.None)
    : Rule(id, level, title, clause, needs) where T : Observation
{
    public override Type Observes => typeof(T);

    public override void Judge(Observation observation, Verdicts verdicts)
    {
        if (observation is T o && applies(o)) verdicts.Judge(problem(o));
    }
}

/// <summary>How a rule declares the revisions it applies to, where it is declared.</summary>
public static class RuleRevisions
{
    /// <summary>The rule applies only under these revisions (SKIPPED "not in revision ..." under the others).</summary>
    public static T Only<T>(this T rule, params string[] revisions) where T : Rule
    {
        rule.DeclareRevisions(revisions);
        return rule;
    }

    /// <summary>Under <paramref name="revision"/> the rule holds the target to this clause (its expectation changed there).</summary>
    public static T Under<T>(this T rule, string revision, string clause) where T : Rule
    {
        rule.DeclareClause(revision, clause);
        return rule;
    }
}
