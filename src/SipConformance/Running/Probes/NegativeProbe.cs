using SipConformance.Cases;
using SipConformance.Generation;
using SipConformance.Rules;

namespace SipConformance.Running.Probes;

/// <summary>One violation at a time, for every field and every kind of violation; each mutation goes to the rule that owns it.</summary>
public sealed class NegativeProbe : Probe
{
    public override string Name => "negative";

    /// <summary>Every mutation to the rule that owns it (an "either" rule's may be taken: the 200 rules), then the list that must not hold them.</summary>
    public override bool Feeds(Rule rule) =>
        Feeding.Creates(rule) || Feeding.OwnsMutations(rule) || rule == Validation.RejectedCreatesNothing || Feeding.Lists(rule);

    /// <summary>Its mutations in the shard, and the list read that checks the rejected ones created nothing.</summary>
    public override long PlannedRequests(SuiteRun run, Configuration.Profile profile, Configuration.Shard shard) => Cases(run, shard).Sum(Cost) + 1;

    public override async Task RunAsync(SuiteRun run, CancellationToken ct)
    {
        var results = await run.ExecuteAllAsync(Cases(run), ct).ConfigureAwait(false);
        await run.CheckRejectedCreatedNothingAsync(Validation.RejectedCreatesNothing, results, run.Target.Primary, ct).ConfigureAwait(false);
    }

    public static IEnumerable<CreateCase> Cases(SuiteRun run) => Cases(run, run.Shard);

    /// <summary>The negative cases <paramref name="shard"/> sends: the mutations whose index in the whole list is the shard's.</summary>
    public static IEnumerable<CreateCase> Cases(SuiteRun run, Configuration.Shard shard) =>
        from x in Mutations.All(run.Contract, (handler, i) => run.Payloads.Valid("negative", i, run.Payloads.Choice("negative", i, handler)),
            run.ResourceAvailable, run.Identity.Uuid("unknown-resource", 0).ToString(), run.Target.Second?.ResourceId,
            run.Target.Second?.ProjectId).Select((m, i) => (m, i))
        where shard.Owns(x.i)
        select CaseBuilder.Of(run.Contract, run.Target.Primary, x.m).From($"negative: {x.m.Kind}, seed {run.Settings.Seed}").Build();
}
