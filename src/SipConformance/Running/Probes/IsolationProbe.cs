using SipConformance.Rules;

namespace SipConformance.Running.Probes;

/// <summary>With a second project: it reads and then tries to delete the first project's endpoint; the first project reads it afterwards.</summary>
public sealed class IsolationProbe : Probe
{
    public override string Name => "isolation";

    /// <summary>An endpoint of the first project read and deleted by the second: the isolation rules, and the 200 rules of its create.</summary>
    public override bool Feeds(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Feeding.Creates(rule) || rule.Section == Isolation.Section;
    }

    public override bool OneOff => true;

    /// <summary>With a second project: the first project's endpoint (create, read-back), the second's read and delete, the first's read, the cleanup's delete.</summary>
    public override long PlannedRequests(SuiteRun run, Configuration.Profile profile, Configuration.Shard shard) =>
        run.Target.Second is null ? 0 : 2 + 3 + 1;

    public override async Task RunAsync(SuiteRun run, CancellationToken ct)
    {
        if (run.Target.Second is not { } second) return;
        var first = run.Target.Primary;
        var created = await run.ExecuteAsync(run.ValidCase("isolation", 0).Named("an endpoint of the first project").Build(Success.Status), ct, keep: true).ConfigureAwait(false);
        if (created.CreatedId is not { } id)
        {
            var reason = $"the first project could not create an endpoint ({Target.SipApi.Describe(created.Create)})";
            run.Findings.Skip(Isolation.Read, reason);
            run.Findings.Skip(Isolation.Delete, reason);
            return;
        }
        var read = await run.Api.GetAsync(second.Auth, id, ct).ConfigureAwait(false);
        var delete = await run.Api.DeleteAsync(second, id, second.Auth, ct).ConfigureAwait(false);
        var after = await run.Api.GetAsync(first.Auth, id, ct).ConfigureAwait(false);
        run.Evaluator.Isolation(id, read, delete, after);
        if (run.Settings.Cleanup && Isolation.StillThere(after))
            run.Evaluator.Delete(await run.Api.DeleteAsync(first, id, ct: ct).ConfigureAwait(false), "isolation cleanup");
    }
}
