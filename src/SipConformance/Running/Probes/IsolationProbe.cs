using SipConformance.Checks;
using SipConformance.Configuration;
using SipConformance.Findings;

namespace SipConformance.Running.Probes;

/// <summary>With a second project: it can neither read nor delete the first project's endpoint.</summary>
public sealed class IsolationProbe : Probe
{
    public override string Name => "isolation";


    public override async Task RunAsync(SuiteRun run, CancellationToken ct)
    {
        if (run.Target.Second is not { } second)
        {
            var reason = $"no second project configured: set {SettingsLoader.SecondProjectId} and {SettingsLoader.SecondApiToken}";
            run.Findings.Skip(Authentication.IsolationRead, reason);
            run.Findings.Skip(Authentication.IsolationDelete, reason);
            return;
        }
        var first = run.Target.Primary;
        var created = await run.ExecuteAsync(run.ValidCase("isolation", 0, "an endpoint of the first project", "isolation"), ct, keep: true).ConfigureAwait(false);
        if (created.CreatedId is not { } id)
        {
            var reason = $"the first project could not create an endpoint ({Target.SipApi.Describe(created.Create)})";
            run.Findings.Skip(Authentication.IsolationRead, reason);
            run.Findings.Skip(Authentication.IsolationDelete, reason);
            return;
        }
        var name = $"the second project acting on the first project's endpoint {id}";

        var read = await run.Api.GetAsync(second.Auth, id, ct).ConfigureAwait(false);
        if (run.Evaluator.Answered(read, name))
            run.Findings.Judge(Authentication.IsolationRead, read.Status == 404 ? null : $"GET by the second project answered {read.Status}, expected 404",
                name, () => Evidence.Format(run.Redactor, read));

        var delete = await run.Api.DeleteAsync(second, id, second.Auth, ct).ConfigureAwait(false);
        var after = await run.Api.GetAsync(first.Auth, id, ct).ConfigureAwait(false);
        if (run.Evaluator.Answered(delete, name) && run.Evaluator.Answered(after, name + " (afterwards, by its own project)"))
        {
            var problem = delete.Status != 404 ? $"DELETE by the second project answered {delete.Status}, expected 404"
                : after.Status != 200 ? $"after the second project's DELETE, the first project's GET answered {after.Status}: the endpoint is gone or unreadable"
                : null;
            run.Findings.Judge(Authentication.IsolationDelete, problem, name, () => Evidence.Format(run.Redactor, delete, after));
        }
        if (run.Settings.Cleanup && after.Status == 200)
            run.Evaluator.Delete(await run.Api.DeleteAsync(first, id, ct: ct).ConfigureAwait(false), "isolation cleanup");
    }
}
