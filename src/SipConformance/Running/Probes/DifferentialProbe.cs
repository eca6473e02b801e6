using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SipConformance.Cases;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.Rules;
using SipConformance.Rules.Observations;
using SipConformance.Target;

namespace SipConformance.Running.Probes;

/// <summary>
/// Stimuli from how real server stacks parse their input (fixtures/payloads/parser-differentials.json,
/// docs/PARSERS.md): each entry's exact stimulus, sent in place of one field, as the whole body, as the
/// Content-Type or Authorization header, or as the path id of an endpoint the run created; judged by the
/// rule of the contract the stack's behaviour breaks, with the answers the entry says the contract allows.
/// The endpoints the accepted ones created are kept until one list read has seen them (a list built from
/// stored text meets every stored text at once), then deleted.
/// </summary>
public sealed partial class DifferentialProbe : Probe
{
    public override string Name => "parsers";

    /// <summary>
    /// Its entries bind their stimuli to rules of most sections (validation, call handler, strings, the 401s,
    /// malformed bodies, path ids, the list): every rule but isolation, the generated properties and the pact.
    /// </summary>
    public override bool Feeds(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Section != Isolation.Section && rule.Section != Properties.Section && rule.Section != Rules.Pact.Section;
    }

    /// <summary>A UUID in the 8-4-4-4-12 form, any case.</summary>
    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex CanonicalUuid();

    /// <summary>The placeholders whose values are secret (shown as [REDACTED]).</summary>
    [GeneratedRegex(@"\{\{(basic|token|project)(:[^{}]*)?\}\}")]
    private static partial Regex SecretPlaceholder();

    /// <summary>The value a stimulus sends first, then the valid one: the refused first value of a repeated name.</summary>
    public const string RefusedFirst = "sipconf-refused-first";

    /// <summary>Its create cases in the shard; in shard 1 also one list read and the path ids: an endpoint (3), a GET of each form the grammar allows, a GET and a DELETE of each form that is no UUID.</summary>
    public override long PlannedRequests(SuiteRun run, Profile profile, Shard shard) =>
        Cases(run, shard).Sum(Cost) + (shard.RunsOneOffs ? 1 + AcceptedCaseRequests + 2L * PathForms().Count + PlainPathForms().Count : 0);

    public override async Task RunAsync(SuiteRun run, CancellationToken ct)
    {
        // Its three parts one after another; against a target that rate-limits, side by side (each waits out its own 429s,
        // and none needs another's endpoints).
        Func<Task>[] parts =
        [
            () => run.ExecuteAllAsync(Cases(run, run.Shard).Where(c => !IsStoredText(c)), ct),
            .. run.Shard.RunsOneOffs ? new Func<Task>[] { () => StoredTextsAsync(run, ct), () => PathIdsAsync(run, ct) } : [],
        ];
        await InTurnOrTogetherAsync(run.RateLimited, parts).ConfigureAwait(false);
    }

    /// <summary>
    /// The texts to be stored exactly go together in shard 1 and are kept until one list read has seen them all (a list
    /// built from stored text meets every stored text at once; U+0000 in a jsonb column, say), then deleted.
    /// </summary>
    private static async Task StoredTextsAsync(SuiteRun run, CancellationToken ct)
    {
        var results = await run.ExecuteAllAsync(StoredTexts(run), ct, keep: true).ConfigureAwait(false);
        var kept = results.Where(r => r.CreatedId is not null).ToList();
        var primary = run.Target.Primary;
        var list = await run.Api.ListAllAsync(primary.Auth, ct).ConfigureAwait(false);
        run.Evaluator.List(list, $"the {primary.Label} project's list, holding what {kept.Count} parser stimuli stored", primary);
        if (run.Settings.Cleanup)
            await Parallel.ForEachAsync(kept, new ParallelOptions { MaxDegreeOfParallelism = run.Settings.CasesUnderWay, CancellationToken = ct }, async (r, _) =>
                run.Evaluator.Delete(await run.Api.DeleteAsync(r.Case.Project, r.CreatedId!, ct: ct).ConfigureAwait(false), r.Case.Describe() + " (cleanup)")).ConfigureAwait(false);
    }

    /// <summary>A case whose text is to be stored exactly (an exact-echo entry), which shard 1 sends with the list read.</summary>
    private static bool IsStoredText(CreateCase c) => c.Rule == Strings.Unicode;

    private static IEnumerable<CreateCase> StoredTexts(SuiteRun run) => AllCases(run).Where(IsStoredText);

