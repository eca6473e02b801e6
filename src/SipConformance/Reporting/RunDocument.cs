using System.Text.Json;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Generation.Combinatorics;
using SipConformance.Rules;
using SipConformance.Running;
using SipConformance.Running.Probes;

namespace SipConformance.Reporting;

/// <summary>
/// The findings document of a live run, made from the run's own data (its settings, its findings
/// with their typed evidence, the combination probe's cells): the one place a run becomes the
/// document every report renders from.
/// </summary>
public static class RunDocument
{
    /// <summary>How many of a cell's failing rows the document keeps.</summary>
    public const int KeptCellFailures = 10;

    public static FindingsDocument Of(SuiteRun run, CleanupReport? cleanup = null, IEnumerable<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var noteList = (notes ?? []).ToList();
        if (cleanup is not null) noteList.Add(cleanup.ToString());
        var combos = run.Probe<CombinationProbe>();
        return new FindingsDocument(
            FindingsDocument.CurrentFormat,
            run.Contract.Revision,
            run.Settings.IsEmbedded ? "embedded reference server" : run.Target.BaseUrl.ToString(),
            run.Target.Primary.ProjectId,
            run.Settings.EffectiveProfile.ToString().ToLowerInvariant(),
            run.Settings.Seed,
            run.Identity.Marker,
            run.Settings.Strict,
            noteList.Select(run.Redactor.Redact).ToList(),
            run.Findings.All.Select(CheckEntry.Of).ToList(),
            Coverage: combos?.Coverage,
            Replay: run.ReplaySettings(),
            Banner: run.Redactor.Redact(run.Banner()),
            ResourceConfigured: run.ResourceAvailable,
            SecondProjectConfigured: run.Target.Second is not null,
            CreateStatuses: run.Api.CreateStatuses.OrderBy(s => s.Key)
                .ToDictionary(s => s.Key == 0 ? "none" : s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), s => s.Value, StringComparer.Ordinal),
            SchemaRevisionProbe: SchemaRevisionProbe(run.Contract, run.Findings[Success.Schema], RevisionResponseSchema.Later),
            Combinations: combos is null ? null : Combinations(run, combos),
            Shard: new ShardEntry(run.Shard.Index, run.Shard.Count),
            Learned: run.LearnedTable,
            Filter: run.Filter.IsNone ? null : run.Filter.Patterns);
    }

    /// <summary>Of the 200 bodies the schema check kept (whole), how many are the other revision's answer instead.</summary>
    public static SchemaRevisionProbeEntry SchemaRevisionProbe(SipContract contract, CheckResult schemaCheck, RevisionResponseSchema other)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(schemaCheck);
        ArgumentNullException.ThrowIfNull(other);
        int examined = 0, valid = 0, unreadable = 0;
        foreach (var v in schemaCheck.Violations)
        {
            if (v.Exchanges.FirstOrDefault(e => e.Status == Statuses.Ok) is not { } answer) continue;
            if (!answer.ResponseBodyWhole) { unreadable++; continue; }
            try
            {
                using var json = JsonDocument.Parse(answer.ResponseBody!);
                examined++;
                if (other.Validates(json.RootElement)) valid++;
            }
            catch (JsonException) { unreadable++; }
        }
        return new SchemaRevisionProbeEntry(schemaCheck.Check.Id, other.Revision, other.Name, schemaCheck.Passes, schemaCheck.ViolationCount, examined, valid, unreadable);
    }

    private static CombinationsEntry Combinations(SuiteRun run, CombinationProbe combos)
    {
        var cells = new List<CellEntry>();
        foreach (var e in run.Contract.Encryptions)
            foreach (var h in run.Contract.CallHandlers)
            {
                if (!combos.Cells.TryGetValue(CombinationProbe.Cell(e, h), out var cell)) continue;
                var failures = cell.Failures;
                cells.Add(new CellEntry(cell.Cell, e, h, cell.Rows, failures.Count,
                    failures.Take(KeptCellFailures).Select(f => new CellFailureEntry(f.Row.Index, f.Row.Origin, f.Row.Ciphers, f.Row.Codecs,
                        f.Broken.Select(b => b.Id).Distinct().ToList())).ToList(),
                    cell.Smallest is { } s ? new SmallestEntry(s.Check.Id, s.Ciphers, s.Codecs) : null));
            }
        // What the sweep sent: the plan's rows (this shard's), less those it could not send (call_handler resource without a resource id).
        var rows = combos.Plan is { } plan ? CombinationProbe.SentRows(run, plan, run.Shard).ToList() : [];
        IReadOnlyDictionary<string, int> Tally(IReadOnlyList<string> values, Func<ComboRow, IReadOnlyList<string>> of) =>
            values.ToDictionary(v => v, v => rows.Count(r => of(r).Contains(v)), StringComparer.Ordinal);
        return new CombinationsEntry(run.Contract.Encryptions, run.Contract.CallHandlers, combos.SkippedRows, rows.Count,
            combos.Cells.Values.Sum(c => c.Rows), cells,
            new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal)
            {
                [FieldNames.Ciphers] = Tally(run.Contract.Ciphers, r => r.Ciphers),
                [FieldNames.Codecs] = Tally(run.Contract.Codecs, r => r.Codecs),
            });
    }
}
