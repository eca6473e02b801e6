using SipConformance.Rules;
using SipConformance.Rules.Observations;
using SipConformance.Target;

namespace SipConformance.Running.Probes;

/// <summary>
/// The stateful sequences: create then delete then read, list and delete again; GET and DELETE of
/// an id no endpoint has; a second create with a username that exists; and, with a second project,
/// an endpoint of that project looked for in the first project's list.
/// </summary>
public sealed class LifecycleProbe : Probe
{
    public override string Name => "lifecycle";

    /// <summary>Delete, read, list and delete again, unknown ids, a taken username, the second project's endpoint in the list.</summary>
    public override bool Feeds(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Feeding.Creates(rule) || rule.Section == Deleting.Section || rule.Section == ReadBack.Section || Feeding.Lists(rule)
            || rule == Validation.DuplicateUsername;
    }

    public override bool OneOff => true;

    /// <summary>Create (read back), delete, read, list, delete again: 6; the unknown id: 2; the duplicate username: 2 creates (each read back and deleted): 6; with a second project, its endpoint (3) and the first project's list: 4.</summary>
    public override long PlannedRequests(SuiteRun run, Configuration.Profile profile, Configuration.Shard shard) =>
        6 + 2 + 2 * AcceptedCaseRequests + (run.Target.Second is null ? 0 : AcceptedCaseRequests + 1);

    public override async Task RunAsync(SuiteRun run, CancellationToken ct)
    {
        var primary = run.Target.Primary;

        // Create, delete, then read, list and delete again.
        var created = await run.ExecuteAsync(run.ValidCase(Name, 0).Named("an endpoint to delete").Build(Success.Status), ct, keep: true).ConfigureAwait(false);
        if (created.CreatedId is { } id)
        {
            var delete = await run.Api.DeleteAsync(primary, id, ct: ct).ConfigureAwait(false);
            var read = await run.Api.GetAsync(primary.Auth, id, ct).ConfigureAwait(false);
            var list = await run.Api.ListAllAsync(primary.Auth, ct).ConfigureAwait(false);
            var again = await run.Api.DeleteAsync(primary, id, ct: ct).ConfigureAwait(false);
            run.Evaluator.Delete(delete, $"DELETE of {id}");
            run.Evaluator.Lifecycle(new LifecycleSeen(id, primary, delete, read, list, again));
        }
        else SkipAll(run, $"the project could not create an endpoint ({SipApi.Describe(created.Create)})", Deleting.ReadGone, Deleting.ListGone);

        // An id no endpoint has.
        var unknown = run.Identity.Uuid("unknown-endpoint", 0).ToString();
        var get = await run.Api.GetAsync(primary.Auth, unknown, ct).ConfigureAwait(false);
        var del = await run.Api.DeleteAsync(primary, unknown, ct: ct).ConfigureAwait(false);
        run.Evaluator.UnknownId(new UnknownIdSeen(unknown, get, del));

        // A second create with a username the project holds.
        var first = await run.ExecuteAsync(run.ValidCase(Name, 1).Named("an endpoint whose username is taken next").Build(Success.Status), ct, keep: true).ConfigureAwait(false);
        if (first.CreatedId is not null && first.Case.Username is { } username)
            await run.ExecuteAsync(run.ValidCase(Name, 2).Named($"a second create with the username {username}, which the project holds")
                .Change(p => p[Contract.FieldNames.Username] = username).Build(Validation.DuplicateUsername), ct).ConfigureAwait(false);
        else SkipAll(run, $"the project could not create an endpoint ({SipApi.Describe(first.Create)})", Validation.DuplicateUsername);
        if (first.CreatedId is { } firstId && run.Settings.Cleanup)
            run.Evaluator.Delete(await run.Api.DeleteAsync(primary, firstId, ct: ct).ConfigureAwait(false), "lifecycle cleanup");

        // Another project's endpoint is not in this project's list.
        if (run.Target.Second is { } second)
        {
            var theirs = await run.ExecuteAsync(run.ValidCase(Name, 3, run.Contract.CallHandlers.First(h => h != Contract.CallHandlerValues.Resource)).For(second).Named("an endpoint of the second project").Build(Success.Status), ct, keep: true).ConfigureAwait(false);
            if (theirs.CreatedId is { } foreign)
            {
                var list = await run.Api.ListAllAsync(primary.Auth, ct).ConfigureAwait(false);
                run.Evaluator.List(list, $"the {primary.Label} project's list, with {foreign} in the {second.Label} project", primary, [foreign]);
                if (run.Settings.Cleanup)
                    run.Evaluator.Delete(await run.Api.DeleteAsync(second, foreign, ct: ct).ConfigureAwait(false), "lifecycle cleanup");
            }
        }
    }

    private static void SkipAll(SuiteRun run, string reason, params Rule[] rules)
    {
        foreach (var rule in rules) run.Findings.Skip(rule, reason);
    }
}