    /// <summary>The path-id forms that are no UUID (404, 400 or 422), each template once: (template, the entries that send it).</summary>
    public static IReadOnlyList<(string Template, string Entries)> PathForms() =>
        Differentials.All.Where(d => d.Input == "path-id" && d.ExpectedStatuses.Count > 0)
            .GroupBy(d => d.Stimulus, StringComparer.Ordinal)
            .Select(g => (g.Key, string.Join(", ", g.Select(d => d.Id)))).ToList();

    /// <summary>The path-id forms the grammar allows (same-as-plain): each must read the endpoint.</summary>
    public static IReadOnlyList<Differential> PlainPathForms() =>
        Differentials.All.Where(d => d.Input == "path-id" && d.Expect == "same-as-plain").ToList();

    private static async Task PathIdsAsync(SuiteRun run, CancellationToken ct)
    {
        var primary = run.Target.Primary;
        var created = await run.ExecuteAsync(run.ValidCase("parsers/path", 0).Named("an endpoint whose id is sent in forms that are no UUID").Build(Success.Status), ct, keep: true).ConfigureAwait(false);
        if (created.CreatedId is not { } id)
        {
            run.Findings.Skip(ReadBack.UnknownId, $"no endpoint to send path-id forms of: the create answered {SipApi.Describe(created.Create)}");
            return;
        }
        var values = new DifferentialValues(Endpoint: id);
        var forms = PathForms().Select(f => (Path: Differentials.ExpandText(f.Template, values)!, f.Entries)).ToList();
        // The id in the forms the grammar allows (upper case: RFC 9562 §4) reads the same endpoint (CREATE-READ-001).
        if (created.Create.Response?.Json is { } answer)
        {
            var plain = PlainPathForms();
            var reads = await Task.WhenAll(plain.Select(d => run.Api.GetAsync(primary.Auth, Differentials.ExpandText(d.Stimulus, values)!, ct))).ConfigureAwait(false);
            for (var i = 0; i < plain.Count; i++)
                run.Evaluator.ReadBack(created.Case, answer, reads[i], $"GET of the endpoint's id as {Shown(plain[i].Stimulus)} ({plain[i].Id})");
        }
        // Every GET first (together: one waiting out a 429 does not hold up the rest): a lenient DELETE would remove the
        // endpoint the later forms name. The DELETEs one after another, so that the first lenient form is the one that
        // answers 204; against a target that rate-limits, together (a lenient form still answers 204 or, when another
        // lenient one came first, 404: the first one's 204 is the finding either way).
        var gets = await Task.WhenAll(forms.Select(f => run.Api.GetAsync(primary.Auth, f.Path, ct))).ConfigureAwait(false);
        var deletes = new Exchange[forms.Count];
        await InTurnOrTogetherAsync(run.RateLimited, forms.Select((f, i) => (Func<Task>)(async () =>
            deletes[i] = await run.Api.DeleteAsync(primary, f.Path, ct: ct).ConfigureAwait(false)))).ConfigureAwait(false);
        for (var i = 0; i < forms.Count; i++)
            run.Evaluator.UnknownId(new UnknownIdSeen(forms[i].Path, gets[i], deletes[i], wellFormed: false, form: $"a form of {id}; {forms[i].Entries}"));
        if (run.Settings.Cleanup)
            await run.Api.DeleteAsync(primary, id, ct: ct).ConfigureAwait(false); // 204, or 404 when a lenient DELETE above removed it
    }

    /// <summary>
    /// The create cases <paramref name="shard"/> sends: the entries that apply to the run (its revision's enums, a resource
    /// when one is needed), then the repeated-name stimuli, each in one shard; the texts to be stored, all in shard 1.
    /// </summary>
    public static IEnumerable<CreateCase> Cases(SuiteRun run, Shard shard)
    {
        var i = 0;
        foreach (var c in AllCases(run).Where(c => !IsStoredText(c)))
            if (shard.Owns(i++)) yield return c;
        if (shard.RunsOneOffs)
            foreach (var c in StoredTexts(run)) yield return c;
    }

    private static IEnumerable<CreateCase> AllCases(SuiteRun run)
    {
        // Entries of several stacks with the same stimulus for the same field and the same expectation are one request, named after them all.
        var index = 0;
        foreach (var same in Differentials.All.Where(d => d.Input != "path-id").GroupBy(d => (d.Input, d.Field, d.Stimulus, d.Expect)))
            if (Case(run, same.ToList(), index++) is { } c) yield return c;
        foreach (var c in RepeatedNames(run)) yield return c;
    }

