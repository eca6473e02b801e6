using System.Text;
using System.Xml.Linq;
using SipConformance.Findings;
using SipConformance.Running;

namespace SipConformance.Reporting;

/// <summary>
/// What a run leaves for people and CI, every one rendered from the findings document alone (a
/// live run's, or shards' merged): the summary table, JUnit XML, the findings JSON, the Markdown
/// summary and the HTML page. Every byte passes through the run's redactor.
/// </summary>
public static class Reports
{
    public const string FindingsFileName = "sipconformance-findings.json";
    public const string JUnitFileName = "sipconformance-junit.xml";
    public const string SummaryFileName = "sipconformance-summary.md";

    /// <summary>The summary table: check, level, outcome, requests, title.</summary>
    public static string SummaryTable(FindingsDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var sb = new StringBuilder();
        var title = Math.Min(70, doc.Checks.Count == 0 ? 0 : doc.Checks.Max(r => r.Title.Length));
        sb.AppendLine($"{"check",-19} {"level",-6} {"outcome",-10} {"requests",8}  rule");
        foreach (var r in doc.Checks)
        {
            var t = r.Title.Length > title ? r.Title[..(title - 3)] + "..." : r.Title;
            sb.AppendLine($"{r.Id,-19} {r.Level,-6} {r.Outcome.Label(),-10} {r.Requests,8}  {t}");
        }
        return sb.ToString();
    }

    /// <summary>Writes the reports of a live run into <paramref name="directory"/>; returns the paths written.</summary>
    public static IReadOnlyList<string> Write(SuiteRun run, string directory, CleanupReport? cleanup, IEnumerable<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Write(RunDocument.Of(run, cleanup, notes), directory, run.Redactor);
    }

    /// <summary>
    /// Writes every report from a findings document: <c>sipconformance-findings.json</c>, JUnit,
    /// the Markdown summary, the HTML page, and the job summary on GitHub Actions. Every byte
    /// passes through <paramref name="redactor"/>. Returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> Write(FindingsDocument doc, string directory, Target.Redactor? redactor = null, string? stepSummaryPath = null)
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
        Save(FindingsFileName, doc.ToJson());
        var md = Markdown(doc);
        Save(SummaryFileName, md);
        Save(Html.HtmlReport.FileName, Html.HtmlReport.Render(doc));
        StepSummary.Append(r.Redact(md), stepSummaryPath);
        return paths;
    }

    /// <summary>The Markdown summary: the banner, the verdict, the notes, the table, then each finding in full.</summary>
    public static string Markdown(FindingsDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var md = new StringBuilder();
        md.AppendLine("# SipConformance run").AppendLine();
        md.AppendLine(doc.BannerOrFacts.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\n\n", StringComparison.Ordinal)).AppendLine();
        md.AppendLine(doc.Verdict).AppendLine();
        // What makes the verdict less than it seems comes first, as in the HTML report.
        foreach (var d in Html.Diagnoses.From(doc)) md.AppendLine($"> **Diagnosis ({d.Key}):** {d.Cause}; fix: {d.Fix}").AppendLine();
        foreach (var n in doc.Notes) md.AppendLine($"- {n}");
        if (doc.Learned is { } learned) Learned(md, learned);
        md.AppendLine().AppendLine("| check | level | outcome | requests | rule |").AppendLine("|---|---|---|---:|---|");
        foreach (var c in doc.Checks)
            md.AppendLine($"| {c.Id} | {c.Level} | {c.Outcome.Label()} | {c.Requests} | {c.Title.Replace("|", "\\|", StringComparison.Ordinal)} |");
        var broken = doc.Checks.Where(c => c.Outcome is Outcome.Fail or Outcome.NonStrict).ToList();
        if (broken.Count > 0)
        {
            md.AppendLine().AppendLine("## Findings").AppendLine();
            foreach (var c in broken) md.AppendLine("```").AppendLine(c.Explain().TrimEnd()).AppendLine("```").AppendLine();
        }
        return md.ToString();
    }

    /// <summary>The learned table: per string field, the classes of text and lengths stored exactly, refused, mangled, answered otherwise.</summary>
    private static void Learned(StringBuilder md, LearnedEntry learned)
    {
        static string Cell(IEnumerable<string> classes) => string.Join(", ", classes.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal))) is { Length: > 0 } s ? s : "-";
        md.AppendLine().AppendLine($"## What the target takes (learning phase: {learned.Creates} creates; the baseline payload answered {learned.BaselineStatus})").AppendLine()
          .AppendLine("| field | stored exactly | refused (422) | mangled | other |").AppendLine("|---|---|---|---|---|");
        foreach (var f in learned.Fields)
            md.AppendLine($"| {f.Field} | {Cell(f.With(LearnedEntry.Stored))} | {Cell(f.With(LearnedEntry.Refused))} | {Cell(f.With(LearnedEntry.Mangled))} | " +
                          $"{Cell(f.Classes.Where(c => c.Verdict == LearnedEntry.Other).Select(c => $"{c.Class} ({c.Status})"))} |");
    }

    /// <summary>The JUnit file: a suite per contract section, a test case per check.</summary>
    public static string JUnit(FindingsDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var strict = doc.Strict;
        var suites = new XElement("testsuites", new XAttribute("name", "SipConformance"));
        foreach (var area in doc.Checks.GroupBy(c => c.Area))
        {
            var suite = new XElement("testsuite", new XAttribute("name", area.Key),
                new XAttribute("tests", area.Count()),
                new XAttribute("failures", area.Count(c => c.FailsRun(strict))),
                new XAttribute("skipped", area.Count(c => c.Outcome == Outcome.Skipped)));
            foreach (var c in area)
            {
                var test = new XElement("testcase", new XAttribute("classname", $"SipConformance.{area.Key}"), new XAttribute("name", $"{c.Id} {c.Title}"));
                if (c.FailsRun(strict))
                    test.Add(new XElement("failure", new XAttribute("message", $"{c.Outcome.Label()}: {c.Evidence.FirstOrDefault()}"), c.Explain()));
                else if (c.Outcome == Outcome.Skipped)
                    test.Add(new XElement("skipped", new XAttribute("message", c.SkipReason!)));
                else test.Add(new XElement("system-out", c.Explain()));
                suite.Add(test);
            }
            suites.Add(suite);
        }
        suites.Add(new XAttribute("tests", doc.Checks.Count), new XAttribute("failures", doc.Checks.Count(c => c.FailsRun(strict))));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites).ToString();
    }
}
