using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SipConformance.Target;

namespace SipConformance.Findings;

/// <summary>
/// One broken rule, as data: for which request case, what was wrong, the exchanges that show it
/// (typed: request, status, headers, body, curl line), evidence that is no exchange (a verifier's
/// output), a shrunk property failure, and the settings that bear on it. Every report renders from
/// these fields; none reads another report's text back.
/// </summary>
public sealed record Violation(string Case, string Message)
{
    public IReadOnlyList<ExchangeRecord> Exchanges { get; init; } = [];

    /// <summary>Evidence that is not an exchange of the suite's (for example the Pact verifier's own output).</summary>
    public string? Text { get; init; }

    /// <summary>For a property (CREATE-PROP): the shrunk failing payload, its seed, the replay line and the nearest passing payload.</summary>
    public PropertyFailure? Property { get; init; }

    /// <summary>The settings (SIPCONF_...) that bear on this violation: what a person may change about it.</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    /// <summary>The same violation with every text it holds passed through <paramref name="redactor"/>.</summary>
    public Violation Redacted(Redactor redactor) => new(redactor.Redact(Case), redactor.Redact(Message))
    {
        Exchanges = Exchanges.Select(e => e.Redacted(redactor)).ToList(),
        Text = Text is null ? null : redactor.Redact(Text),
        Property = Property?.Redacted(redactor),
        Settings = Settings,
    };

    /// <summary>The violation's evidence as the lines a person reads (each exchange, then the text).</summary>
    public string? EvidenceText()
    {
        if (Exchanges.Count == 0) return Text;
        var sb = new StringBuilder();
        foreach (var e in Exchanges) e.AppendText(sb);
        if (Text is not null) sb.AppendLine(Text);
        return sb.ToString().TrimEnd();
    }

    public override string ToString() => $"{Case}: {Message}";
}

