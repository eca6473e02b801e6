using System.Text;
using System.Text.Json.Nodes;
using SipConformance.Findings;
using static SipConformance.Reporting.Html.HtmlText;

namespace SipConformance.Reporting.Html;

/// <summary>The report's grid (checks by contract section, a column per run) and each check's details.</summary>
internal static class HtmlGrid
{
    /// <summary>How many failures a check's details show (the findings document keeps up to <see cref="CheckResult.KeptViolations"/>).</summary>
    public const int ShownFailures = 5;

    public static string DetailId(int run, string check) => $"d-{run}-{Id(check)}";

    public static void Write(StringBuilder sb, IReadOnlyList<FindingsDocument> runs, Func<int, string> label)
    {
        var rows = runs.SelectMany(r => r.Checks).GroupBy(c => c.Id).Select(g => g.First()).ToList();
        sb.Append("<section id=\"grid\">\n<h2>Checks</h2>\n<p class=\"legend\">")
          .Append(string.Concat(new[] { Outcome.Pass, Outcome.NonStrict, Outcome.Fail, Outcome.Skipped }
              .Select(o => $"<span class=\"{OutcomeClass(o)}\">{o.Label()}</span>")))
          .Append(" each cell: outcome and requests; click it for the check's details</p>\n<table class=\"grid\">\n<thead><tr><th>check</th><th>level</th><th>rule</th>");
        for (var i = 0; i < runs.Count; i++) sb.Append($"<th>{E(label(i))}</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var area in rows.GroupBy(c => c.Area))
        {
            sb.Append($"<tr class=\"area\"><th colspan=\"{3 + runs.Count}\">{E(area.Key)}</th></tr>\n");
            foreach (var check in area)
            {
                sb.Append($"<tr data-check=\"{E(check.Id)}\"><td><code>{E(check.Id)}</code></td><td>{E(check.Level)}</td><td>{E(check.Title)}</td>");
                for (var i = 0; i < runs.Count; i++)
                {
                    var c = runs[i].Checks.FirstOrDefault(k => k.Id == check.Id);
                    if (c is null) { sb.Append("<td class=\"cell missing\">not run</td>"); continue; }
                    var id = DetailId(i, c.Id);
                    sb.Append($"<td class=\"cell {OutcomeClass(c.Outcome)}\" data-check=\"{E(c.Id)}\" data-outcome=\"{E(c.Outcome.Label())}\" data-run=\"{i}\" title=\"{E($"{c.Outcome.Label()}: {c.Passes} held, {c.Violations} broken")}\">")
                      .Append($"<a href=\"#{id}\" data-open=\"{id}\">{E(c.Outcome.Label())}<br><small>{c.Requests} req</small></a></td>");
                }
                sb.Append("</tr>\n");
            }
        }
        sb.Append("</tbody>\n</table>\n</section>\n<section id=\"details\">\n<h2>Details</h2>\n");
        for (var i = 0; i < runs.Count; i++)
        {
            if (runs.Count > 1) sb.Append($"<h3>{E(label(i))}</h3>\n");
            foreach (var c in runs[i].Checks) Details(sb, i, runs[i], c);
        }
        sb.Append("</section>\n");
    }

    private static void Details(StringBuilder sb, int run, FindingsDocument doc, CheckEntry c)
    {
        sb.Append($"<details class=\"check\" id=\"{DetailId(run, c.Id)}\" data-check=\"{E(c.Id)}\" data-outcome=\"{E(c.Outcome.Label())}\">\n")
          .Append($"<summary><span class=\"{OutcomeClass(c.Outcome)}\">{E(c.Outcome.Label())}</span> <code>{E(c.Id)}</code> [{E(c.Level)}] {E(c.Title)}</summary>\n")
          .Append($"<blockquote class=\"clause\">{E(c.Clause)}</blockquote>\n")
          .Append($"<p>level {E(c.Level)}; held {c.Passes} time(s), broken {c.Violations} time(s), over {c.Requests} request(s)</p>\n");
        if (c.SkipReason is not null) sb.Append($"<p class=\"skip\">skipped: {E(c.SkipReason)}</p>\n");
        if (c.PropertyFailure is { } p) Payloads(sb, p);
        if (c.Evidence.Count > 0)
        {
            sb.Append($"<p>the first {Math.Min(ShownFailures, c.Evidence.Count)} of {c.Violations} failure(s):</p>\n");
            foreach (var e in c.Evidence.Take(ShownFailures))
            {
                sb.Append($"<div class=\"failure\"><p><b>{E(e.Case)}</b>: {E(e.Message)}</p>\n");
                if (e.EvidenceText() is { } text) sb.Append($"<pre class=\"exchange\">{E(text)}</pre>\n");
                foreach (var x in e.Exchanges)
                    sb.Append($"<p>curl:</p><pre class=\"curl\">{E(x.Curl)}</pre>\n");
                sb.Append("</div>\n");
            }
        }
        if (doc.Replay is not null) sb.Append($"<p>replay: <code class=\"replay\">{E(doc.ReplayFor(c.Id))}</code></p>\n");
        sb.Append("</details>\n");
    }

    /// <summary>The shrunk failing payload beside the nearest passing one (when recorded), differing fields highlighted.</summary>
    private static void Payloads(StringBuilder sb, PropertyFailure p)
    {
        var passing = p.NearestPassingPayload;
        sb.Append("<table class=\"payloads\"><thead><tr><th>field</th><th>shrunk failing payload</th>")
          .Append(passing is null ? "" : "<th>nearest passing payload</th>").Append("</tr></thead><tbody>\n");
        var fields = p.FailingPayload.Select(f => f.Key).Concat(passing?.Select(f => f.Key) ?? []).Distinct();
        foreach (var f in fields)
        {
            var failing = p.FailingPayload[f];
            var differs = passing is not null && !JsonNode.DeepEquals(failing, passing[f]);
            sb.Append($"<tr{(differs ? " class=\"diff\"" : "")} data-field=\"{E(f)}\"><td><code>{E(f)}</code></td><td><code>{E(Show(p.FailingPayload, f))}</code></td>")
              .Append(passing is null ? "" : $"<td><code>{E(Show(passing, f))}</code></td>").Append("</tr>\n");
        }
        sb.Append("</tbody></table>\n");
        if (passing is null) sb.Append("<p class=\"note\">(the run recorded no passing neighbour of this payload)</p>\n");
        if (p.CscheckSeed is not null) sb.Append($"<p>CsCheck seed <code>{E(p.CscheckSeed)}</code></p>\n");
        if (p.Replay is not null) sb.Append($"<p>replay the shrunk payload: <code class=\"replay\">{E(p.Replay)}</code></p>\n");
    }

    private static string Show(JsonObject payload, string field) =>
        payload.TryGetPropertyValue(field, out var v) ? v?.ToJsonString(Target.SipApi.PayloadJson) ?? "null" : "(absent)";
}
