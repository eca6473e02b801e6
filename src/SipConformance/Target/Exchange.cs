using System.Text;
using System.Text.Json;

namespace SipConformance.Target;

/// <summary>What was sent, with the Authorization value already redacted.</summary>
public sealed record RequestRecord(
    string Method,
    Uri Url,
    string AuthLabel,
    string? Authorization,
    string? ContentType,
    string? BodyText,
    string? CurlAuth);

/// <summary>Why a request got no complete HTTP answer.</summary>
public enum FailureKind
{
    Timeout,
    ConnectionFailed,
    ConnectionClosed,
    BodyTooLarge,
    CircuitOpen,
    /// <summary>The TLS handshake failed (most often: the certificate was not accepted).</summary>
    Tls,
    Cancelled,
    Other,
}

public sealed record TransportFailure(FailureKind Kind, string Message)
{
    public override string ToString() => $"{Kind}: {Message}";
}

/// <summary>What came back. The body is kept as bytes (capped), decoded strictly as UTF-8 on demand.</summary>
public sealed class ResponseRecord
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Lazy<(string? Text, string? Problem)> _text;
    private readonly Lazy<(JsonElement? Json, string? Problem)> _json;

    public ResponseRecord(int status, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body)
    {
        Status = status;
        Headers = headers;
        Body = body;
        _text = new(DecodeText);
        _json = new(ParseJson);
    }

    public int Status { get; }
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }
    public byte[] Body { get; }

    /// <summary>
    /// The header of that name (case-insensitive, RFC 9110 5.1), or null. Several lines of one name arrive combined
    /// into one value, joined by ", " as RFC 9110 5.3 allows a recipient to.
    /// </summary>
    public string? Header(string name)
    {
        for (var i = 0; i < Headers.Count; i++)
            if (string.Equals(Headers[i].Key, name, StringComparison.OrdinalIgnoreCase)) return Headers[i].Value;
        return null;
    }

    public string? ContentType => Header("Content-Type");

    private string? _mediaType;
    private bool _mediaTypeRead;

    /// <summary>The media type without parameters, lower-cased ("application/json"); worked out once (the record does not change).</summary>
    public string? MediaType
    {
        get
        {
            if (!Volatile.Read(ref _mediaTypeRead))
            {
                _mediaType = MediaTypeOf(ContentType);
                Volatile.Write(ref _mediaTypeRead, true);
            }
            return _mediaType;
        }
    }

    /// <summary>
    /// What <see cref="MediaType"/> makes of a Content-Type value: the text before the first ';', trimmed, lower-cased
    /// (RFC 9110 8.3.1: type and subtype are case-insensitive; 5.6.6: whitespace may surround the ';'; parameters,
    /// quoted or not, do not change the type: for application/json even a charset "has no effect", RFC 8259 section 11).
    /// </summary>
    internal static string? MediaTypeOf(string? contentType)
    {
        if (contentType is null) return null;
        var semicolon = contentType.IndexOf(';');
        var head = semicolon < 0 ? contentType : contentType[..semicolon];
        return head.Trim().ToLowerInvariant();
    }

    /// <summary>The body as text, or null when it is not valid UTF-8 (see <see cref="TextProblem"/>).</summary>
    public string? Text => _text.Value.Text;
    public string? TextProblem => _text.Value.Problem;

    /// <summary>What <see cref="JsonProblem"/> says of a body that is JSON behind a byte order mark (then <see cref="Json"/> is still read).</summary>
    public const string ByteOrderMark = "the body starts with a byte order mark (U+FEFF), which a JSON text sent over a network MUST NOT (RFC 8259 section 8.1)";

    /// <summary>
    /// The body as JSON, or null when it is empty, not UTF-8 or not JSON (see <see cref="JsonProblem"/>). Insignificant
    /// whitespace, escapes and member order are JSON's own freedoms (RFC 8259 sections 2, 4, 7) and read as JSON reads them.
    /// </summary>
    public JsonElement? Json => _json.Value.Json;
    public string? JsonProblem => _json.Value.Problem;

    private (string?, string?) DecodeText()
    {
        try { return (StrictUtf8.GetString(Body), null); }
        catch (DecoderFallbackException e) { return (null, $"the body is not valid UTF-8 (byte {e.Index})"); }
    }

    private (JsonElement?, string?) ParseJson()
    {
        if (Body.Length == 0) return (null, "the body is empty");
        // Checked without decoding (the text is made only when asked for, e.g. for evidence).
        if (!System.Text.Unicode.Utf8.IsValid(Body)) return (null, TextProblem);
        // RFC 8259 8.1: a JSON text sent over a network MUST NOT start with a byte order mark, and a parser MAY ignore
        // one. The suite does both: it reads the JSON behind a BOM (ids, the list, cleanup keep working) and still
        // names the BOM as the body's problem, so the rule on JSON bodies (CREATE-HTTP-002) judges it.
        var bom = Body.AsSpan().StartsWith("\uFEFF"u8);
        try
        {
            using var doc = JsonDocument.Parse(bom ? Body.AsMemory(3) : Body);
            return (doc.RootElement.Clone(), bom ? ByteOrderMark : null);
        }
        catch (JsonException e) { return (null, $"the body is not JSON ({e.Message})"); }
    }
}

/// <summary>One request and what came of it: an answer, or a transport failure.</summary>
public sealed record Exchange(
    RequestRecord Request,
    ResponseRecord? Response,
    TransportFailure? Failure,
    DateTimeOffset StartedAt,
    TimeSpan Elapsed,
    int RateLimitedAttempts)
{
    public int? Status => Response?.Status;

    /// <summary>The answer was 429 even after the suite waited within its budget.</summary>
    public bool RateLimited => Response?.Status == Rules.Statuses.TooManyRequests;

    /// <summary>
    /// How many times the request went out: 1, plus one per 429 waited out, plus one per connection
    /// attempt that failed before anything was sent; 0 when it was not sent at all (cancelled, or
    /// the target already treated as unresponsive).
    /// </summary>
    public int Attempts { get; init; } = 1;
}
