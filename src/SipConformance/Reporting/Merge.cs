using SipConformance.Findings;

namespace SipConformance.Reporting;

/// <summary>Why shards cannot be merged (different runs, a duplicate, a missing shard, an unreadable file): one line for a person.</summary>
public sealed class MergeRefusedException(string message) : Exception(message)
{
    public override string? StackTrace => null;
}

/// <summary>One shard's findings document and where it was read from.</summary>
public sealed record ShardFindings(string Source, FindingsDocument Document);

/// <summary>
/// Merges the findings documents of the shards of one run (SIPCONF_SHARD=1/n ... n/n) into the
/// document of the whole run: per check the counts are summed and the worst outcome is taken
/// (FAIL, then NON-STRICT, then PASS, then SKIPPED); evidence, cells and tallies are combined.
/// Refuses shards of different seeds, profiles, contract revisions, strictness, filters or shard counts,
/// a shard given twice, and names every shard that is missing.
/// </summary>
public static class Merge
{
    /// <summary>Reads <c>sipconformance-findings.json</c> from each directory (or the file itself, when a path names one).</summary>
    public static IReadOnlyList<ShardFindings> Load(IEnumerable<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        var shards = new List<ShardFindings>();
        foreach (var dir in directories)
        {
            var file = File.Exists(dir) ? dir : Path.Combine(dir, Reports.FindingsFileName);
            if (!File.Exists(file))
                throw new MergeRefusedException(Directory.Exists(dir)
                    ? $"{dir} holds no {Reports.FindingsFileName} (did that shard's run end before writing its reports?)"
                    : $"no directory or file '{dir}'");
            try { shards.Add(new ShardFindings(file, FindingsDocument.Load(file))); }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or NotSupportedException)
            {
                throw new MergeRefusedException($"{file} is not a findings document: {e.Message}");
            }
        }
        return shards;
    }

    /// <summary>The whole run's document from its shards' (any order); throws <see cref="MergeRefusedException"/> when they are not the shards of one run.</summary>
    public static FindingsDocument Documents(IReadOnlyList<ShardFindings> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0) throw new MergeRefusedException("no shard to merge: name the shards' artifact directories");
        Same(shards, "shard counts (n of SIPCONF_SHARD=i/n)", d => d.ShardOrWhole.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), d => d.ShardOrWhole.ToString());
        Same(shards, "seeds (SIPCONF_SEED)", d => d.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Same(shards, "profiles (SIPCONF_PROFILE)", d => d.Profile);
        Same(shards, "contract revisions", d => d.ContractRevision);
        Same(shards, "strictness (SIPCONF_STRICT)", d => d.Strict ? "true" : "false");
        // Shards of different filters judged different checks: merged, a check one shard left out would look run.
        Same(shards, "filters (--filter, SIPCONF_FILTER)", d => string.Join(",", d.FilterOrNone.Select(p => p.ToUpperInvariant()).Order(StringComparer.Ordinal)),
            d => d.FilterOrNone.Count == 0 ? "(none)" : d.FilterText);

        Learned(shards);

        var n = shards[0].Document.ShardOrWhole.Count;
        var duplicates = shards.GroupBy(s => s.Document.ShardOrWhole.Index).Where(g => g.Count() > 1).ToList();
        if (duplicates.Count > 0)
            throw new MergeRefusedException("duplicate shards: " + string.Join("; ", duplicates.Select(g =>
                $"shard {g.Key}/{n} is in {string.Join(" and ", g.Select(s => s.Source))}")));
        var missing = Enumerable.Range(1, n).Except(shards.Select(s => s.Document.ShardOrWhole.Index)).ToList();
        if (missing.Count > 0)
            throw new MergeRefusedException($"missing shard{(missing.Count > 1 ? "s" : "")}: {string.Join(", ", missing.Select(i => $"{i}/{n}"))} " +
                                            $"(given: {string.Join(", ", shards.OrderBy(s => s.Document.ShardOrWhole.Index).Select(s => s.Document.ShardOrWhole.ToString()))})");

        var docs = shards.OrderBy(s => s.Document.ShardOrWhole.Index).Select(s => s.Document).ToList();
        var first = docs[0];
        // The whole run repeats with the shards' settings less the shard itself.
        var replay = first.Replay?.Where(s => s.Name != Configuration.SettingsLoader.Shard).ToList();
        var checks = docs.SelectMany(d => d.Checks).GroupBy(c => c.Id, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Check(g.ToList())).ToList();
        var markers = docs.Select(d => d.RunMarker).Distinct().ToList();
        var targets = docs.Select(d => d.Target).Distinct().ToList();
        var merged = first with
        {
            Target = string.Join(", ", targets),
            RunMarker = string.Join(",", markers),
            Coverage = docs.Select(d => d.Coverage).FirstOrDefault(c => c is not null),
            Notes = [$"merged from {n} shard(s): {string.Join(", ", docs.Select(d => $"{d.ShardOrWhole} (run marker {d.RunMarker})"))}",
                .. docs.SelectMany(d => d.Notes.Select(note => $"shard {d.ShardOrWhole}: {note}"))],
            Checks = checks,
            Replay = replay,
            ResourceConfigured = docs.All(d => d.ResourceConfigured is null) ? null : docs.Any(d => d.ResourceConfigured == true),
            SecondProjectConfigured = docs.All(d => d.SecondProjectConfigured is null) ? null : docs.Any(d => d.SecondProjectConfigured == true),
            CreateStatuses = SumCounts(docs.Select(d => d.CreateStatuses))?.OrderBy(p => int.TryParse(p.Key, out var status) ? status : 0)
                .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            SchemaRevisionProbe = SchemaProbe(docs.Select(d => d.SchemaRevisionProbe).OfType<SchemaRevisionProbeEntry>().ToList()),
            Combinations = Combinations(docs.Select(d => d.Combinations).OfType<CombinationsEntry>().ToList()),
            Shard = new ShardEntry(1, 1),
            Banner = null,
        };
        merged = merged with
        {
            Banner = $"SipConformance: merged shards {string.Join(", ", docs.Select(d => d.ShardOrWhole.ToString()))} (run markers {string.Join(", ", markers)}): " +
                     $"contract revision {first.ContractRevision}; target {merged.Target}; profile {first.Profile}, seed {first.Seed}, strict {(first.Strict ? "true" : "false")}" +
                     (first.FilterOrNone.Count == 0 ? "" : $", filter {first.FilterText}") +
                     (replay is null ? "" : $"\nSipConformance: reproduce (unsharded) with {merged.ReplayLine}"),
        };
        return merged;
    }

    /// <summary>
    /// Every shard runs the learning phase and learns the same table for one seed and one target:
    /// tables that differ mean the shards met different targets (or one changed between them), and
    /// their findings, judged against what each learned, are not parts of one run. Names what differs.
    /// </summary>
    private static void Learned(IReadOnlyList<ShardFindings> shards)
    {
        var first = shards[0];
        foreach (var other in shards.Skip(1))
        {
            if (first.Document.Learned is null && other.Document.Learned is null) continue;
            var differences = first.Document.Learned is { } a && other.Document.Learned is { } b ? a.Differences(b)
                : [$"{(first.Document.Learned is null ? first.Source : other.Source)} has no learned table"];
            if (differences.Count > 0)
                throw new MergeRefusedException($"these are not shards of one run: the learned tables differ ({first.Source} here, {other.Source} there): " +
                                                string.Join("; ", differences.Take(5)) + (differences.Count > 5 ? $"; and {differences.Count - 5} more" : ""));
        }
    }

    private static void Same(IReadOnlyList<ShardFindings> shards, string what, Func<FindingsDocument, string> of, Func<FindingsDocument, string>? shown = null)
    {
        var groups = shards.GroupBy(s => of(s.Document)).ToList();
        if (groups.Count > 1)
            throw new MergeRefusedException($"these are not shards of one run: different {what}: " +
                string.Join("; ", shards.Select(s => $"{s.Source}: {(shown ?? of)(s.Document)}")));
    }

    /// <summary>A check's rows of every shard as one: counts summed, the worst outcome (FAIL, NON-STRICT, PASS, SKIPPED), reasons and evidence combined.</summary>
    private static CheckEntry Check(IReadOnlyList<CheckEntry> rows)
    {
        var first = rows[0];
        return first with
        {
            Outcome = rows.Select(r => r.Outcome).MaxBy(o => o.Rank()),
            Passes = rows.Sum(r => r.Passes),
            Violations = rows.Sum(r => r.Violations),
            Requests = rows.Sum(r => r.Requests),
            SkipReasons = rows.SelectMany(r => r.SkipReasons).Distinct().ToList(),
            SkipSettings = rows.SelectMany(r => r.SkipSettings).Distinct().ToList(),
            Evidence = rows.SelectMany(r => r.Evidence).Take(CheckResult.KeptViolations).ToList(),
        };
    }

    private static Dictionary<string, int>? SumCounts(IEnumerable<IReadOnlyDictionary<string, int>?> tallies)
    {
        Dictionary<string, int>? sum = null;
        foreach (var t in tallies.OfType<IReadOnlyDictionary<string, int>>())
            foreach (var (k, v) in t)
            {
                sum ??= new Dictionary<string, int>(StringComparer.Ordinal);
                sum[k] = sum.GetValueOrDefault(k) + v;
            }
        return sum;
    }

    private static SchemaRevisionProbeEntry? SchemaProbe(IReadOnlyList<SchemaRevisionProbeEntry> probes) =>
        probes.Count == 0 ? null : probes[0] with
        {
            Held = probes.Sum(p => p.Held),
            Failed = probes.Sum(p => p.Failed),
            Examined = probes.Sum(p => p.Examined),
            ValidUnderRevision = probes.Sum(p => p.ValidUnderRevision),
            Unreadable = probes.Sum(p => p.Unreadable),
        };

    private static CombinationsEntry? Combinations(IReadOnlyList<CombinationsEntry> parts)
    {
        if (parts.Count == 0) return null;
        var cells = parts.SelectMany(p => p.Cells).GroupBy(c => c.Cell, StringComparer.Ordinal).Select(g =>
        {
            var list = g.ToList();
            var failures = list.SelectMany(c => c.Failures).OrderBy(f => f.Row).ToList();
            return list[0] with
            {
                Rows = list.Sum(c => c.Rows),
                FailedRows = list.Sum(c => c.FailedRows),
                Failures = failures.Take(RunDocument.KeptCellFailures).ToList(),
                // The smallest lists of the cell's first failing row, which one shard shrank.
                Smallest = list.Where(c => c.Smallest is not null).OrderBy(c => c.Failures.Count == 0 ? int.MaxValue : c.Failures.Min(f => f.Row)).Select(c => c.Smallest).FirstOrDefault(),
            };
        });
        // Cells in the contract's order (encryption, then call_handler), as a run writes them.
        var axes = parts[0];
        var ordered = cells.OrderBy(c => Index(axes.Encryptions, c.Encryption)).ThenBy(c => Index(axes.CallHandlers, c.CallHandler)).ToList();
        var sent = parts.SelectMany(p => p.Sent).GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key,
            g => (IReadOnlyDictionary<string, int>)SumCounts(g.Select(x => x.Value))!.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
        return axes with
        {
            SkippedRows = parts.Sum(p => p.SkippedRows),
            PlannedRows = parts.Sum(p => p.PlannedRows),
            SentRows = parts.Sum(p => p.SentRows),
            Cells = ordered,
            Sent = sent,
        };
    }

    private static int Index(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
            if (values[i] == value) return i;
        return int.MaxValue;
    }
}
