using System.Collections.Concurrent;
using SipConformance.Cases;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Generation;
using SipConformance.Generation.Combinatorics;
using SipConformance.Rules;

namespace SipConformance.Running.Probes;

/// <summary>What the sweep saw in one cell (one encryption x call_handler pair).</summary>
public sealed class CellReport(string cell)
{
    private readonly ConcurrentBag<(ComboRow Row, IReadOnlyList<Rule> Broken)> _failures = [];
    private int _rows;

    public string Cell => cell;
    public int Rows => _rows;
    public IReadOnlyList<(ComboRow Row, IReadOnlyList<Rule> Broken)> Failures => _failures.OrderBy(f => f.Row.Index).ToList();

    /// <summary>The smallest cipher and codec lists that still break the first failing row's first check (null until shrunk).</summary>
    public (IReadOnlyList<string> Ciphers, IReadOnlyList<string> Codecs, Rule Check)? Smallest { get; internal set; }

    internal void Count() => Interlocked.Increment(ref _rows);
    internal void Fail(ComboRow row, IReadOnlyList<Rule> broken) => _failures.Add((row, broken));

    public string Describe()
    {
        var failures = Failures;
        if (failures.Count == 0) return $"{cell}: {Rows} row(s), all held";
        var sb = new System.Text.StringBuilder($"{cell}: {failures.Count} of {Rows} row(s) broke a rule");
        foreach (var (row, broken) in failures.Take(5))
            sb.Append($"\n  - row {row}: {string.Join(", ", broken.Select(b => b.Id).Distinct())}");
        if (Smallest is { } s)
            sb.Append($"\n  smallest failing lists for {s.Check.Id}: ciphers=[{string.Join(",", s.Ciphers)}], codecs=[{string.Join(",", s.Codecs)}]");
        return sb.ToString();
    }
}

/// <summary>
/// The enum-combination sweep: every row of the profile's covering array (or the full product)
/// is created, read back and judged; a failing cell's first failing row is shrunk to the smallest
/// cipher and codec lists that still fail.
/// </summary>
public sealed class CombinationProbe : Probe
{
    public override string Name => "combinations";

    /// <summary>Valid payloads (a row with an empty list is CREATE-VAL-014's): every 200 rule, and the 422 rules for those rows.</summary>
    public override bool Feeds(Rule rule) => Feeding.Creates(rule) || rule == Validation.EmptyList;

    /// <summary>The profile's rows the shard sends: each a case the contract lets be a 200 (one with an empty list may be refused).</summary>
    public override long PlannedRequests(SuiteRun run, Configuration.Profile profile, Configuration.Shard shard) =>
        SentRows(run, CombinationPlan.For(run.Contract, profile), shard).Sum(r => r.Ciphers.Count == 0 || r.Codecs.Count == 0 ? 1L : AcceptedCaseRequests);

    public ConcurrentDictionary<string, CellReport> Cells { get; } = new();
    public CombinationPlan? Plan { get; private set; }
    public int SkippedRows { get; private set; }

    /// <summary>"t=2 tuples covered: N/N" for the plan's own strength (measured over the rows sent).</summary>
    public string? Coverage { get; private set; }

