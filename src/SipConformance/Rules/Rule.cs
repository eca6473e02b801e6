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
