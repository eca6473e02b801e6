using SipConformance.Findings;
using System.Text;

namespace SipConformance.Reporting.Html;

/// <summary>The little HTML the report needs: text escaped for element content and attribute values.</summary>
internal static class HtmlText
{
    /// <summary>Escapes &amp;, &lt;, &gt;, quotes; everything else (any Unicode text) stays as it is.</summary>
    public static string E(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 16);
        foreach (var ch in text)
            sb.Append(ch switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => ch.ToString(),
            });
        return sb.ToString();
    }

    /// <summary>An id fragment safe in id attributes and #links (letters, digits, '-').</summary>
    public static string Id(string text) => new(text.Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '-').ToArray());

    /// <summary>The CSS class of an outcome label (PASS, FAIL, NON-STRICT, SKIPPED).</summary>
    public static string OutcomeClass(Outcome outcome) => "o-" + Id(outcome.Label()).ToLowerInvariant();
}
