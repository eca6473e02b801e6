using System.Text.Json;
using SipConformance.Cases;
using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.Rules.Observations;

namespace SipConformance.Rules;

/// <summary>
/// A rule that says how the target answers the create cases made for it: the statuses it allows
/// (for a case), an optional condition a 200 (and its read-back) must meet, and where its cases
/// come from: one-violation mutations it owns (<see cref="Owns"/>, made by
/// <see cref="Mutations"/>), stimuli of its own (<see cref="Stimuli"/>), or valid payloads.
/// </summary>
public sealed class CaseRule(
    string id, Level level, string title, string clause,
    Func<CreateCase, IReadOnlyList<int>> allows,
    Func<JsonElement, CreateCase, SipContract, string?>? condition = null,
    Func<Mutation, bool>? owns = null,
    Func<StimulusContext, IEnumerable<Stimulus>>? stimuli = null,
    Requirement needs = Requirement.None,
    string? source = null)
    : Rule(id, level, title, clause, needs)
{
    public CaseRule(string id, Level level, string title, string clause, IReadOnlyList<int> allows,
        Func<JsonElement, CreateCase, SipContract, string?>? condition = null, Func<Mutation, bool>? owns = null,
        Func<StimulusContext, IEnumerable<Stimulus>>? stimuli = null, Requirement needs = Requirement.None, string? source = null)
        : this(id, level, title, clause, _ => allows, condition, owns, stimuli, needs, source) { }

    public override Type Observes => typeof(CreateSeen);

    /// <summary>The statuses the rule allows for one of its cases (those the case's stimulus states, when it states them).</summary>
    public IReadOnlyList<int> Allows(CreateCase c) => c.Expected?.Statuses ?? allows(c);

    /// <summary>Whether a one-violation mutation is this rule's stimulus.</summary>
    public bool Owns(Mutation m) => owns?.Invoke(m) ?? false;

    public bool HasMutations => owns is not null;

    /// <summary>The rule's own inputs (none when its cases are mutations or valid payloads).</summary>
    public IEnumerable<Stimulus> Stimuli(StimulusContext context) => stimuli?.Invoke(context) ?? [];

    public bool HasStimuli => stimuli is not null;

    /// <summary>Where the rule's cases come from, when neither mutations nor stimuli of its own (for docs/RULES.md).</summary>
    public string? Source => source;

    public override string JudgedBy => "the answers it allows for each of its cases" + (condition is null ? "" : ", and a condition on a 200 and its read-back");

    public override void Judge(Observation observation, Verdicts verdicts)
    {
        switch (observation)
        {
            case CreateSeen o when o.Case.Rule == this:
                var allowed = Allows(o.Case);
                if (!allowed.Contains(o.Status))
                    verdicts.Breaks($"answered {JsonText.StatusText(o.Response)}; the contract allows {JsonText.Statuses(allowed)} ({Id}, {LevelName}) for: {o.Case.Name}");
                else if (o.SuccessBody is { } body && o.Case.Expected?.OnSuccess is { } own && own(body, o.Contract) is { } problem)
                    verdicts.Breaks($"{problem} ({Id}, {LevelName}) for: {o.Case.Name}");
                else if (condition is not null && o.SuccessBody is { } success && (o.Case.Expected is null || o.Case.Payload is not null))
                    verdicts.Judge(condition(success, o.Case, o.Contract));
                else verdicts.Holds();
                break;
            case ReadBackSeen r when r.Case.Rule == this && condition is not null && r.Body is { } read:
                verdicts.Judge(condition(read, r.Case, r.Contract) is { } p ? "stored: " + p : null);
                break;
        }
    }
}
