using System.Text.Json;
using System.Text.RegularExpressions;

namespace SipConformance.Reporting;

/// <summary>
/// Reads back what <see cref="Findings.Evidence.Format"/> wrote: the response bodies and the curl
/// lines of an exchange's text, so a report can work from saved findings alone.
/// </summary>
public static partial class ExchangeText
{
    private const string Answer = "<- ";
    private const string Reproduce = "reproduce: ";

    /// <summary>The body of each answer the text shows with the given status (those that were shown whole).</summary>
    public static IReadOnlyList<string> ResponseBodies(string? evidence, int status)
    {
        var bodies = new List<string>();
        if (evidence is null) return bodies;
        var lines = evidence.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith($"{Answer}{status} ", StringComparison.Ordinal)) continue;
            var j = i + 1;
            while (j < lines.Length && HeaderLine().IsMatch(lines[j])) j++;
            if (j < lines.Length && lines[j].StartsWith("   ", StringComparison.Ordinal) && !lines[j].TrimStart().StartsWith(Reproduce, StringComparison.Ordinal))
                bodies.Add(lines[j][3..].TrimEnd('\r'));
        }
        return bodies;
    }

    /// <summary>The body as a JSON document, or null (clipped, not JSON). Evidence writes line breaks as \n: tried both ways.</summary>
    public static JsonDocument? Json(string body)
    {
        foreach (var text in new[] { body, body.Replace("\\r", "\r", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal) })
        {
            try { return JsonDocument.Parse(text); }
            catch (JsonException) { }
        }
        return null;
    }

    /// <summary>The curl commands of the text (each with its here-document body, if any).</summary>
    public static IReadOnlyList<string> CurlLines(string? evidence)
    {
        var curls = new List<string>();
        if (evidence is null) return curls;
        var lines = evidence.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var at = lines[i].IndexOf(Reproduce + "curl ", StringComparison.Ordinal);
            if (at < 0) continue;
            var curl = new List<string> { lines[i][(at + Reproduce.Length)..].TrimEnd('\r') };
            if (curl[0].EndsWith("<<'SIPCONF_BODY'", StringComparison.Ordinal))
                while (++i < lines.Length)
                {
                    curl.Add(lines[i].TrimEnd('\r'));
                    if (lines[i].TrimEnd('\r') == "SIPCONF_BODY") break;
                }
            curls.Add(string.Join('\n', curl));
        }
        return curls;
    }

    [GeneratedRegex("^   [A-Za-z][A-Za-z-]*: ")]
    private static partial Regex HeaderLine();
}