    /// <summary>
    /// A repeated property name whose first value the contract refuses and whose last is valid: a server reads one of
    /// them (and answers accordingly) or refuses the body; it never stores the refused one (validating one occurrence
    /// and storing the other is the split of two parsers).
    /// </summary>
    private static IEnumerable<CreateCase> RepeatedNames(SuiteRun run)
    {
        foreach (var (field, rule) in new[] { (FieldNames.Encryption, Validation.UnknownEnum), (FieldNames.CallHandler, Validation.UnknownEnum) })
        {
            var b = run.ValidCase("parsers/repeated", field == FieldNames.Encryption ? 0 : 1, field == FieldNames.CallHandler ? run.Contract.CallHandlers.First(h => h != CallHandlerValues.Resource) : null);
            var valid = b.Payload!;
            var body = Encoding.UTF8.GetBytes($"{{\"{field}\":\"{RefusedFirst}\",{valid.ToJsonString(SipApi.PayloadJson)[1..]}");
            yield return b.WithBody(body, valid).Varying(field)
                .Named($"a repeated name: {field} first \"{RefusedFirst}\" (outside its enum), then a valid value")
                .From($"parsers: repeated names, seed {run.Settings.Seed}")
                .Expecting([Statuses.Ok, Statuses.BadRequest, Statuses.Unprocessable],
                    (answer, contract) => contract.EndpointField(answer, field) is { ValueKind: JsonValueKind.String } v && v.GetString() == RefusedFirst
                        ? $"{field} holds \"{RefusedFirst}\", the refused first occurrence, though the last one was validated" : null)
                .Build(rule);
        }
    }

    private static CreateCase? Case(SuiteRun run, IReadOnlyList<Differential> same, int index)
    {
        var d = same[0];
        var contract = run.Contract;
        var primary = run.Target.Primary;
        var needsResource = d.Field == FieldNames.CallingHandlerResourceId || Differentials.Uses(d.Stimulus, "resource") || Differentials.Uses(d.Plain ?? "", "resource");
        if (needsResource && !run.ResourceAvailable) return null;
        var handler = needsResource ? CallHandlerValues.Resource : run.Contract.CallHandlers.First(h => h != CallHandlerValues.Resource);
        var b = run.ValidCase("parsers", index, handler).From($"parsers: {d.Stack}, seed {run.Settings.Seed}");
        var valid = b.Payload!;
        var values = new DifferentialValues(valid, run.Target.ResourceId, null, primary.ProjectId, primary.Token);
        var name = $"{string.Join(",", same.Select(x => x.Id))} ({string.Join(", ", same.Select(x => x.Stack).Distinct())}; {d.Direction}): {(d.Field is null ? "" : d.Field + " ")}{Shown(d.Stimulus)}";
        b = b.Named(name);

        switch (d.Input)
        {
            case "uuid" or "enum" or "enum-list" or "string":
            {
                var field = d.Field!;
                var stimulus = d.Stimulus;
                // A valid id is the run's own (its version digit as the entry's): two runs, or two entries, never send one id twice.
                if (field == FieldNames.Id && d.Expect == "same-as-plain") stimulus = OwnId(stimulus, run.Identity.Uuid("parsers/id", index).ToString());
                // A username carries the run's marker before the entry's text (what the run creates, its cleanup finds by marker).
                if (field == FieldNames.Username && stimulus.StartsWith('"')) stimulus = "\"" + run.Identity.UsernamePrefix + stimulus[1..];
                var value = Differentials.Expand(stimulus, values)!;
                var meaning = Differentials.Decode(value, out var readable);
                if (d.Expect == "422" && readable && AllValid(contract, field, meaning)) return null; // valid in this revision (OPUS@... in 2026-08-21)
                var body = Encoding.UTF8.GetBytes("{" + (valid.Count > 1 ? Differentials.Members(valid, field) + "," : "") + $"\"{field}\":").Concat(value).Append((byte)'}').ToArray();
                JsonObject? payload = null;
                if (readable)
                {
                    payload = (JsonObject)valid.DeepClone();
                    payload[field] = meaning?.DeepClone();
                }
                b = b.WithBody(body, payload).Varying(field);
                return d.Expect switch
                {
                    "422" => b.Build(d.Input switch
                    {
                        "uuid" => field == FieldNames.CallingHandlerResourceId ? CallHandler.ResourceIdMalformed : Validation.MalformedUuid,
                        "enum" => meaning is JsonValue v && v.TryGetValue<string>(out _) ? Validation.UnknownEnum : Validation.WrongType,
                        "enum-list" => meaning is JsonArray ? Validation.UnknownEnumItem : Validation.WrongType,
                        _ => meaning is null && readable ? Validation.Null : Validation.WrongType,
                    }),
                    "400|422" => b.Build(Misc.MalformedJson),
                    "exact-echo" when readable => b.Build(Strings.Unicode),
                    "exact-echo" => b.Expecting([Statuses.Ok, Statuses.BadRequest, Statuses.Unprocessable]).Build(Strings.Unicode),
                    "same-as-plain" when readable => b.Build(d.Input == "string" ? Strings.Unicode : Success.Status),
                    _ => null,
                };
            }
            case "body":
            {
                var body = Differentials.Expand(d.Stimulus, values)!;
                var meaning = Differentials.Decode(body, out var readable);
                return d.Expect switch
                {
                    "400|422" => b.WithBody(body).Build(readable && meaning is not JsonObject ? Validation.NotAnObject : Misc.MalformedJson),
                    "422" => b.WithBody(body).Varying(FieldNames.Username).Build(Validation.MissingRequired),
                    "no-5xx" => b.WithBody(body).Expecting([Statuses.Ok, Statuses.BadRequest, Statuses.ContentTooLarge, Statuses.Unprocessable]).Build(Misc.LargeBody),
                    "same-as-plain" when readable && meaning is JsonObject o => b.WithBody(body, o).Build(Success.Status),
                    _ => null,
                };
            }
            case "media-type":
            {
                var type = Differentials.ExpandText(d.Stimulus, values);
                return d.Expect switch
                {
                    "415|400|422" => b.WithContentType(type).Build(Misc.NonJsonContentType),
                    "no-5xx" => b.WithContentType(type).Expecting([Statuses.Ok, Statuses.BadRequest, Statuses.UnsupportedMediaType, Statuses.Unprocessable]).Build(Misc.NonJsonContentType),
                    // A charset other than UTF-8 on a JSON body: RFC 8259 §8.1 wants UTF-8, the contract takes no side; not sent.
                    "same-as-plain" when !type!.Contains("charset=iso", StringComparison.OrdinalIgnoreCase) => b.WithContentType(type).Expecting([Statuses.Ok]).Build(Success.Status),
                    _ => null,
                };
            }
            case "authorization" or "basic-credentials":
            {
                var header = Differentials.ExpandText(d.Stimulus, values)!;
                var plain = "Basic " + Differentials.ExpandText("{{basic}}", values);
                if (header == plain) return null; // this variant equals the plain form for these credentials
                var auth = new AuthHeader($"{string.Join(",", same.Select(x => x.Id))}: {Shown(d.Stimulus)}", new Secret(header), Shown(d.Stimulus), null);
                b = b.As(auth);
                return d.Expect switch
                {
                    "401" => b.Build(d.Input == "authorization" ? Authentication.OtherScheme : Authentication.BadBase64),
                    // The other forms the grammar allows (two spaces after the scheme, RFC 9110 §11.4 1*SP) are left to the
                    // server: the contract names only the scheme's letter case (CREATE-AUTH-008, which sends it itself).
                    _ => null,
                };
            }
            default:
                return null;
        }
    }

