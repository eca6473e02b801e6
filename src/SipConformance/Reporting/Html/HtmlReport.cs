using SipConformance.Findings;
using System.Text;
using SipConformance.Contract;
using static SipConformance.Reporting.Html.HtmlText;

namespace SipConformance.Reporting.Html;

/// <summary>
/// The HTML report: one self-contained page (inline style and script, a Content-Security-Policy
/// that lets it load nothing) built from findings documents. Top: each run's verdict, target,
/// contract revision, profile, seed and replay line; then the diagnoses; then the grid of checks
/// by contract section, one column per run (Autobahn-style), each cell opening the check's
/// details; then the combination heatmaps and how often each cipher and codec was sent.
/// </summary>
public static class HtmlReport
{
    public const string FileName = "sipconformance-report.html";

    public static string Render(FindingsDocument run, SipContract? contract = null) => Render([run], contract);

    /// <summary>
    /// Several runs on one page: one column of the grid per run, in the order given.
    /// <paramref name="preface"/> writes what goes between the title and the runs (live drift's answer
    /// and drift section), so a page about several runs keeps the report's style, grid and details.
    /// </summary>
    public static string Render(IReadOnlyList<FindingsDocument> runs, SipContract? contract = null, Action<StringBuilder>? preface = null)
    {
        if (runs.Count == 0) throw new ArgumentException("no run to report", nameof(runs));
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append($"<meta http-equiv=\"Content-Security-Policy\" content=\"{E(HtmlAssets.ContentSecurityPolicy)}\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append($"<title>SipConformance report: {E(string.Join(", ", runs.Select(r => r.Verdict)))}</title>\n")
          .Append("<style>").Append(HtmlAssets.Style).Append("</style>\n</head>\n<body>\n")
          .Append("<h1>SipConformance report</h1>\n");
        preface?.Invoke(sb);
        sb.Append("<div class=\"runs\">\n");
        for (var i = 0; i < runs.Count; i++) Header(sb, runs[i], Label(runs, i));
        sb.Append("</div>\n");
        sb.Append("<section id=\"diagnoses\">\n<h2>Diagnoses</h2>\n");
        for (var i = 0; i < runs.Count; i++) DiagnosesOf(sb, Diagnoses.From(runs[i], contract), Label(runs, i), runs.Count > 1);
        sb.Append("</section>\n");
        Learned(sb, runs);
        HtmlGrid.Write(sb, runs, i => Label(runs, i));
        HtmlCombinations.Write(sb, runs, i => Label(runs, i));
        sb.Append("<script>").Append(HtmlAssets.Script).Append("</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>How the page names a run: "run 1" and its profile, seed and marker.</summary>
    public static string Label(IReadOnlyList<FindingsDocument> runs, int i) => $"run {i + 1} ({runs[i].Profile}, seed {runs[i].Seed}, {runs[i].RunMarker})";

    private static void Header(StringBuilder sb, FindingsDocument r, string label)
    {
        sb.Append($"<section class=\"run\" data-run=\"{E(label)}\">\n")
          .Append($"<div class=\"verdict {(r.Failed ? "fail" : "pass")}\">{E(r.Verdict)}</div>\n<table class=\"facts\">\n");
        void Row(string name, string? value)
        {
            if (value is not null) sb.Append($"<tr><th>{E(name)}</th><td>{E(value)}</td></tr>\n");
        }
        Row("run", label);
        Row("target", r.Target);
        Row("project", r.ProjectId);
        Row("contract revision", r.ContractRevision);
        Row("profile", r.Profile);
        Row("seed", r.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Row("run marker", r.RunMarker);
        Row("strict", r.Strict ? "true" : "false");
        Row("filter", r.FilterOrNone.Count == 0 ? null : $"{r.FilterText}: {r.Checks.Count(c => !FindingsDocument.LeftOut(c))} of {r.Checks.Count} checks run, the others SKIPPED (not run)");
        Row("coverage", r.Coverage);
        sb.Append("</table>\n");
        if (r.Replay is not null) sb.Append($"<p>replay: <code class=\"replay\">{E(r.ReplayLine)} {E(FindingsDocument.SuiteCommand)}</code></p>\n");
        if (r.Notes.Count > 0) sb.Append("<ul class=\"notes\">").Append(string.Concat(r.Notes.Select(n => $"<li>{E(n)}</li>"))).Append("</ul>\n");
        sb.Append("</section>\n");
    }

    /// <summary>
    /// What the learning phase found each string field takes: one table per run, a row per class of
    /// text or length, a column per field, each cell its verdict (stored, refused, mangled, other with its status).
    /// </summary>
    private static void Learned(StringBuilder sb, IReadOnlyList<FindingsDocument> runs)
    {
        if (runs.All(r => r.Learned is null)) return;
        sb.Append("<section id=\"learned\">\n<h2>What the target takes (learning phase)</h2>\n");
        for (var i = 0; i < runs.Count; i++)
        {
            if (runs[i].Learned is not { } learned) continue;
            var label = Label(runs, i);
            if (runs.Count > 1) sb.Append($"<h3>{E(label)}</h3>\n");
            sb.Append($"<p>{learned.Creates} creates; the baseline payload was answered {learned.BaselineStatus}.</p>\n")
              .Append($"<table class=\"learned\" data-run=\"{E(label)}\">\n<tr><th>class</th>");
            foreach (var f in learned.Fields) sb.Append($"<th>{E(f.Field)}</th>");
            sb.Append("</tr>\n");
            foreach (var name in learned.Fields.SelectMany(f => f.Classes.Select(c => c.Class)).Distinct(StringComparer.Ordinal))
            {
                sb.Append($"<tr><th>{E(name)}</th>");
                foreach (var f in learned.Fields)
                {
                    var c = f.Classes.FirstOrDefault(x => x.Class == name);
                    sb.Append(c is null ? "<td class=\"learned-none\">-</td>"
                        : $"<td class=\"learned-{E(c.Verdict)}\" data-field=\"{E(f.Field)}\" data-class=\"{E(name)}\" data-verdict=\"{E(c.Verdict)}\">{E(c.Describe())}</td>");
                }
                sb.Append("</tr>\n");
            }
            sb.Append("</table>\n");
        }
        sb.Append("</section>\n");
    }

    private static void DiagnosesOf(StringBuilder sb, IReadOnlyList<Diagnosis> diagnoses, string label, bool named)
    {
        if (named) sb.Append($"<h3>{E(label)}</h3>\n");
        if (diagnoses.Count == 0)
        {
            sb.Append("<p class=\"no-diagnosis\">Nothing found that makes the verdict less than it seems.</p>\n");
            return;
        }
        sb.Append("<ul class=\"diagnoses\">\n");
        foreach (var d in diagnoses)
            sb.Append($"<li class=\"diagnosis\" data-diagnosis=\"{E(d.Key)}\"><span class=\"cause\">{E(d.Cause)}</span>")
              .Append($"<span class=\"fix\">fix: {E(d.Fix)}</span></li>\n");
        sb.Append("</ul>\n");
    }
}
