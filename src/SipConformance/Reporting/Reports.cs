using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using SipConformance.Findings;
using SipConformance.Reporting.Html;
using SipConformance.Running;
using SipConformance.Running.Probes;

namespace SipConformance.Reporting;

/// <summary>
/// What a run leaves for people and CI: a summary table (check, level, outcome, requests), a
/// JUnit XML file, a JSON file of every finding and a Markdown summary. Every byte passes through
/// the run's redactor.
/// </summary>
public static class Reports
{
    public static string Verdict(RunFindings findings, bool strict)
    {
        var all = findings.All;
        int Count(Outcome o) => all.Count(r => r.Outcome == o);
        var failed = findings.FailsRun(strict);
        return $"SipConformance verdict: {(failed ? "FAIL" : "PASS")}{(strict ? " (strict)" : "")}: {all.Count} checks, {Count(Outcome.Pass)} PASS, {Count(Outcome.Fail)} FAIL, " +
               $"{Count(Outcome.NonStrict)} NON-STRICT, {Count(Outcome.Skipped)} SKIPPED";
    }

    public static string SummaryTable(RunFindings findings)
    {
        var rows = findings.All;
        var sb = new StringBuilder();
        var title = Math.Min(70, rows.Max(r => r.Check.Title.Length));
        sb.AppendLine($"{"check",-19} {"level",-6} {"outcome",-10} {"requests",8}  rule");
        foreach (var r in rows)
        {
            var t = r.Check.Title.Length > title ? r.Check.Title[..(title - 3)] + "..." : r.Check.Title;
            sb.AppendLine($"{r.Check.Id,-19} {r.Check.Level.ToString().ToUpperInvariant(),-6} {CheckResult.Label(r.Outcome),-10} {r.Requests,8}  {t}");
        }
        return sb.ToString();
    }

    /// <summary>The verdict line of a findings document (a run's, or several shards' merged), as a run prints it.</summary>
    public static string Verdict(FindingsDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        int Count(Outcome o) => doc.Checks.Count(c => c.Outcome == CheckResult.Label(o));
        var failed = doc.Checks.Any(c => FailsRun(c, doc.Strict));
        return $"SipConformance verdict: {(failed ? "FAIL" : "PASS")}{(doc.Strict ? " (strict)" : "")}: {doc.Checks.Count} checks, {Count(Outcome.Pass)} PASS, {Count(Outcome.Fail)} FAIL, " +
               $"{Count(Outcome.NonStrict)} NON-STRICT, {Count(Outcome.Skipped)} SKIPPED";
    }

    /// <summary>Whether a check's row fails the run (NON-STRICT only in strict mode).</summary>
    public static bool FailsRun(CheckEntry c, bool strict) =>
        c.Outcome == CheckResult.Label(Outcome.Fail) || (strict && c.Outcome == CheckResult.Label(Outcome.NonStrict));

    /// <summary>The summary table of a findings document (the same columns as <see cref="SummaryTable(RunFindings)"/>).</summary>
    public static string SummaryTable(FindingsDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var sb = new StringBuilder();
        var title = Math.Min(70, doc.Checks.Count == 0 ? 0 : doc.Checks.Max(r => r.Title.Length));
        sb.AppendLine($"{"check",-19} {"level",-6} {"outcome",-10} {"requests",8}  rule");
        foreach (var r in doc.Checks)
        {
            var t = r.Title.Length > title ? r.Title[..(title - 3)] + "..." : r.Title;
            sb.AppendLine($"{r.Id,-19} {r.Level,-6} {r.Outcome,-10} {r.Requests,8}  {t}");
        }
        return sb.ToString();
    }

    /// <summary>Writes the reports of a live run into <paramref name="directory"/>; returns the paths written.</summary>
    public static IReadOnlyList<string> Write(SuiteRun run, string directory, CleanupReport? cleanup, IEnumerable<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var noteList = (notes ?? []).ToList();
        if (cleanup is not null) noteList.Add(cleanup.ToString());
        var json = run.Redactor.Redact(Json(run, cleanup, noteList));
        return Write(FindingsDocument.Parse(json), directory, run.Redactor, json);
    }

