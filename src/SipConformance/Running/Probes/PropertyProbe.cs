using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using SipConformance.Checks;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Generation;
using SipConformance.Target;

namespace SipConformance.Running.Probes;

/// <summary>
/// The choices behind one generated payload. Every field is a small number so CsCheck can shrink
/// it: fewer list values, the first enum value, the first locale, the plainest strings.
/// </summary>
public sealed record PayloadSample(int Encryption, int CallHandler, int CipherMask, int CodecMask, int Locale, int StringShape, int TextSeed, int Mutation)
{
    public override string ToString() =>
        $"encryption#{Encryption}, call_handler#{CallHandler}, ciphers mask {CipherMask}, codecs mask {CodecMask}, locale#{Locale}, string shape {StringShape}, text seed {TextSeed}, mutation#{Mutation}";
}

/// <summary>
/// Property-based payloads (CsCheck): whole valid payloads whose strings come from Bogus locales
/// seeded from CsCheck's own randomness, and the same with one violation. Samples are drawn
/// deterministically from SIPCONF_SEED; a failing one is shrunk by CsCheck and reported with its
/// seed and one command line that replays it.
/// </summary>
public sealed class PropertyProbe : Probe
{
    public override string Name => "properties";


    /// <summary>report: how a failure's message names the passing payload nearest to the shrunk one.</summary>
    public const string NearestPassingLabel = "nearest passing payload";

    /// <summary>The CsCheck seed (environment variable CsCheck_Seed) a property replays first.</summary>
    public const string SeedVariable = "CsCheck_Seed";

    public override async Task RunAsync(SuiteRun run, CancellationToken ct)
    {
        var sample0 = Build(run, Sample0);
        var mutationCount = Mutations.All(run.Contract, (h, i) => WithHandler(run, sample0, h), run.ResourceAvailable, UnknownResource(run)).Count();
        var gen = Generator(run, mutationCount);
        await CheckPropertyAsync(run, Properties.ValidAccepted, 1, gen, s => ValidCase(run, s), ct).ConfigureAwait(false);
        await CheckPropertyAsync(run, Properties.OneViolationAnswered, 2, gen, s => ViolationCase(run, s), ct).ConfigureAwait(false);
    }

    private static readonly PayloadSample Sample0 = new(0, 0, 1, 1, 0, 0, 0, 0);

    public static Gen<PayloadSample> Generator(SuiteRun run, int mutationCount)
    {
        var handlers = run.Contract.CallHandlers.Count(h => run.ResourceAvailable || h != CallHandlerValues.Resource);
        return Gen.Select(
            Gen.Int[0, run.Contract.Encryptions.Count - 1], Gen.Int[0, handlers - 1],
            Gen.Int[1, (1 << run.Contract.Ciphers.Count) - 1], Gen.Int[1, (1 << run.Contract.Codecs.Count) - 1],
            Gen.Int[0, PayloadFactory.Locales.Count - 1], Gen.Int[0, 3], Gen.Int[0, 100_000], Gen.Int[0, Math.Max(0, mutationCount - 1)],
            (e, h, c, d, l, s, t, m) => new PayloadSample(e, h, c, d, l, s, t, m));
    }

    /// <summary>The payload a sample stands for (call_handler overridable, for mutations that need one).</summary>
    public static JsonObject Build(SuiteRun run, PayloadSample s, string? handlerOverride = null)
    {
        var c = run.Contract;
        var handlers = c.CallHandlers.Where(h => run.ResourceAvailable || h != CallHandlerValues.Resource).ToList();
        var choice = new EnumChoice(c.Encryptions[s.Encryption], handlerOverride ?? handlers[s.CallHandler],
            c.Ciphers.Where((_, i) => (s.CipherMask >> i & 1) == 1).ToList(),
            c.Codecs.Where((_, i) => (s.CodecMask >> i & 1) == 1).ToList());
        // Plain values first, from an "en" Faker; then the locale's (one Faker per locale and thread).
        var ascii = run.Payloads.Faker("property-ascii", s.TextSeed);
        var username = run.Payloads.Username(ascii);
        var callerId = PayloadFactory.CallerId(ascii);
        var sendAs = ascii.Name.FirstName();
        var f = run.Payloads.Faker("property-text", s.TextSeed, PayloadFactory.Locales[s.Locale]);
        switch (s.StringShape)
        {
            case 1: sendAs = f.Name.FullName(); break;
            case 2: sendAs = f.Name.FullName(); callerId = f.Company.CompanyName(); break;
            case 3: sendAs = f.Name.FullName(); username = run.Identity.UsernamePrefix + f.Name.FirstName(); break;
        }
        return run.Payloads.Build(run.Identity.Uuid("property", s.TextSeed * 131L + s.Mutation).ToString(), username, callerId, sendAs, choice);
    }

    /// <summary>A copy of the payload, with the call_handler (and so calling_handler_resource_id) set when asked.</summary>
    private static JsonObject WithHandler(SuiteRun run, JsonObject payload, string? handler)
    {
        var copy = (JsonObject)payload.DeepClone();
        if (handler is not null)
        {
            copy[FieldNames.CallHandler] = handler;
            copy[FieldNames.CallingHandlerResourceId] = handler == CallHandlerValues.Resource ? run.Target.ResourceId : null;
        }
        return copy;
    }

