using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SipConformance.Rules;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Running;
using SipConformance.Running.Probes;

namespace SipConformance.Reporting;

/// <summary>
/// What the findings document holds beyond the checks' own rows, for the HTML report (all
/// additive): the replay line, what the target configuration left out, how the creates were
/// answered, whether the schema failures are another revision's answer, the combination cells,
/// and per check its replay command and (properties) the shrunk payload.
/// </summary>
public static partial class FindingsExtras
{
    /// <summary>The README's command that runs the suite (what a replay line prefixes with its environment).</summary>
    public const string SuiteCommand = "dotnet test tests/SipConformance.Conformance";

    /// <summary>How many of a cell's failing rows the document keeps.</summary>
    public const int KeptCellFailures = 10;

    /// <summary>Adds the report's fields to <paramref name="doc"/> (the document <see cref="Reports"/> writes).</summary>
    public static void AddTo(JsonObject doc, SuiteRun run)
    {
        var replay = Replay(run);
        doc["replay"] = replay;
        doc["resource_configured"] = run.ResourceAvailable;
        doc["second_project_configured"] = run.Target.Second is not null;
        doc["create_statuses"] = new JsonObject(run.Api.CreateStatuses.OrderBy(s => s.Key)
            .Select(s => KeyValuePair.Create(s.Key == 0 ? "none" : s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)s.Value)));
        doc["schema_revision_probe"] = SchemaRevisionProbe(run.Findings[Success.Schema], RevisionResponseSchema.Later);
        if (run.Probes.OfType<CombinationProbe>().FirstOrDefault() is { } combos) doc["combinations"] = Combinations(run, combos);
        foreach (var check in (doc["checks"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var id = check["id"]!.GetValue<string>();
            check["replay"] = $"{replay} {SuiteCommand} --filter \"Name~{id}\"";
            if (run.Findings[id].Check.Section.Name == Properties.Section.Name && run.Findings[id].Violations.FirstOrDefault() is { } v && PropertyFailure(v.Message) is { } failure)
                check["property_failure"] = failure;
        }
    }

    /// <summary>The environment the banner's "reproduce with" line sets.</summary>
    public static string Replay(SuiteRun run)
    {
        const string marker = "reproduce with ";
        var line = run.Banner().Split(Environment.NewLine).FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal)) ?? "";
        return line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..];
    }

    /// <summary>Of the 200 bodies the schema check kept, how many are the other revision's answer instead.</summary>
    public static JsonObject SchemaRevisionProbe(CheckResult schemaCheck, RevisionResponseSchema other)
    {
        int examined = 0, valid = 0, unreadable = 0;
        foreach (var v in schemaCheck.Violations)
            foreach (var body in ExchangeText.ResponseBodies(v.Evidence, Statuses.Ok).Take(1))
            {
                using var json = ExchangeText.Json(body);
                if (json is null) { unreadable++; continue; }
                examined++;
                if (other.Validates(json.RootElement)) valid++;
            }
        return new JsonObject
        {
            ["check"] = schemaCheck.Check.Id,
            ["revision"] = other.Revision,
            ["schema"] = other.Name,
            ["held"] = schemaCheck.Passes,
            ["failed"] = schemaCheck.ViolationCount,
            ["examined"] = examined,
            ["valid_under_revision"] = valid,
            ["unreadable"] = unreadable,
        };
    }

    private static JsonObject Combinations(SuiteRun run, CombinationProbe combos)
    {
        var cells = new JsonArray();
        foreach (var e in run.Contract.Encryptions)
            foreach (var h in run.Contract.CallHandlers)
            {
                if (!combos.Cells.TryGetValue(CombinationProbe.Cell(e, h), out var cell)) continue;
                var failures = cell.Failures;
                var entry = new JsonObject
                {
                    ["cell"] = cell.Cell,
                    ["encryption"] = e,
                    ["call_handler"] = h,
                    ["rows"] = cell.Rows,
                    ["failed_rows"] = failures.Count,
                    ["failures"] = new JsonArray(failures.Take(KeptCellFailures).Select(f => (JsonNode)new JsonObject
                    {
                        ["row"] = f.Row.Index,
                        ["origin"] = f.Row.Origin,
                        ["ciphers"] = Strings(f.Row.Ciphers),
                        ["codecs"] = Strings(f.Row.Codecs),
                        ["broken"] = Strings(f.Broken.Select(b => b.Id).Distinct()),
                    }).ToArray()),
                };
                if (cell.Smallest is { } s)
                    entry["smallest"] = new JsonObject { ["check"] = s.Check.Id, ["ciphers"] = Strings(s.Ciphers), ["codecs"] = Strings(s.Codecs) };
                cells.Add(entry);
            }
        // What the sweep sent: the plan's rows (this shard's), less those it could not send (call_handler resource without a resource id).
        var rows = combos.Plan is { } plan ? CombinationProbe.SentRows(run, plan, run.Shard).ToList() : [];
        JsonObject Tally(IReadOnlyList<string> values, Func<Generation.Combinatorics.ComboRow, IReadOnlyList<string>> of) =>
            new(values.Select(v => KeyValuePair.Create(v, (JsonNode?)rows.Count(r => of(r).Contains(v)))));
        return new JsonObject
        {
            ["encryptions"] = Strings(run.Contract.Encryptions),
            ["call_handlers"] = Strings(run.Contract.CallHandlers),
            ["skipped_rows"] = combos.SkippedRows,
            ["planned_rows"] = rows.Count,
            ["sent_rows"] = combos.Cells.Values.Sum(c => c.Rows),
            ["cells"] = cells,
            ["sent"] = new JsonObject
            {
                [FieldNames.Ciphers] = Tally(run.Contract.Ciphers, r => r.Ciphers),
                [FieldNames.Codecs] = Tally(run.Contract.Codecs, r => r.Codecs),
            },
        };
    }

    /// <summary>A property's shrunk payload, CsCheck seed and replay command, read from its violation's message.</summary>
    public static JsonObject? PropertyFailure(string message)
    {
        if (JsonAfter(message, " payload ") is not { } payload) return null;
        var failure = new JsonObject { ["failing_payload"] = payload };
        if (JsonAfter(message, Rules.Properties.NearestPassingLabel + " ") is { } passing) failure["nearest_passing_payload"] = passing;
        if (CsCheckSeed().Match(message) is { Success: true } seed) failure["cscheck_seed"] = seed.Groups[1].Value;
        if (ReplayCommand().Match(message) is { Success: true } replay) failure["replay"] = replay.Groups[1].Value;
        return failure;
    }

    /// <summary>The JSON object that follows the first <paramref name="label"/> in the text, or null.</summary>
    private static JsonNode? JsonAfter(string text, string label)
    {
        var at = text.IndexOf(label + "{", StringComparison.Ordinal);
        if (at < 0) return null;
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text[(at + label.Length)..]));
        try { return JsonNode.Parse(ref reader); }
        catch (JsonException) { return null; }
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    [GeneratedRegex(@"CsCheck seed (\S+)")]
    private static partial Regex CsCheckSeed();

    [GeneratedRegex(@"replay: (.+)$")]
    private static partial Regex ReplayCommand();
}
