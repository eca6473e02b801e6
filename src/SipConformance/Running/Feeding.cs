using SipConformance.Rules;
using SipConformance.Rules.Observations;

namespace SipConformance.Running;

/// <summary>
/// Which rules the answers a phase draws can reach, for <see cref="Probe.Feeds"/> (a run filtered by
/// --filter leaves out the phases that feed none of its checks). Besides the rules a phase sends cases
/// for, some rules judge every answer of a kind, whichever phase drew it; a phase that draws that kind
/// feeds them. Conservative on purpose: a rule a phase may reach is listed, even if it rarely does. The one
/// assumption: a rule over every answer of a status (401, 422) is fed by the phases whose cases that status is an
/// answer for; a target that answers a valid create with 401 breaks that case's own rule, and the 401 rules then
/// judge it in an unfiltered run only. PhaseFeedsTests and FilteredVerdictTests hold these declarations to what runs do.
/// </summary>
public static class Feeding
{
    /// <summary>
    /// Rules over every answer (CREATE-HTTP, no 5xx) or over any observation: every phase that sends feeds them. A rule
    /// judged outside the evaluator (the pact's, by the Pact verifier) is fed by the phase that runs that tool only.
    /// </summary>
    public static bool EveryAnswer(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule is not VerifiedRule && (rule.Observes == typeof(AnswerSeen) || rule.Observes == typeof(Observation));
    }

    /// <summary>Rules over every 200 (its body, its echo, its read-back) and over every DELETE of what was created: every phase that creates feeds them.</summary>
    public static bool Accepted(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Section == Success.Section || rule.Section == Echo.Section || rule == ReadBack.SameData || rule == Deleting.Answer;
    }

    /// <summary>Rules over every 422 body: every phase whose cases may be refused with 422 feeds them.</summary>
    public static bool Refused(Rule rule) => rule == Validation.ErrorBody || rule == Validation.Attribute;

    /// <summary>Rules over every 401 to a create: the phases that send credentials the target must refuse feed them.</summary>
    public static bool Unauthorized(Rule rule) => rule == Authentication.Challenge || rule == Authentication.Body;

    /// <summary>Rules over every list read: the phases that read a project's list feed them.</summary>
    public static bool Lists(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Section == Listing.Section;
    }

    /// <summary>The rules that own one-violation mutations (a phase sending mutated payloads feeds them).</summary>
    public static bool OwnsMutations(Rule rule) => rule is CaseRule { HasMutations: true };

    /// <summary>What every phase that creates endpoints feeds: every answer, every 200, every 422.</summary>
    public static bool Creates(Rule rule) => EveryAnswer(rule) || Accepted(rule) || Refused(rule);
}