    private static CreateCase ValidCase(SuiteRun run, PayloadSample s)
    {
        var payload = Build(run, s);
        var plain = new[] { FieldNames.Username, FieldNames.CallerId, FieldNames.SendAs }
            .All(f => payload[f]!.GetValue<string>().All(ch => ch is >= ' ' and <= '~'));
        // Plain ASCII must be accepted; other Unicode text may be rejected with 422 (the string rule), never mangled.
        var expect = plain ? run.Answers.Accepted(payload) : new Expectation(Success.Status, [200, 422], EchoExpectation.From(run.Contract, payload));
        return Case(run, payload, expect, $"a generated valid payload ({s})");
    }

    private static CreateCase ViolationCase(SuiteRun run, PayloadSample s)
    {
        var basePayload = Build(run, s);
        var m = Mutations.All(run.Contract, (h, _) => WithHandler(run, basePayload, h), run.ResourceAvailable, UnknownResource(run)).ElementAt(s.Mutation);
        return Case(run, m.Payload, run.Answers.For(m), $"a generated payload with one violation, {m} ({s})");
    }

    private static CreateCase Case(SuiteRun run, JsonObject payload, Expectation expect, string name) =>
        new(name, $"property-based, seed {run.Settings.Seed}", null, SipApi.Serialize(payload), SipApi.JsonContentType, payload,
            run.Target.Primary.Auth, run.Target.Primary, expect);

    private static string UnknownResource(SuiteRun run) => run.Identity.Uuid("unknown-resource", 1).ToString();

    private static async Task CheckPropertyAsync(SuiteRun run, CheckInfo property, uint stream, Gen<PayloadSample> gen, Func<PayloadSample, CreateCase> caseFor, CancellationToken ct)
    {
        var unanswered = false;
        var nearest = new NearestPassing(); // report: the passing payloads seen, for the HTML report
        async Task<bool> Holds(PayloadSample s)
        {
            var scratch = new RunFindings();
            await run.ExecuteAsync(caseFor(s), ct, into: scratch).ConfigureAwait(false);
            unanswered |= scratch[Transport.CompleteAnswer].Outcome == Outcome.Fail;
            // The properties are MUST-level: a broken SHOULD shows in its own check, not here.
            var holds = !scratch.All.Any(r => r.Outcome == Outcome.Fail);
            if (holds) nearest.Passed(caseFor(s).Payload); // report
            return holds;
        }

        var seeds = new List<string>();
        if (Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } forced) seeds.Add(forced);
        for (var i = 0; i < run.Settings.PropertyIterations; i++)
            seeds.Add(new PCG(stream, (ulong)run.Identity.StreamSeed(property.Id, i)).ToString());

        foreach (var seed in seeds)
        {
            if (ct.IsCancellationRequested || run.Api.Client.CircuitOpen) return;
            var sample = gen.Generate(PCG.Parse(seed), null, out _);
            if (await Holds(sample).ConfigureAwait(false)) { run.Findings.Pass(property); continue; }

            // Shrink: CsCheck starts from the failing seed and searches for smaller failing samples
            // (not when the target did not answer: every attempt would wait out a timeout).
            var minimalSeed = seed;
            if (!unanswered) try
            {
                await gen.SampleAsync(Holds, seed: seed, iter: 60, threads: 1, print: s => s.ToString()).ConfigureAwait(false);
            }
            catch (CsCheckException e) when (Regex.Match(e.Message, "Set seed: \"([^\"]+)\"") is { Success: true } m)
            {
                minimalSeed = m.Groups[1].Value;
            }
            var minimal = gen.Generate(PCG.Parse(minimalSeed), null, out _);
            // Judged on the side: the property's row reports it (the shrunk sample varies with CsCheck's search).
            var result = await run.ExecuteAsync(caseFor(minimal), ct, into: new RunFindings()).ConfigureAwait(false);
            var payload = result.Case.Payload?.ToJsonString(SipApi.PayloadJson) ?? "(raw body)";
            run.Findings.Violate(property, new Violation(
                $"broke {string.Join(", ", result.Broken.Select(b => b.Id).Distinct())} for the shrunk payload {run.Redactor.Redact(payload)}; " +
                (nearest.To(result.Case.Payload) is { } pass ? $"{NearestPassingLabel} {run.Redactor.Redact(pass.ToJsonString(SipApi.PayloadJson))}; " : "") + // report
                $"CsCheck seed {minimalSeed} (first failing seed {seed}); replay: {Replay(run, property, minimalSeed)}",
                result.Case.Describe(), Evidence.Format(run.Redactor, result.Create, result.ReadBack)));
            return;
        }
    }

    /// <summary>One command line that replays a property's sample against the same target.</summary>
    public static string Replay(SuiteRun run, CheckInfo property, string csSeed) =>
        $"{SeedVariable}={csSeed} SIPCONF_SEED={run.Settings.Seed} SIPCONF_RUN_MARKER={run.Identity.Marker} SIPCONF_PROPERTY_ITERATIONS=1 " +
        $"dotnet test tests/SipConformance.Conformance --filter \"Name~{property.Id}\"";
}
