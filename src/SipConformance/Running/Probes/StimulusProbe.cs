using SipConformance.Rules;

namespace SipConformance.Running.Probes;

/// <summary>
/// Sends the stimuli the rules of some sections bring (credentials, texts, bodies, media types),
/// each applied to a fresh valid payload; then, where a rule says so, checks that the rejected
/// ones created nothing.
/// </summary>
public sealed class StimulusProbe(string name, Section[] sections, Rule? rejectedCreateNothing = null) : Probe
{
    public override string Name => name;

    /// <summary>
    /// Its sections' rules (and the rejected-creates rule with the list read it makes); the 200 and 422 rules
    /// (a stimulus may be taken or refused); the 401 rules when it sends credentials.
    /// </summary>
    public override bool Feeds(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Feeding.Creates(rule) || sections.Contains(rule.Section)
            || (sections.Contains(Authentication.Section) && Feeding.Unauthorized(rule))
            || (rejectedCreateNothing is not null && (rule == rejectedCreateNothing || Feeding.Lists(rule)));
    }

    /// <summary>The sections whose rules' stimuli this probe sends.</summary>
    public IReadOnlyList<Section> Sections => sections;

    /// <summary>Its stimulus cases in the shard, and (with a rejected-creates rule) one list read.</summary>
    public override long PlannedRequests(SuiteRun run, Configuration.Profile profile, Configuration.Shard shard) =>
        run.StimulusCases(name, shard, sections).Sum(Cost) + (rejectedCreateNothing is null ? 0 : 1);

    public override async Task RunAsync(SuiteRun run, CancellationToken ct)
    {
        var results = await run.ExecuteAllAsync(run.StimulusCases(name, sections), ct).ConfigureAwait(false);
        if (rejectedCreateNothing is not null)
            await run.CheckRejectedCreatedNothingAsync(rejectedCreateNothing, results.Where(r => sections.Contains(r.Case.Rule.Section)).ToList(), run.Target.Primary, ct).ConfigureAwait(false);
    }
}