    /// <summary>
    /// Writes every report from a findings document alone (a live run's, or shards' merged):
    /// <c>sipconformance-findings.json</c> (<paramref name="json"/> when given, else the document
    /// serialized), JUnit, the Markdown summary, the HTML page, and the job summary on GitHub
    /// Actions. Every byte passes through <paramref name="redactor"/>. Returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> Write(FindingsDocument doc, string directory, Target.Redactor? redactor = null, string? json = null, string? stepSummaryPath = null)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var r = redactor ?? Target.Redactor.Nothing;
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        void Save(string name, string text)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, r.Redact(text), new UTF8Encoding(false));
            paths.Add(path);
        }
        Save(JUnitFileName, JUnit(doc));
        Save(FindingsFileName, json ?? doc.ToJson());
        var md = Markdown(doc);
        Save(SummaryFileName, md);
        // report: the HTML page (built from the findings document) and GitHub's job summary.
        Save(Html.HtmlReport.FileName, Html.HtmlReport.Render(doc));
        StepSummary.Append(r.Redact(md), stepSummaryPath);
        return paths;
    }

    public const string FindingsFileName = "sipconformance-findings.json";
    public const string JUnitFileName = "sipconformance-junit.xml";
    public const string SummaryFileName = "sipconformance-summary.md";

    /// <summary>The Markdown summary: the banner, the verdict, the notes, the table, then each finding in full.</summary>
    public static string Markdown(FindingsDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var md = new StringBuilder();
        md.AppendLine("# SipConformance run").AppendLine();
        md.AppendLine(BannerOf(doc).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\n\n", StringComparison.Ordinal)).AppendLine();
        md.AppendLine(doc.Verdict).AppendLine();
        foreach (var n in doc.Notes) md.AppendLine($"- {n}");
        md.AppendLine().AppendLine("| check | level | outcome | requests | rule |").AppendLine("|---|---|---|---:|---|");
        foreach (var c in doc.Checks)
            md.AppendLine($"| {c.Id} | {c.Level} | {c.Outcome} | {c.Requests} | {c.Title.Replace("|", "\\|", StringComparison.Ordinal)} |");
        var broken = doc.Checks.Where(c => c.Outcome == CheckResult.Label(Outcome.Fail) || c.Outcome == CheckResult.Label(Outcome.NonStrict)).ToList();
        if (broken.Count > 0)
        {
            md.AppendLine().AppendLine("## Findings").AppendLine();
            foreach (var c in broken) md.AppendLine("```").AppendLine(Explain(c).TrimEnd()).AppendLine("```").AppendLine();
        }
        return md.ToString();
    }

    /// <summary>The banner the document carries, or one made of its facts (documents of older runs have none).</summary>
    private static string BannerOf(FindingsDocument doc) => doc.Banner ??
        $"SipConformance: contract revision {doc.ContractRevision}; target {doc.Target}; profile {doc.Profile}, seed {doc.Seed}, strict {(doc.Strict ? "true" : "false")}; run marker {doc.RunMarker}";

    /// <summary>A check's row explained as <see cref="CheckResult.Explain"/> does: the rule, then each kept violation with its evidence.</summary>
    public static string Explain(CheckEntry c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var sb = new StringBuilder();
        sb.AppendLine($"{c.Id} [{c.Level}] {c.Title}: {c.Outcome}");
        sb.AppendLine($"  contract: {c.Clause}");
        if (c.Outcome == CheckResult.Label(Outcome.Pass)) sb.AppendLine($"  held {c.Passes} time(s) over {c.Requests} request(s)");
        else if (c.Outcome == CheckResult.Label(Outcome.Skipped)) sb.AppendLine($"  skipped: {c.SkipReason ?? "nothing the check applies to was observed in this run"}");
        else
        {
            sb.AppendLine($"  broken {c.Violations} time(s) (held {c.Passes}); the first {c.Evidence.Count}:");
            foreach (var v in c.Evidence)
            {
                sb.AppendLine($"  - {v.Case}: {v.Message}");
                if (v.Exchange is not null)
                    foreach (var line in v.Exchange.Split('\n'))
                        sb.AppendLine("      " + line.TrimEnd('\r'));
            }
        }
        return sb.ToString();
    }

    public static string JUnit(RunFindings findings, bool strict)
    {
        var suites = new XElement("testsuites", new XAttribute("name", "SipConformance"));
        foreach (var area in findings.All.GroupBy(r => r.Check.Section.Name))
        {
            var suite = new XElement("testsuite", new XAttribute("name", area.Key),
                new XAttribute("tests", area.Count()),
                new XAttribute("failures", area.Count(r => r.FailsRun(strict))),
                new XAttribute("skipped", area.Count(r => r.Outcome == Outcome.Skipped)));
            foreach (var r in area)
            {
                var test = new XElement("testcase", new XAttribute("classname", $"SipConformance.{area.Key}"), new XAttribute("name", $"{r.Check.Id} {r.Check.Title}"));
                if (r.FailsRun(strict)) test.Add(new XElement("failure", new XAttribute("message", $"{CheckResult.Label(r.Outcome)}: {r.Violations.FirstOrDefault()}"), r.Explain()));
                else if (r.Outcome == Outcome.Skipped) test.Add(new XElement("skipped", new XAttribute("message", r.SkipReason)));
                else test.Add(new XElement("system-out", r.Explain()));
                suite.Add(test);
            }
            suites.Add(suite);
        }
        suites.Add(new XAttribute("tests", findings.All.Count), new XAttribute("failures", findings.All.Count(r => r.FailsRun(strict))));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites).ToString();
    }

    /// <summary>The JUnit file of a findings document: the same suites and cases as <see cref="JUnit(RunFindings, bool)"/>.</summary>
    public static string JUnit(FindingsDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var strict = doc.Strict;
        var suites = new XElement("testsuites", new XAttribute("name", "SipConformance"));
        foreach (var area in doc.Checks.GroupBy(c => c.Area))
        {
            var suite = new XElement("testsuite", new XAttribute("name", area.Key),
                new XAttribute("tests", area.Count()),
                new XAttribute("failures", area.Count(c => FailsRun(c, strict))),
                new XAttribute("skipped", area.Count(c => c.Outcome == CheckResult.Label(Outcome.Skipped))));
            foreach (var c in area)
            {
                var test = new XElement("testcase", new XAttribute("classname", $"SipConformance.{area.Key}"), new XAttribute("name", $"{c.Id} {c.Title}"));
                if (FailsRun(c, strict))
                    test.Add(new XElement("failure", new XAttribute("message", $"{c.Outcome}: {(c.Evidence.FirstOrDefault() is { } v ? $"{v.Case}: {v.Message}" : "")}"), Explain(c)));
                else if (c.Outcome == CheckResult.Label(Outcome.Skipped))
                    test.Add(new XElement("skipped", new XAttribute("message", c.SkipReason ?? "nothing the check applies to was observed in this run")));
                else test.Add(new XElement("system-out", Explain(c)));
                suite.Add(test);
            }
            suites.Add(suite);
        }
        suites.Add(new XAttribute("tests", doc.Checks.Count), new XAttribute("failures", doc.Checks.Count(c => FailsRun(c, strict))));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites).ToString();
    }

    /// <summary>How the findings file is written: indented, non-ASCII text as is.</summary>
    public static readonly JsonSerializerOptions JsonOutput = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Json(SuiteRun run, CleanupReport? cleanup, IReadOnlyList<string> notes)
    {
        var combos = run.Probes.OfType<CombinationProbe>().FirstOrDefault();
        var doc = new JsonObject
        {
            ["contract_revision"] = run.Contract.Revision,
            ["target"] = run.Settings.IsEmbedded ? "embedded reference server" : run.Target.BaseUrl.ToString(),
            ["project_id"] = run.Target.Primary.ProjectId,
            ["profile"] = run.Settings.EffectiveProfile.ToString().ToLowerInvariant(),
            ["seed"] = run.Settings.Seed,
            ["run_marker"] = run.Identity.Marker,
            ["strict"] = run.Settings.Strict,
            ["shard"] = new JsonObject { ["index"] = run.Shard.Index, ["count"] = run.Shard.Count },
            ["banner"] = run.Banner(),
            ["verdict"] = Verdict(run.Findings, run.Settings.Strict),
            ["coverage"] = combos?.Coverage,
            ["notes"] = new JsonArray(notes.Select(n => (JsonNode)n!).ToArray()),
            ["checks"] = new JsonArray(run.Findings.All.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Check.Id,
                ["level"] = r.Check.Level.ToString().ToUpperInvariant(),
                ["area"] = r.Check.Section.Name,
                ["title"] = r.Check.Title,
                ["clause"] = r.Check.Clause,
                ["outcome"] = CheckResult.Label(r.Outcome),
                ["passes"] = r.Passes,
                ["violations"] = r.ViolationCount,
                ["requests"] = r.Requests,
                ["skip_reason"] = r.Outcome == Outcome.Skipped ? r.SkipReason : null,
                ["evidence"] = new JsonArray(r.Violations.Select(v => (JsonNode)new JsonObject { ["case"] = v.Case, ["message"] = v.Message, ["exchange"] = v.Evidence }).ToArray()),
            }).ToArray()),
        };
        FindingsExtras.AddTo(doc, run); // report: the HTML report's fields (additive)
        return doc.ToJsonString(JsonOutput);
    }
}
