using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using SipConformance.Findings;
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

    /// <summary>Writes the reports into <paramref name="directory"/>; returns the paths written.</summary>
    public static IReadOnlyList<string> Write(SuiteRun run, string directory, CleanupReport? cleanup, IEnumerable<string>? notes = null)
    {
        Directory.CreateDirectory(directory);
        var strict = run.Settings.Strict;
        var paths = new List<string>();
        void Save(string name, string text)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, run.Redactor.Redact(text), new UTF8Encoding(false));
            paths.Add(path);
        }
        var noteList = (notes ?? []).ToList();
        if (cleanup is not null) noteList.Add(cleanup.ToString());

        Save("sipconformance-junit.xml", JUnit(run.Findings, strict));
        Save("sipconformance-findings.json", Json(run, cleanup, noteList));
        var md = new StringBuilder();
        md.AppendLine("# SipConformance run").AppendLine();
        md.AppendLine(run.Banner().Replace(Environment.NewLine, "\n\n", StringComparison.Ordinal)).AppendLine();
        md.AppendLine(Verdict(run.Findings, strict)).AppendLine();
        foreach (var n in noteList) md.AppendLine($"- {n}");
        md.AppendLine().AppendLine("| check | level | outcome | requests | rule |").AppendLine("|---|---|---|---:|---|");
        foreach (var r in run.Findings.All)
            md.AppendLine($"| {r.Check.Id} | {r.Check.Level.ToString().ToUpperInvariant()} | {CheckResult.Label(r.Outcome)} | {r.Requests} | {r.Check.Title.Replace("|", "\\|", StringComparison.Ordinal)} |");
        var broken = run.Findings.All.Where(r => r.Outcome is Outcome.Fail or Outcome.NonStrict).ToList();
        if (broken.Count > 0)
        {
            md.AppendLine().AppendLine("## Findings").AppendLine();
            foreach (var r in broken) md.AppendLine("```").AppendLine(r.Explain().TrimEnd()).AppendLine("```").AppendLine();
        }
        Save("sipconformance-summary.md", md.ToString());
        // report: the HTML page (built from the findings file just written) and GitHub's job summary.
        Save(Html.HtmlReport.FileName, Html.HtmlReport.Render(Html.FindingsDocument.Load(Path.Combine(directory, "sipconformance-findings.json"))));
        StepSummary.Append(run.Redactor.Redact(md.ToString()));
        return paths;
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
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
