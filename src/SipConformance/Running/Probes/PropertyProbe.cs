using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using SipConformance.Cases;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Generation;
using SipConformance.Rules;
using SipConformance.Rules.Observations;
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

    /// <summary>Generated valid payloads and one-violation payloads (judged by the rule that owns the violation too).</summary>
    public override bool Feeds(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Feeding.Creates(rule) || Feeding.OwnsMutations(rule) || rule.Section == Properties.Section;
    }

    /// <summary>Each property's samples in the shard: a valid one is created, read back and deleted; one with a violation is refused.</summary>
    public override long PlannedRequests(SuiteRun run, Configuration.Profile profile, Configuration.Shard shard) =>
        Streams.Sum(s => Seeds(run, s.Property, s.Stream, shard).Count * (s.Property == Properties.ValidAccepted ? (long)AcceptedCaseRequests : 1));

    /// <summary>The CsCheck seed (environment variable CsCheck_Seed) a property replays first.</summary>
    public const string SeedVariable = "CsCheck_Seed";

    public override async Task RunAsync(SuiteRun run, CancellationToken ct)
    {
        var sample0 = Build(run, Sample0);
        var mutationCount = Mutations.All(run.Contract, (h, _) => WithHandler(run, sample0, h), run.ResourceAvailable, UnknownResource(run)).Count();
        var gen = Generator(run, mutationCount);
        // The two properties draw from streams of their own and judge into findings of their own: they go out together.
        await Task.WhenAll(
            CheckPropertyAsync(run, Properties.ValidAccepted, 1, gen, s => ValidCase(run, s), ct),
            CheckPropertyAsync(run, Properties.OneViolationAnswered, 2, gen, s => ViolationCase(run, s), ct)).ConfigureAwait(false);
    }

    private static readonly PayloadSample Sample0 = new(0, 0, 1, 1, 0, 0, 0, 0);

    public static Gen<PayloadSample> Generator(SuiteRun run, int mutationCount)
    {
        var handlers = run.Payloads.CallHandlers.Count;
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
        var choice = new EnumChoice(c.Encryptions[s.Encryption], handlerOverride ?? run.Payloads.CallHandlers[s.CallHandler],
            c.Ciphers.Where((_, i) => (s.CipherMask >> i & 1) == 1).ToList(),
            c.Codecs.Where((_, i) => (s.CodecMask >> i & 1) == 1).ToList());
        // Plain values first, from an "en" Faker; then the locale's (one Faker per locale and thread).
        var ascii = run.Payloads.Faker("property-ascii", s.TextSeed);
        var username = run.Payloads.Username(ascii);
        // Shape 0 keeps to the baseline every server must take (the configured caller id, when there is one); the other
        // shapes send locale text, which a server may refuse with 422.
        var callerId = run.Payloads.ConfiguredCallerId ?? PayloadFactory.CallerId(ascii);
        var sendAs = PayloadFactory.SendAs(ascii);
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

    // Plain ASCII must be accepted; other Unicode text may be refused with 422 (CREATE-OK-001 says which), never mangled.
    private static CreateCase ValidCase(SuiteRun run, PayloadSample s) =>
        CaseBuilder.Of(run.Contract, run.Target.Primary, Build(run, s)).Named($"a generated valid payload ({s})").From(Origin(run)).Build(Success.Status);

    private static CreateCase ViolationCase(SuiteRun run, PayloadSample s)
    {
        var basePayload = Build(run, s);
        var m = Mutations.All(run.Contract, (h, _) => WithHandler(run, basePayload, h), run.ResourceAvailable, UnknownResource(run)).ElementAt(s.Mutation);
        return CaseBuilder.Of(run.Contract, run.Target.Primary, m).Named($"a generated payload with one violation, {m} ({s})").From(Origin(run)).Build();
    }

    private static string Origin(SuiteRun run) => $"property-based, seed {run.Settings.Seed}";

    private static string UnknownResource(SuiteRun run) => run.Identity.Uuid("unknown-resource", 1).ToString();

    private static async Task CheckPropertyAsync(SuiteRun run, Rule property, uint stream, Gen<PayloadSample> gen, Func<PayloadSample, CreateCase> caseFor, CancellationToken ct)
    {
        var unanswered = false;
        var nearest = new NearestPassing(); // the passing payloads seen, to show beside a failing one
        // Every sample is judged by every rule into a findings of its own: its MUST and "either"
        // breaks count once, as the property's. A drawn sample's SHOULD verdicts (held and broken)
        // go to the run's findings, where each SHOULD rule shows them (NON-STRICT); the samples
        // CsCheck sends while shrinking are not the run's, so theirs stay out.
        async Task<(CaseResult Result, RunFindings Own)> SendAlone(PayloadSample s)
        {
            var own = new RunFindings(redactor: run.Redactor);
            var result = await run.ExecuteAsync(caseFor(s), ct, into: own).ConfigureAwait(false);
            if (result.Broken.Contains(Http.CompleteAnswer)) unanswered = true;
            return (result, own);
        }
        // What a sample's answer teaches the run, in seed order (the drawn ones go out together, see below).
        CaseResult Learn((CaseResult Result, RunFindings Own) sent, bool drawn)
        {
            if (drawn)
                foreach (var r in sent.Own.All)
                    if (r.Check.Level == Level.Should && (r.Passes > 0 || r.ViolationCount > 0)) run.Findings[r.Check].Add(r);
            if (Properties.Holds(sent.Result.Broken)) nearest.Passed(sent.Result.Case.Payload);
            return sent.Result;
        }
        async Task<CaseResult> Send(PayloadSample s, bool drawn) => Learn(await SendAlone(s).ConfigureAwait(false), drawn);
        async Task<bool> Holds(PayloadSample s) => Properties.Holds((await Send(s, drawn: false).ConfigureAwait(false)).Broken);

        var seeds = Seeds(run, property, stream, run.Shard, Environment.GetEnvironmentVariable(SeedVariable));

        // The drawn samples go out as many at a time as the run has cases under way, each next one as soon as one is
        // answered (one waiting out a 429 holds one place, not the others); their answers are taken in seed order, up to the
        // first that breaks the property, which is shrunk one sample at a time (CsCheck's search is sequential). The samples
        // under way by then are answered, and not counted.
        var window = Math.Max(1, run.Settings.CasesUnderWay);
        using var places = new SemaphoreSlim(window, window);
        var answers = seeds.Select(_ => new TaskCompletionSource<(CaseResult Result, RunFindings Own)?>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var inFlight = new List<Task>();
        var stop = 0;
        var launcher = Task.Run(async () =>
        {
            for (var i = 0; i < seeds.Count; i++)
            {
                try { await places.WaitAsync(ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { Abandon(i); return; }
                if (Volatile.Read(ref stop) == 1 || ct.IsCancellationRequested || run.TargetStopped)
                {
                    places.Release();
                    Abandon(i);
                    return;
                }
                var n = i;
                lock (inFlight) inFlight.Add(Task.Run(async () =>
                {
                    try { answers[n].TrySetResult(await SendAlone(gen.Generate(PCG.Parse(seeds[n]), null, out _)).ConfigureAwait(false)); }
                    catch (Exception e) { answers[n].TrySetException(e); }
                    finally { places.Release(); }
                }));
            }
        });
        void Abandon(int from)
        {
            for (var j = from; j < answers.Length; j++) answers[j].TrySetResult(null);
        }
        async Task SettleAsync()
        {
            Volatile.Write(ref stop, 1);
            await launcher.ConfigureAwait(false);
            Task[] started;
            lock (inFlight) started = [.. inFlight];
            await Task.WhenAll(started).ConfigureAwait(false);
        }

        var failedAt = -1;
        (CaseResult Result, RunFindings Own)? failing = null;
        for (var k = 0; k < seeds.Count && failedAt < 0; k++)
        {
            if (await answers[k].Task.ConfigureAwait(false) is not { } sent) break; // cancelled, or the target stopped answering
            var answered = Learn(sent, drawn: true);
            if (Properties.Holds(answered.Broken)) run.Evaluator.Property(new PropertySeen(property, answered.Case, answered.Create, answered.ReadBack, answered.Broken));
            else (failedAt, failing) = (k, sent);
        }
        await SettleAsync().ConfigureAwait(false);
        if (failedAt < 0) return;
        var seed = seeds[failedAt];
        var first = failing!.Value.Result;

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
        var minimal = minimalSeed == seed ? first : await Send(gen.Generate(PCG.Parse(minimalSeed), null, out _), drawn: false).ConfigureAwait(false);
        var payload = run.Redactor.Redact(minimal.Case.Payload?.ToJsonString(SipApi.PayloadJson) ?? "(raw body)");
        run.Evaluator.Property(new PropertySeen(property, minimal.Case, minimal.Create, minimal.ReadBack, minimal.Broken,
            new PropertyShrink(minimalSeed, seed, payload, Replay(run, property, minimalSeed),
                nearest.To(minimal.Case.Payload) is { } pass ? run.Redactor.Redact(pass.ToJsonString(SipApi.PayloadJson)) : null)));
    }

    /// <summary>
    /// The CsCheck seeds a property tries, in order, in <paramref name="shard"/>: a forced one first
    /// (CsCheck_Seed, a replay: shard 1 only), then sample i of SIPCONF_PROPERTY_ITERATIONS when i is the shard's.
    /// </summary>
    public static IReadOnlyList<string> Seeds(SuiteRun run, Rule property, uint stream, Configuration.Shard shard, string? forced = null)
    {
        var seeds = new List<string>();
        if (forced is { Length: > 0 } && shard.RunsOneOffs) seeds.Add(forced);
        for (var i = 0; i < run.Settings.PropertyIterations; i++)
            if (shard.Owns(i)) seeds.Add(new PCG(stream, (ulong)run.Identity.StreamSeed(property.Id, i)).ToString());
        return seeds;
    }

    /// <summary>The streams of the two properties (valid payloads; one violation).</summary>
    public static readonly IReadOnlyList<(Rule Property, uint Stream)> Streams = [(Properties.ValidAccepted, 1), (Properties.OneViolationAnswered, 2)];

    /// <summary>One command line that replays a property's sample against the same target.</summary>
    public static string Replay(SuiteRun run, Rule property, string csSeed) =>
        $"{SeedVariable}={csSeed} SIPCONF_SEED={run.Settings.Seed} SIPCONF_RUN_MARKER={run.Identity.Marker} SIPCONF_PROPERTY_ITERATIONS=1 " +
        $"dotnet test tests/SipConformance.Conformance --filter \"Name~{property.Id}\"";
}
