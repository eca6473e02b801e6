using System.Text;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Rules;
using static SipConformance.Reporting.Html.HtmlText;

namespace SipConformance.Reporting;

/// <summary>
/// Live drift (`sipconf drift --live`): one target's findings under two contract revisions, side by
/// side. <see cref="DriftDocument"/> says what the contract files change per rule; this says what the
/// target did about it: a row per check with its outcome under each revision, every check whose
/// outcome differs with the contract change that explains it (or none: then the target itself answers
/// the same rule differently from one run to the other, which is a finding), and which revision the
/// target implements. It works on findings documents alone, so it judges saved runs as well as live ones.
/// </summary>
public sealed class LiveDrift
{
    public const string MarkdownFileName = "sipconformance-drift.md";
    public const string HtmlFileName = "sipconformance-drift.html";

    /// <summary>One check's outcome under each revision (null: the check is not in that run's document).</summary>
    public sealed record Row(string Id, string Level, string Title, Outcome? From, Outcome? To)
    {
        public bool Differs => From != To;
    }

    /// <summary>What a split comes from.</summary>
    public enum Cause
    {
        /// <summary>A contract change: the rule's own drift, or a difference of the files the rule or its failing cases name.</summary>
        Contract,
        /// <summary>One run could not judge the check (SKIPPED for want of what it needs, not for its revision): a knock-on of that run's other answers.</summary>
        NotJudged,
        /// <summary>No contract change explains it: the target answered the same question two ways.</summary>
        Target,
    }

    /// <summary>A check whose outcome differs, and what explains it (<see cref="Explained"/> false: no contract change does).</summary>
    public sealed record Split(Row Row, DriftDocument.Change? Change, Cause Cause, string Explanation)
    {
        public bool Explained => Cause == Cause.Contract;

        /// <summary>How the report labels it.</summary>
        public string Label => Cause switch
        {
            Cause.Contract => "explained",
            Cause.NotJudged => "not judged in one run",
            _ => "**not explained**",
        };
    }

    private LiveDrift(FindingsDocument from, FindingsDocument to)
    {
        From = from;
        To = to;
        var ids = from.Checks.Select(c => c.Id).Concat(to.Checks.Select(c => c.Id)).Distinct(StringComparer.Ordinal);
        Rows = ids.Select(id =>
        {
            var (a, b) = (from.Checks.FirstOrDefault(c => c.Id == id), to.Checks.FirstOrDefault(c => c.Id == id));
            var any = a ?? b!;
            return new Row(id, any.Level, any.Title, a?.Outcome, b?.Outcome);
        }).ToList();
        Splits = Rows.Where(r => r.Differs).Select(Explain).ToList();
    }

    /// <summary>The run held to the first revision.</summary>
    public FindingsDocument From { get; }

    /// <summary>The run held to the second revision.</summary>
    public FindingsDocument To { get; }

    public IReadOnlyList<Row> Rows { get; }

    /// <summary>The checks whose outcome differs between the two runs, each with its explanation.</summary>
    public IReadOnlyList<Split> Splits { get; }