    /// <summary>The stimulus as a finding shows it: secret placeholders as [REDACTED], control characters as escapes.</summary>
    private static string Shown(string template)
    {
        var text = SecretPlaceholder().Replace(template, Secret.Mask);
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString());
        return sb.Length > 120 ? sb.ToString(0, 117) + "..." : sb.ToString();
    }

    /// <summary>A UUID stimulus (a JSON string of the 8-4-4-4-12 form) with every digit but the version and the variant the run's own, in the stimulus's letter case.</summary>
    private static string OwnId(string stimulus, string own)
    {
        if (stimulus.Length != 38 || stimulus[0] != '"' || stimulus[^1] != '"' || !CanonicalUuid().IsMatch(stimulus[1..^1])) return stimulus;
        var sample = stimulus[1..^1];
        var chars = sample.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (chars[i] != '-' && i != 14 && i != 19)
                chars[i] = char.IsUpper(sample.Where(char.IsLetter).DefaultIfEmpty('a').First()) ? char.ToUpperInvariant(own[i]) : own[i];
        return "\"" + new string(chars) + "\"";
    }

    private static bool AllValid(SipContract contract, string field, JsonNode? value)
    {
        var spec = contract.CreateFields.FirstOrDefault(f => f.Name == field);
        if (spec is null || spec.Values.Count == 0) return false;
        return value switch
        {
            JsonValue v when spec.Kind != FieldKind.EnumArray && v.TryGetValue<string>(out var s) => spec.Values.Contains(s),
            JsonArray a => a.Count > 0 && a.All(x => x is JsonValue xv && xv.TryGetValue<string>(out var s) && spec.Values.Contains(s)),
            _ => false,
        };
    }
}