/// <summary>
/// One exchange as a finding keeps it: what was sent (the Authorization value already shown as
/// its label, never the credential), the answer's status, the headers a person acts on, the body
/// (up to <see cref="KeptBodyChars"/> characters), or why there was no complete answer; and a curl
/// line that sends the request again (credentials rebuilt from environment variables).
/// </summary>
public sealed record ExchangeRecord(
    string Method,
    string Url,
    string? Authorization,
    string? ContentType,
    string? RequestBody,
    int? Status,
    double ElapsedMs,
    int RateLimitedAttempts,
    IReadOnlyList<HeaderRecord> Headers,
    string? ResponseBody,
    int ResponseBodyBytes,
    string? ResponseBodyProblem,
    string? Failure,
    string Curl)
{
    /// <summary>How much of a body a record keeps (the length is recorded whole).</summary>
    public const int KeptBodyChars = 16_384;

    /// <summary>How much of a body the text form shows on one line.</summary>
    public const int ShownBodyChars = 2000;

    /// <summary>The response headers a finding keeps.</summary>
    public static readonly IReadOnlyList<string> KeptHeaders = ["Content-Type", "Location", "WWW-Authenticate", "Retry-After"];

    /// <summary>True when <see cref="ResponseBody"/> is the whole body (not cut, and decodable).</summary>
    [JsonIgnore]
    public bool ResponseBodyWhole => ResponseBody is not null && ResponseBodyProblem is null && ResponseBody.Length < KeptBodyChars;

    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>The record of an exchange (not yet redacted: <see cref="Violation.Redacted"/> does that).</summary>
    public static ExchangeRecord Of(Exchange e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var r = e.Request;
        var resp = e.Response;
        var text = resp?.Text;
        return new ExchangeRecord(
            r.Method, r.Url.ToString(),
            r.Authorization is null ? null : $"{r.Authorization} ({r.AuthLabel})",
            r.ContentType, r.BodyText,
            resp?.Status, Math.Round(e.Elapsed.TotalMilliseconds, 1), e.RateLimitedAttempts,
            resp is null ? [] : KeptHeaders.Select(n => resp.Header(n) is { } v ? new HeaderRecord(n, v) : null).OfType<HeaderRecord>().ToList(),
            text is null ? null : text.Length <= KeptBodyChars ? text : text[..KeptBodyChars],
            resp?.Body.Length ?? 0,
            resp is null ? null : text is null ? resp.TextProblem : null,
            e.Failure?.Message,
            CurlOf(e));
    }

    /// <summary>The records of the exchanges given (nulls left out).</summary>
    public static IReadOnlyList<ExchangeRecord> Of(params Exchange?[] exchanges) => exchanges.OfType<Exchange>().Select(Of).ToList();

    public ExchangeRecord Redacted(Redactor redactor) => this with
    {
        Url = redactor.Redact(Url),
        Authorization = Authorization is null ? null : redactor.Redact(Authorization),
        ContentType = ContentType is null ? null : redactor.Redact(ContentType),
        RequestBody = RequestBody is null ? null : redactor.Redact(RequestBody),
        Headers = Headers.Select(h => h with { Value = redactor.Redact(h.Value) }).ToList(),
        ResponseBody = ResponseBody is null ? null : redactor.Redact(ResponseBody),
        Failure = Failure is null ? null : redactor.Redact(Failure),
        Curl = redactor.Redact(Curl),
    };

    /// <summary>The exchange as lines a person reads: the request, the answer and its headers, the body on one line, the curl line.</summary>
    public void AppendText(StringBuilder sb)
    {
        ArgumentNullException.ThrowIfNull(sb);
        sb.AppendLine($"-> {Method} {Url}");
        sb.AppendLine(Authorization is null ? "   (no Authorization header)" : $"   Authorization: {Authorization}");
        if (ContentType is not null) sb.AppendLine($"   Content-Type: {ContentType}");
        if (RequestBody is not null) sb.AppendLine("   " + Clip(RequestBody, RequestBody.Length));
        if (Status is { } status)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"<- {status} after {ElapsedMs:0} ms{(RateLimitedAttempts > 0 ? $" ({RateLimitedAttempts} x 429 waited out first)" : "")}");
            foreach (var h in Headers) sb.AppendLine($"   {h.Name}: {h.Value}");
            sb.AppendLine(ResponseBodyBytes == 0 ? "   (empty body)"
                : "   " + (ResponseBody is null ? $"({ResponseBodyBytes} bytes; {ResponseBodyProblem})" : Clip(ResponseBody, ResponseBodyBytes)));
        }
        if (Failure is not null) sb.AppendLine($"<- no complete answer: {Failure}");
        sb.AppendLine("   reproduce: " + Curl);
    }

    private static string Clip(string text, int wholeLength)
    {
        var oneLine = text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return oneLine.Length <= ShownBodyChars && text.Length == wholeLength ? oneLine
            : $"{oneLine[..Math.Min(ShownBodyChars, oneLine.Length)]}... ({wholeLength} {(text.Length == wholeLength ? "chars" : "bytes")} in all)";
    }

    /// <summary>A curl command that sends the same request (the body through a here-document).</summary>
    public static string CurlOf(Exchange e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var r = e.Request;
        var sb = new StringBuilder($"curl -sS -i -X {r.Method} '{r.Url}'");
        if (r.CurlAuth is not null) sb.Append(' ').Append(r.CurlAuth);
        if (r.ContentType is not null) sb.Append($" -H 'Content-Type: {r.ContentType.Replace("'", "'\\''", StringComparison.Ordinal)}'");
        if (r.BodyText is not null) sb.Append(" --data-binary @- <<'SIPCONF_BODY'\n").Append(r.BodyText).Append("\nSIPCONF_BODY");
        return sb.ToString();
    }
}

/// <summary>One response header a finding keeps.</summary>
public sealed record HeaderRecord(string Name, string Value);

/// <summary>
/// A shrunk property failure: the failing payload, the CsCheck seed and the command that replays
/// it, and, when the run recorded one, the nearest payload that passed (the report marks the
/// fields they differ in).
/// </summary>
public sealed record PropertyFailure(JsonObject FailingPayload, string? CscheckSeed = null, string? Replay = null, JsonObject? NearestPassingPayload = null)
{
    public PropertyFailure Redacted(Redactor redactor) => this with
    {
        FailingPayload = RedactJson(FailingPayload, redactor)!,
        Replay = Replay is null ? null : redactor.Redact(Replay),
        NearestPassingPayload = RedactJson(NearestPassingPayload, redactor),
    };

    private static JsonObject? RedactJson(JsonObject? o, Redactor redactor) =>
        o is null ? null : JsonNode.Parse(redactor.Redact(o.ToJsonString())) as JsonObject;
}