    /// <summary>
    /// Compares two runs of one target. Refuses (ArgumentException) two runs held to the same
    /// revision: there would be no drift to explain, and the verdict would name one revision twice.
    /// </summary>
    public static LiveDrift Of(FindingsDocument from, FindingsDocument to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from.ContractRevision == to.ContractRevision)
            throw new ArgumentException($"both runs are held to {from.ContractRevision}: live drift compares two revisions");
        return new LiveDrift(from, to);
    }

    /// <summary>
    /// The checks that fail a run (FAIL: a MUST or an "either" rule broken; in strict mode also
    /// NON-STRICT, as the run's own verdict counts them): the evidence for and against a revision.
    /// </summary>
    public static IReadOnlyList<string> Failing(FindingsDocument run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Checks.Where(c => c.FailsRun(run.Strict)).Select(c => c.Id).ToList();
    }

    /// <summary>The revisions the target implements: those whose run has no failing check (<see cref="Failing"/>).</summary>
    public IReadOnlyList<string> Implements =>
        new[] { From, To }.Where(r => Failing(r).Count == 0).Select(r => r.ContractRevision).ToList();

    /// <summary>0 when the target implements at least one revision, 1 when neither (the tool's exit code).</summary>
    public bool ImplementsNeither => Implements.Count == 0;

    /// <summary>The one-line answer to "which revision does this target implement".</summary>
    public string Answer
    {
        get
        {
            var (a, b) = (From.ContractRevision, To.ContractRevision);
            var (fa, fb) = (Failing(From).Count, Failing(To).Count);
            string Fails(int n) => n == 1 ? "1 check FAILs" : $"{n} checks FAIL";
            return Implements.Count switch
            {
                2 => $"SipConformance drift: this target implements both {a} and {b} (no check FAILs under either)",
                1 when fa == 0 => $"SipConformance drift: this target implements {a}, not {b} (no check FAILs under {a}; {Fails(fb)} under {b})",
                1 => $"SipConformance drift: this target implements {b}, not {a} (no check FAILs under {b}; {Fails(fa)} under {a})",
                _ => $"SipConformance drift: this target implements neither {a} nor {b} ({Fails(fa)} under {a}, {Fails(fb)} under {b})",
            };
        }
    }

    /// <summary>
    /// Why a check's outcome differs: its rule applies in one revision only, or the revision words
    /// its clause otherwise (the per-rule drift of <see cref="DriftDocument"/>); failing that, the
    /// contract files differ in something the rule's clause names (a schema, an enum), or in an
    /// enum value its failing cases sent (a payload valid under one revision only, drawn from that
    /// revision's enum). A check one run could not judge (SKIPPED for want of what it needs) is said
    /// as such: a knock-on of that run's other answers. When none of these holds, the rule asks the
    /// same of the target under both revisions and it answered two ways: said as a finding, not
    /// explained away.
    /// </summary>
    private Split Explain(Row row)
    {
        var (a, b) = (From.ContractRevision, To.ContractRevision);
        var rule = RuleBook.All.FirstOrDefault(r => r.Id == row.Id);
        if (rule is null)
            return new Split(row, null, Cause.Target, $"no contract change explains it: {row.Id} is no rule of this rule book; compare the two runs' findings");
        var change = DriftDocument.Of(rule, a, b);
        switch (change)
        {
            case DriftDocument.Change.NoLongerApplies:
                return new Split(row, change, Cause.Contract, $"the rule applies only in {a} (SKIPPED \"{Rule.NotInRevision(b)}\" under {b}): {rule.ClauseIn(a)}");
            case DriftDocument.Change.NewlyApplies:
                return new Split(row, change, Cause.Contract, $"the rule applies only in {b} (SKIPPED \"{Rule.NotInRevision(a)}\" under {a}): {rule.ClauseIn(b)}");
            case DriftDocument.Change.ExpectationChanged:
                return new Split(row, change, Cause.Contract, $"the rule's expectation changed: {a}: {rule.ClauseIn(a)} / {b}: {rule.ClauseIn(b)}");
        }
        var differences = ContractDifferences(a, b);
        var named = differences.Where(d => d.CoveredBy.Contains(rule.Id)).Select(d => d.What).ToList();
        if (named.Count > 0)
            return new Split(row, change, Cause.Contract, $"the rule's clause is the same in both, but the contract files differ in what it names: {string.Join("; ", named)}");
        var sent = new[] { (Run: From, Revision: a), (Run: To, Revision: b) }
            .SelectMany(r => EnumValuesSent(r.Run, row.Id, differences).Select(d => $"under {r.Revision} its failing cases sent `{EnumValue(d.What)}` (the contract change: {d.What})"))
            .Distinct().ToList();
        if (sent.Count > 0)
            return new Split(row, change, Cause.Contract, $"the rule is the same in both, but {string.Join("; ", sent)}: a value only one revision's enum has");
        var skipped = new[] { (Run: From, Revision: a), (Run: To, Revision: b) }
            .Select(r => (r.Revision, Entry: r.Run.Checks.FirstOrDefault(c => c.Id == row.Id)))
            .FirstOrDefault(r => r.Entry is { Outcome: Outcome.Skipped });
        if (skipped.Entry is { } entry)
            return new Split(row, change, Cause.NotJudged, $"not judged under {skipped.Revision} (SKIPPED: {entry.SkipReason}): a knock-on of that run's other answers, not a contract change");
        return new Split(row, change, Cause.Target,
            $"no contract change explains it: the rule is the same in {a} and {b} (\"{rule.Clause}\"), yet the target answered it differently in the two runs (a finding about the target, not the contract)" +
            ShapeHint(row, differences));
    }

    /// <summary>
    /// A rule whose clause is the same in both revisions still reads the answer where its run's
    /// revision keeps the endpoint's fields: when the side that broke it is a run whose answers fail
    /// that revision's schema, the split is most likely a knock-on of that. Said beside the finding
    /// (the target does not answer in that revision's shape), never instead of it.
    /// </summary>
    private string ShapeHint(Row row, IReadOnlyList<DriftDocument.Difference> differences)
    {
        var schemaRules = differences.Where(d => d.Kind == "response" && d.What.Contains("schema:", StringComparison.Ordinal)).SelectMany(d => d.CoveredBy).Distinct().ToList();
        var hints = new[] { (Run: From, Outcome: row.From), (Run: To, Outcome: row.To) }
            .Where(r => r.Outcome is Outcome.Fail or Outcome.NonStrict)
            .Select(r => (r.Run.ContractRevision, Schema: r.Run.Checks
                .Where(c => c.Outcome == Outcome.Fail && c.Id != row.Id && schemaRules.Contains(c.Id) && RuleBook.All.Any(k => k.Id == c.Id && k.AppliesIn(r.Run.ContractRevision)))
                .Select(c => c.Id).ToList()))
            .Where(h => h.Schema.Count > 0)
            .Select(h => $"; likely a knock-on: under {h.ContractRevision} the target's answers fail that revision's shape ({string.Join(", ", h.Schema)} FAIL), and the rule reads the answer where {h.ContractRevision} keeps the fields");
        return string.Concat(hints);
    }

    /// <summary>The enum differences (a value one revision has and the other lacks) whose value the check's kept violations in a run mention.</summary>
    private static IEnumerable<DriftDocument.Difference> EnumValuesSent(FindingsDocument run, string id, IReadOnlyList<DriftDocument.Difference> differences)
    {
        var entry = run.Checks.FirstOrDefault(c => c.Id == id);
        if (entry is null || entry.Evidence.Count == 0) return [];
        var text = string.Join("\n", entry.Evidence.Select(v => v.Case + " " + v.Message));
        return differences.Where(d => d.Kind == "enum" && EnumValue(d.What) is { } v && text.Contains(v, StringComparison.Ordinal));
    }

    /// <summary>The value of an enum difference ("`codecs` gains `OPUS@48000H@20I`": OPUS@48000H@20I).</summary>
    private static string? EnumValue(string what) =>
        System.Text.RegularExpressions.Regex.Match(what, "^`[^`]+` (?:gains|loses) `([^`]+)`$") is { Success: true } m ? m.Groups[1].Value : null;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), IReadOnlyList<DriftDocument.Difference>> Differences = new();

    private static IReadOnlyList<DriftDocument.Difference> ContractDifferences(string a, string b) =>
        Differences.GetOrAdd((a, b), k => DriftDocument.Differences(SipContract.Of(k.Item1), SipContract.Of(k.Item2)));

    private static string Label(Outcome? o) => o?.Label() ?? "not run";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>How many checks differ, and how many of them each cause explains.</summary>
    public string SplitCounts =>
        $"{Splits.Count} check(s) differ between the two runs: {Splits.Count(s => s.Cause == Cause.Contract)} explained by a contract change, " +
        $"{Splits.Count(s => s.Cause == Cause.NotJudged)} not judged in one run, {Splits.Count(s => s.Cause == Cause.Target)} no contract change explains.";

    /// <summary>The verdict's evidence: per revision, the checks that fail its run.</summary>
    public IEnumerable<string> Evidence() =>
        new[] { From, To }.Select(r => Failing(r) is { Count: > 0 } f
            ? $"FAIL under {r.ContractRevision} ({f.Count}): {string.Join(", ", f)}"
            : $"FAIL under {r.ContractRevision}: none");

    /// <summary>The report as Markdown: the answer, its evidence, the two runs, the drift section, then the table of every check.</summary>
    public string Markdown()
    {
        var (a, b) = (From.ContractRevision, To.ContractRevision);
        var md = new StringBuilder();
        md.AppendLine($"# SipConformance drift: {a} and {b}, live").AppendLine();
        md.AppendLine(Answer).AppendLine();
        foreach (var line in Evidence()) md.AppendLine($"- {line}");
        md.AppendLine();
        foreach (var run in new[] { From, To })
            md.AppendLine($"- held to {run.ContractRevision}: {run.Verdict} (target {run.Target}, profile {run.Profile}, seed {run.Seed}, run marker {run.RunMarker})");
        md.AppendLine().AppendLine("## Drift").AppendLine();
        md.AppendLine(SplitCounts).AppendLine();
        foreach (var s in Splits)
        {
            md.AppendLine($"- **{s.Row.Id}** [{s.Row.Level}] {s.Row.Title}: {Label(s.Row.From)} under {a}, {Label(s.Row.To)} under {b}")
              .AppendLine($"  {s.Label}: {s.Explanation}");
        }
        md.AppendLine().AppendLine("## Every check").AppendLine();
        md.AppendLine($"| check | level | {a} | {b} | rule |").AppendLine("|---|---|---|---|---|");
        foreach (var r in Rows)
            md.AppendLine($"| {r.Id} | {r.Level} | {(r.Differs ? $"**{Label(r.From)}**" : Label(r.From))} | {(r.Differs ? $"**{Label(r.To)}**" : Label(r.To))} | {Cell(r.Title)} |");
        return md.ToString();
    }

    /// <summary>
    /// The report as one HTML page: the answer and the drift section, then the report's own page for
    /// the two runs (a column per revision, each cell opening the check's details), in its style.
    /// </summary>
    public string Html() => Reporting.Html.HtmlReport.Render([From, To], preface: sb =>
    {
        var (a, b) = (From.ContractRevision, To.ContractRevision);
        sb.Append($"<section id=\"drift\">\n<div class=\"verdict {(ImplementsNeither ? "fail" : "pass")}\">{E(Answer)}</div>\n<ul>")
          .Append(string.Concat(Evidence().Select(e => $"<li>{E(e)}</li>"))).Append("</ul>\n")
          .Append($"<h2>Drift</h2>\n<p>Run 1 is held to {E(a)}, run 2 to {E(b)}. {E(SplitCounts)}</p>\n")
          .Append($"<table class=\"grid\">\n<thead><tr><th>check</th><th>level</th><th>{E(a)}</th><th>{E(b)}</th><th>explanation</th></tr></thead>\n<tbody>\n");
        foreach (var s in Splits)
            sb.Append($"<tr data-check=\"{E(s.Row.Id)}\"><td><code>{E(s.Row.Id)}</code></td><td>{E(s.Row.Level)}</td>")
              .Append($"<td class=\"cell {(s.Row.From is { } f ? OutcomeClass(f) : "missing")}\">{E(Label(s.Row.From))}</td>")
              .Append($"<td class=\"cell {(s.Row.To is { } t ? OutcomeClass(t) : "missing")}\">{E(Label(s.Row.To))}</td>")
              .Append($"<td>{(s.Cause == Cause.Target ? "<strong>not explained</strong>: " : "")}{E(s.Explanation)}</td></tr>\n");
        sb.Append("</tbody>\n</table>\n</section>\n");
    });
}
