using System.Text;

namespace SipConformance.Reporting;

/// <summary>
/// GitHub Actions' job summary: when <c>GITHUB_STEP_SUMMARY</c> names a file, the run appends its
/// Markdown summary to it, cut (at a line, with a note saying so) to stay within the 1 MiB GitHub
/// accepts per step, counting what earlier steps of the job's summary file already hold.
/// </summary>
public static class StepSummary
{
    public const string Variable = "GITHUB_STEP_SUMMARY";

    /// <summary>What GitHub accepts per step (bytes of UTF-8).</summary>
    public const int Limit = 1024 * 1024;

    /// <summary>Appends to the file <see cref="Variable"/> names; returns its path, or null when it is unset.</summary>
    public static string? Append(string markdown, string? path = null, int limit = Limit)
    {
        path ??= Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(path)) return null;
        var room = limit - (File.Exists(path) ? (int)Math.Min(new FileInfo(path).Length, limit) : 0);
        File.AppendAllText(path, Fit(markdown, room), new UTF8Encoding(false));
        return path;
    }

    /// <summary>The text whole if its UTF-8 fits in <paramref name="room"/> bytes, else cut at a line, with a note.</summary>
    public static string Fit(string markdown, int room)
    {
        var text = markdown.EndsWith('\n') ? markdown : markdown + "\n";
        if (Encoding.UTF8.GetByteCount(text) <= room) return text;
        var note = $"\n_(summary cut to stay within GitHub's {Limit / 1024 / 1024} MiB step summary limit: the full report is artifacts/sipconformance-summary.md and {Html.HtmlReport.FileName})_\n";
        var budget = room - Encoding.UTF8.GetByteCount(note);
        if (budget <= 0) return "";
        var sb = new StringBuilder();
        var used = 0;
        foreach (var line in text.Split('\n'))
        {
            var n = Encoding.UTF8.GetByteCount(line) + 1;
            if (used + n > budget) break;
            sb.Append(line).Append('\n');
            used += n;
        }
        return sb.Append(note).ToString();
    }
}
