using SipConformance.Checks;
using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.Target;

namespace SipConformance.Running.Probes;

/// <summary>One violation at a time, for every field and every kind of violation; the answer table says what is allowed.</summary>
public sealed class NegativeProbe : Probe
{
    public override string Name => "negative";


    public override async Task RunAsync(SuiteRun run, CancellationToken ct)
    {
        if (!run.ResourceAvailable)
            foreach (var c in new[] { CallHandler.ResourceIdMissing, CallHandler.ResourceIdNull, CallHandler.ResourceIdMalformed, CallHandler.UnknownResource })
                run.Findings.Skip(c, $"no resource usable as call handler is known: set {Configuration.SettingsLoader.ResourceId}");

        var cases = Cases(run).ToList();
        var results = await run.ExecuteAllAsync(cases, ct).ConfigureAwait(false);
        await run.CheckRejectedCreatedNothingAsync(Validation.RejectedCreatesNothing, results, run.Target.Primary, ct).ConfigureAwait(false);
    }

    public static IEnumerable<CreateCase> Cases(SuiteRun run)
    {
        var unknownResource = run.Identity.Uuid("unknown-resource", 0).ToString();
        var mutations = Mutations.All(run.Contract,
            (handler, i) => run.Payloads.Valid("negative", i, run.RandomChoice("negative", i, handler)),
            run.ResourceAvailable, unknownResource);
        foreach (var m in mutations)
        {
            var expect = run.Answers.For(m);
            yield return new CreateCase($"{m.Field}: {m.Detail}", $"negative: {m.Kind}, seed {run.Settings.Seed}", null,
                SipApi.Serialize(m.Payload), SipApi.JsonContentType, m.Payload, run.Target.Primary.Auth, run.Target.Primary, expect);
        }
    }
}
