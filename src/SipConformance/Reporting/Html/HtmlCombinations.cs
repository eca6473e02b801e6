using SipConformance.Findings;
using System.Globalization;
using System.Text;
using static SipConformance.Reporting.Html.HtmlText;

namespace SipConformance.Reporting.Html;

/// <summary>The combination sweep of each run: the encryption x call_handler heatmap and how often each list value was sent.</summary>
internal static class HtmlCombinations
{
    public static void Write(StringBuilder sb, IReadOnlyList<FindingsDocument> runs, Func<int, string> label)
    {
        if (runs.All(r => r.Combinations is null)) return;
        sb.Append("<section id=\"combinations\">\n<h2>Combinations</h2>\n");
        for (var i = 0; i < runs.Count; i++)
        {
            if (runs[i].Combinations is not { } c) continue;
            sb.Append($"<h3>{E(label(i))}: {c.SentRows} of {c.PlannedRows} planned row(s) sent" +
                      (c.SkippedRows > 0 ? $", {c.SkippedRows} not sent" : "") + "</h3>\n");
            Heatmap(sb, c, i);
            Tallies(sb, c);
        }
        sb.Append("</section>\n");
    }

    private static void Heatmap(StringBuilder sb, CombinationsEntry c, int run)
    {
        sb.Append("<table class=\"heat\"><thead><tr><th>encryption \\ call_handler</th>")
          .Append(string.Concat(c.CallHandlers.Select(h => $"<th>{E(h)}</th>"))).Append("</tr></thead><tbody>\n");
        foreach (var e in c.Encryptions)
        {
            sb.Append($"<tr><th>{E(e)}</th>");
            foreach (var h in c.CallHandlers)
            {
                var cell = c.Cells.FirstOrDefault(x => x.Encryption == e && x.CallHandler == h);
                if (cell is null || cell.Rows == 0) { sb.Append("<td class=\"hc none\">not sent</td>"); continue; }
                var share = (double)cell.FailedRows / cell.Rows;
                // Green (no failure) to red (every row failed).
                var hue = (120 * (1 - share)).ToString("0", CultureInfo.InvariantCulture);
                var tip = cell.Smallest is { } s ? $"smallest failing lists for {s.Check}: ciphers=[{string.Join(",", s.Ciphers)}], codecs=[{string.Join(",", s.Codecs)}]" : cell.Cell;
                sb.Append($"<td class=\"hc\" data-cell=\"{E(cell.Cell)}\" data-failed=\"{cell.FailedRows}\" style=\"background: hsl({hue}, 70%, 75%)\" title=\"{E(tip)}\">{cell.FailedRows}/{cell.Rows}</td>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody></table>\n");
        foreach (var cell in c.Cells.Where(x => x.FailedRows > 0))
        {
            sb.Append($"<details class=\"check cell-failures\" id=\"c-{run}-{Id(cell.Cell)}\"><summary>{E(cell.Cell)}: {cell.FailedRows} of {cell.Rows} row(s) broke a rule</summary>\n<ul>\n");
            foreach (var f in cell.Failures)
                sb.Append($"<li>row #{f.Row} ({E(f.Origin)}): ciphers=[{E(string.Join(",", f.Ciphers))}], codecs=[{E(string.Join(",", f.Codecs))}]: {E(string.Join(", ", f.Broken))}</li>\n");
            sb.Append("</ul>\n");
            if (cell.Smallest is { } s)
                sb.Append($"<p>smallest failing lists for <code>{E(s.Check)}</code>: ciphers=[{E(string.Join(",", s.Ciphers))}], codecs=[{E(string.Join(",", s.Codecs))}]</p>\n");
            sb.Append("</details>\n");
        }
    }

    private static void Tallies(StringBuilder sb, CombinationsEntry c)
    {
        foreach (var (field, counts) in c.Sent)
        {
            var max = Math.Max(1, counts.Values.DefaultIfEmpty(0).Max());
            sb.Append($"<table class=\"tally\" data-field=\"{E(field)}\"><thead><tr><th>{E(field)}</th><th>rows sent with it</th><th></th></tr></thead><tbody>\n");
            foreach (var (value, n) in counts)
                sb.Append($"<tr data-value=\"{E(value)}\"><td><code>{E(value)}</code></td><td>{n}</td><td><span class=\"bar\" style=\"width: {(200.0 * n / max).ToString("0", CultureInfo.InvariantCulture)}px\"></span></td></tr>\n");
            sb.Append("</tbody></table>\n");
        }
    }
}