    public override async Task RunAsync(SuiteRun run, CancellationToken ct)
    {
        var plan = CombinationPlan.For(run.Contract, run.Settings.EffectiveProfile);
        Plan = plan;
        foreach (var e in run.Contract.Encryptions)
            foreach (var h in run.Contract.CallHandlers)
                Cells[Cell(e, h)] = new CellReport(Cell(e, h));
        if (plan.Profile != Configuration.Profile.Exhaustive)
            Coverage = plan.Coverage(plan.Strength).ToString();
        var skipped = 0;
        var rows = ShardRows(plan, run.Shard).Where(r =>
        {
            if (run.ResourceAvailable || r.CallHandler != CallHandlerValues.Resource) return true;
            Interlocked.Increment(ref skipped);
            return false;
        });
        var firstFailure = new ConcurrentDictionary<string, (ComboRow, Rule)>();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = run.Settings.CasesUnderWay }, async (row, _) =>
        {
            var result = await run.ExecuteAsync(Case(run, row, row.Ciphers, row.Codecs), ct).ConfigureAwait(false);
            var cell = Cells[row.Cell];
            cell.Count();
            if (result.Broken.Count == 0) return;
            var failing = result.Broken.Where(b => b.Level != Level.Should).ToList();
            if (failing.Count > 0)
            {
                cell.Fail(row, failing);
                firstFailure.TryAdd(row.Cell, (row, failing.FirstOrDefault(b => b != Http.CompleteAnswer) ?? failing[0]));
            }
        }).ConfigureAwait(false);
        SkippedRows = skipped;
        if (skipped > 0)
            foreach (var cell in Cells.Values.Where(c => c.Cell.EndsWith("=" + CallHandlerValues.Resource, StringComparison.Ordinal)))
                run.Findings.Skip(Echo.ResourceId, $"{skipped} combination row(s) with call_handler resource not sent: set {Configuration.SettingsLoader.ResourceId}");

        // Shrinking re-sends: not for a target that failed to answer (every retry would wait out a timeout).
        foreach (var (cellName, (row, check)) in firstFailure.OrderBy(f => f.Key))
            if (!ct.IsCancellationRequested && check != Http.CompleteAnswer && !run.TargetStopped)
                Cells[cellName].Smallest = await ShrinkAsync(run, row, check, ct).ConfigureAwait(false);
    }

    /// <summary>The plan's rows that <paramref name="shard"/> sends (row index modulo the shard count).</summary>
    public static IEnumerable<ComboRow> ShardRows(CombinationPlan plan, Configuration.Shard shard) => plan.Rows().Where(r => shard.Owns(r.Index));

    /// <summary>The rows the run's shard sends of the plan, less those it cannot (call_handler resource without a resource id).</summary>
    public static IEnumerable<ComboRow> SentRows(SuiteRun run, CombinationPlan plan, Configuration.Shard shard) =>
        ShardRows(plan, shard).Where(r => run.ResourceAvailable || r.CallHandler != CallHandlerValues.Resource);

    public static string Cell(string encryption, string callHandler) => $"encryption={encryption}, call_handler={callHandler}";

    /// <summary>The case of a row (with the cipher and codec lists given: a shrink step sends fewer).</summary>
    public static CreateCase Case(SuiteRun run, ComboRow row, IReadOnlyList<string> ciphers, IReadOnlyList<string> codecs) =>
        CaseBuilder.Valid(run.Payloads, run.Target.Primary, "combination", row.Index, new EnumChoice(row.Encryption, row.CallHandler, ciphers, codecs))
            .Named($"ciphers=[{string.Join(",", ciphers)}], codecs=[{string.Join(",", codecs)}]")
            .From($"{row.Origin}, seed {run.Settings.Seed}").InCell(row.Cell)
            .Build(ciphers.Count == 0 || codecs.Count == 0 ? Validation.EmptyList : Success.Status);

    /// <summary>Greedy one-at-a-time removal: keeps dropping list values while the same check still breaks.</summary>
    private static async Task<(IReadOnlyList<string>, IReadOnlyList<string>, Rule)> ShrinkAsync(SuiteRun run, ComboRow row, Rule check, CancellationToken ct)
    {
        var ciphers = row.Ciphers.ToList();
        var codecs = row.Codecs.ToList();
        var attempts = 0;
        for (var changed = true; changed && attempts < 40;)
        {
            changed = false;
            foreach (var (list, value) in ciphers.Select(c => (ciphers, c)).Concat(codecs.Select(c => (codecs, c))).ToList())
            {
                if (attempts++ >= 40 || ct.IsCancellationRequested) break;
                var candidateCiphers = list == ciphers ? ciphers.Where(c => c != value).ToList() : ciphers;
                var candidateCodecs = list == codecs ? codecs.Where(c => c != value).ToList() : codecs;
                var scratch = new RunFindings();
                var result = await run.ExecuteAsync(Case(run, row, candidateCiphers, candidateCodecs), ct, into: scratch).ConfigureAwait(false);
                if (result.Broken.Contains(check))
                {
                    ciphers = candidateCiphers;
                    codecs = candidateCodecs;
                    changed = true;
                    break;
                }
            }
        }
        return (ciphers, codecs, check);
    }
}
