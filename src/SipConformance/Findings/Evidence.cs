using System.Text;
using SipConformance.Target;

namespace SipConformance.Findings;

/// <summary>
/// Turns exchanges into text a person can act on: what was sent, what came back, and one curl
/// line that sends it again (credentials rebuilt from environment variables, never printed).
/// Everything passes through the run's <see cref="Redactor"/>.
/// </summary>
public static class Evidence
{
    public const int ShownBodyChars = 2000;

    public static string Format(Redactor redactor, params Exchange?[] exchanges)
    {
        var sb = new StringBuilder();
        foreach (var e in exchanges)
            if (e is not null) Append(sb, e);
        return redactor.Redact(sb.ToString().TrimEnd());
    }

    private static void Append(StringBuilder sb, Exchange e)
    {
        var r = e.Request;
        sb.AppendLine($"-> {r.Method} {r.Url}");
        sb.AppendLine(r.Authorization is null ? "   (no Authorization header)" : $"   Authorization: {r.Authorization} ({r.AuthLabel})");
        if (r.ContentType is not null) sb.AppendLine($"   Content-Type: {r.ContentType}");
        if (r.BodyText is not null) sb.AppendLine("   " + Clip(r.BodyText));
        if (e.Response is { } resp)
        {
            sb.AppendLine($"<- {resp.Status} after {e.Elapsed.TotalMilliseconds:0} ms{(e.RateLimitedAttempts > 0 ? $" ({e.RateLimitedAttempts} x 429 waited out first)" : "")}");
            foreach (var name in new[] { "Content-Type", "Location", "WWW-Authenticate", "Retry-After" })
                if (resp.Header(name) is { } v) sb.AppendLine($"   {name}: {v}");
            var body = resp.Text ?? $"({resp.Body.Length} bytes; {resp.TextProblem})";
            sb.AppendLine(resp.Body.Length == 0 ? "   (empty body)" : "   " + Clip(body));
        }
        if (e.Failure is { } f) sb.AppendLine($"<- no complete answer: {f.Message}");
        sb.AppendLine("   reproduce: " + Curl(e));
    }

    private static string Clip(string text)
    {
        var oneLine = text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return oneLine.Length <= ShownBodyChars ? oneLine : $"{oneLine[..ShownBodyChars]}... ({text.Length} chars in all)";
    }

    /// <summary>A curl command that sends the same request (the body through a here-document).</summary>
    public static string Curl(Exchange e)
    {
        var r = e.Request;
        var sb = new StringBuilder($"curl -sS -i -X {r.Method} '{r.Url}'");
        if (r.CurlAuth is not null) sb.Append(' ').Append(r.CurlAuth);
        if (r.ContentType is not null) sb.Append($" -H 'Content-Type: {r.ContentType.Replace("'", "'\\''", StringComparison.Ordinal)}'");
        if (r.BodyText is not null) sb.Append(" --data-binary @- <<'SIPCONF_BODY'\n").Append(r.BodyText).Append("\nSIPCONF_BODY");
        return sb.ToString();
    }
}
