using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using SipConformance.Configuration;

namespace SipConformance.Target;

/// <summary>One request to send: what, where, with which credentials.</summary>
public sealed record RequestSpec(HttpMethod Method, Uri Url, AuthHeader Auth, byte[]? Body = null, string? ContentType = null)
{
    /// <summary>
    /// GET and DELETE. The client does not re-send anything after a failure that may have reached
    /// the server, whatever its method; only connection failures (nothing sent) and 429 (not
    /// processed) are retried.
    /// </summary>
    public bool Idempotent => Method == HttpMethod.Get || Method == HttpMethod.Delete;
}

/// <summary>How the client treats its target: timeouts, caps, pacing, retries.</summary>
public sealed record ClientOptions
{
    /// <summary>The longest a request may take, from sending it to the last byte of its body.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>The most of a body the client reads; a longer body is a transport failure.</summary>
    public int MaxResponseBytes { get; init; } = 1 << 20;
    public int Concurrency { get; init; } = 8;
    public double? MaxRequestsPerSecond { get; init; }
    /// <summary>How long one request may spend waiting out 429 answers, in all.</summary>
    public TimeSpan RateLimitBudget { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>
    /// The longest backoff between two 429 answers that carry no usable Retry-After. A Retry-After
    /// is honoured as given (never shortened), as long as it fits in <see cref="RateLimitBudget"/>.
    /// </summary>
    public TimeSpan MaxRetryWait { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// After this many timeouts in a row the client sends one plain GET without credentials; when
    /// that gets no answer either, the target is declared unresponsive and requests fail fast
    /// (one more such GET is tried every <see cref="CircuitRetryInterval"/>, and any answer closes the circuit).
    /// </summary>
    public int TimeoutsBeforeCircuitOpens { get; init; } = 4;
    /// <summary>How often an open circuit tries the target again (null: the request timeout, at least 1 s).</summary>
    public TimeSpan? CircuitRetryInterval { get; init; }
    /// <summary>How often a request whose connection could not be made (nothing was sent) is tried again.</summary>
    public int ConnectRetries { get; init; } = 2;
    public bool InsecureTls { get; init; }

    public static ClientOptions From(SuiteSettings s) => new()
    {
        RequestTimeout = s.RequestTimeout,
        Concurrency = s.EffectiveConcurrency,
        MaxRequestsPerSecond = s.EffectiveMaxRequestsPerSecond,
        RateLimitBudget = s.RateLimitBudget,
        InsecureTls = s.InsecureTls,
    };
}

/// <summary>
/// The only code that talks HTTP to the target. It turns a <see cref="RequestSpec"/> into an
/// <see cref="Exchange"/> and never judges the answer. It never follows redirects (so credentials
/// never travel to another host), caps what it reads, undoes content codings (<see cref="ContentCoding"/>),
/// bounds every request in time, waits out 429s (Retry-After in any form, else exponential backoff
/// with jitter) within a budget without holding up other requests, paces the run to a rate limiter
/// it recognises (<see cref="Pacer"/>), retries only what cannot have been processed, stops
/// hammering a target that has stopped answering, and redacts secrets from every message it records.
/// docs/HTTP-FREEDOMS.md lists what a server may choose and how it is read.
/// </summary>
public sealed class TargetClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Pacer _pacer;
    private readonly Redactor _redactor;
    private readonly CancellationToken _runToken;
    private readonly TimeSpan _circuitRetry;
    private int _consecutiveTimeouts;
    private int _open;
    private int _trialRunning;
    private long _nextTrialTimestamp;
    private long _sent;
    private readonly TaskCompletionSource _rateLimited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static readonly AsyncLocal<StrongBox<long>?> CountedFor = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _refusedCertificates = new(StringComparer.OrdinalIgnoreCase);

    public TargetClient(ClientOptions options, Redactor redactor, CancellationToken runToken = default, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Concurrency < 1) throw new ArgumentOutOfRangeException(nameof(options), "Concurrency must be at least 1");
        if (options.RequestTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "RequestTimeout must be positive");
        if (options.MaxResponseBytes < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxResponseBytes must be positive");
        Options = options;
        _redactor = redactor;
        _runToken = runToken;
        _circuitRetry = options.CircuitRetryInterval ?? (options.RequestTimeout > TimeSpan.FromSeconds(1) ? options.RequestTimeout : TimeSpan.FromSeconds(1));
        _pacer = new Pacer(options.Concurrency, options.MaxRequestsPerSecond);
        handler ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            MaxConnectionsPerServer = Math.Max(2, options.Concurrency),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            // The request timeout below covers connecting too; this only keeps the handler from firing first.
            ConnectTimeout = options.RequestTimeout + TimeSpan.FromSeconds(1),
            AutomaticDecompression = DecompressionMethods.None,
            SslOptions = options.InsecureTls
                ? new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true }
                : new System.Net.Security.SslClientAuthenticationOptions(),
        };
        // Every status is an answer to record (nothing throws on 4xx/5xx); redirects are not followed (the handler's
        // AllowAutoRedirect is off); the request timeout below bounds each request, not HttpClient's.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public ClientOptions Options { get; }
    public Redactor Redactor => _redactor;

    /// <summary>The pace in force (requests per second): adapted from the 429s seen, within the configured cap; null: unpaced.</summary>
    public double? PacedRate => _pacer.Rate;

    /// <summary>How many times a 429 lowered the pace.</summary>
    public int PaceDecreases => _pacer.Decreases;

    /// <summary>How many HTTP requests this client put on the wire (every attempt: a 429 waited out and sent again counts twice).</summary>
    public long RequestsSent => Interlocked.Read(ref _sent);

    /// <summary>Completes when the target first answers 429 (the run may then overlap what it otherwise sends one phase at a time).</summary>
    public Task FirstRateLimit => _rateLimited.Task;

    /// <summary>
    /// Counts the requests sent by the code that runs inside <paramref name="work"/> (and everything it starts), into
    /// <paramref name="counter"/>: exact per phase even when phases overlap.
    /// </summary>
    public static async Task CountingAsync(StrongBox<long> counter, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var before = CountedFor.Value;
        CountedFor.Value = counter;
        try { await work().ConfigureAwait(false); }
        finally { CountedFor.Value = before; }
    }

    /// <summary>True while the target is treated as unresponsive; requests then fail fast (see <see cref="ClientOptions.TimeoutsBeforeCircuitOpens"/>).</summary>
    public bool CircuitOpen => Volatile.Read(ref _open) == 1;

    public async Task<Exchange> SendAsync(RequestSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        // The run's own token (what the suite's probes pass) needs no linking to itself.
        using var linked = ct == _runToken || !ct.CanBeCanceled ? null : CancellationTokenSource.CreateLinkedTokenSource(ct, _runToken);
        var token = linked?.Token ?? _runToken;
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.GetTimestamp();
        var record = Record(spec);
        var rateLimited = 0;
        var attempts = 0;
        var waited = TimeSpan.Zero;
        var connectRetries = 0;
        Exchange Done(ResponseRecord? response, TransportFailure? failure) =>
            new(record, response, failure, started, Stopwatch.GetElapsedTime(clock), rateLimited) { Attempts = attempts };

        while (true)
        {
            if (token.IsCancellationRequested)
                return Done(null, new TransportFailure(FailureKind.Cancelled, "not sent: the run was cancelled or ran out of its time budget"));
            if (!await CircuitAllowsAsync(spec.Url, token).ConfigureAwait(false))
                return Done(null, token.IsCancellationRequested
                    ? new TransportFailure(FailureKind.Cancelled, "not sent: the run was cancelled or ran out of its time budget")
                    : new TransportFailure(FailureKind.CircuitOpen,
                        $"not sent: the target gave no answer to {Options.TimeoutsBeforeCircuitOpens} requests in a row ({Seconds(Options.RequestTimeout)} s each), " +
                        $"nor to a plain GET without credentials, and is treated as unresponsive (tried again every {Seconds(_circuitRetry)} s)"));

            // A certificate that was refused will not be accepted on the next try either: no handshake after handshake.
            if (_refusedCertificates.TryGetValue(spec.Url.Authority, out var refusal))
                return Done(null, new TransportFailure(FailureKind.Tls, "not sent: " + refusal));

            attempts++;
            Interlocked.Increment(ref _sent);
            if (CountedFor.Value is { } counter) Interlocked.Increment(ref counter.Value);
            var (response, failure) = await AttemptAsync(spec, token).ConfigureAwait(false);
            if (failure is { Kind: FailureKind.Tls }) _refusedCertificates.TryAdd(spec.Url.Authority, failure.Message);
            if (failure is { Kind: FailureKind.ConnectionFailed } && connectRetries < Options.ConnectRetries && !token.IsCancellationRequested)
            {
                connectRetries++;
                // The connection was never made, so nothing reached the server: safe to send again, whatever the method.
                await Delay(Jittered(TimeSpan.FromMilliseconds(200 * connectRetries)), token).ConfigureAwait(false);
                continue;
            }
            if (response is { Status: Rules.Statuses.TooManyRequests } && failure is null)
            {
                _rateLimited.TrySetResult();
                var wait = RetryDelay(response, rateLimited);
                if (waited + wait <= Options.RateLimitBudget && !token.IsCancellationRequested)
                {
                    rateLimited++;
                    waited += wait;
                    // A 429 was not processed: safe to send again, whatever the method.
                    await Delay(wait, token).ConfigureAwait(false);
                    continue;
                }
            }
            if (failure is { Kind: FailureKind.Timeout }) await TimedOutAsync(spec.Url, token).ConfigureAwait(false);
            else if (response is not null) Interlocked.Exchange(ref _consecutiveTimeouts, 0);
            return Done(response, failure);
        }
    }

    private static async Task Delay(TimeSpan wait, CancellationToken ct)
    {
        if (wait <= TimeSpan.Zero) return;
        try { await Task.Delay(wait, ct).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }

    /// <summary>
    /// How long to wait before sending again after a 429: Retry-After as delta-seconds or as an
    /// HTTP date (measured against the answer's Date header when it has one, so clock skew does not
    /// matter), never less; without one, 0.5 s doubling per attempt up to <see cref="ClientOptions.MaxRetryWait"/>.
    /// Jitter is added on top (up to 25%), so concurrent requests do not come back in step.
    /// </summary>
    internal TimeSpan RetryDelay(ResponseRecord response, int attempt)
    {
        if (RetryAfter(response) is { } asked)
            return asked + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * 0.25 * Math.Max(asked.TotalMilliseconds, 100));
        var backoff = TimeSpan.FromMilliseconds(500 * Math.Pow(2, Math.Min(attempt, 16)));
        if (backoff > Options.MaxRetryWait) backoff = Options.MaxRetryWait;
        return Jittered(backoff);
    }

    /// <summary>
    /// The wait a Retry-After header asks for (delta-seconds, or an HTTP-date in any of the three formats,
    /// measured against the answer's Date when it has one), or null when absent or unreadable.
    /// </summary>
    internal static TimeSpan? RetryAfter(ResponseRecord response)
    {
        var header = response.Header("Retry-After")?.Trim();
        if (string.IsNullOrEmpty(header)) return null;
        // delta-seconds (RFC 9110 10.2.3); a value too large to represent is read as 2^31 s (as RFC 9111 1.2.2 does for
        // delta-seconds), i.e. "longer than any budget": the 429 is returned at once instead of being retried early.
        if (double.TryParse(header, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return seconds >= 0 && !double.IsNaN(seconds) ? TimeSpan.FromSeconds(Math.Min(seconds, 2147483648d)) : null;
        // HTTP-date in any of its three formats (RFC 9110 5.6.7: a recipient MUST accept the obsolete ones too).
        if (!HttpDate.TryParse(header, out var at)) return null;
        var now = response.Header("Date") is { } dateHeader && HttpDate.TryParse(dateHeader, out var serverNow)
            ? serverNow
            : DateTimeOffset.UtcNow;
        var wait = at - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>75% to 125% of the given wait.</summary>
    private static TimeSpan Jittered(TimeSpan wait) => wait * (0.75 + Random.Shared.NextDouble() * 0.5);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    // ---- the circuit: a target that stops answering altogether is not waited on request after request

    private async Task<bool> CircuitAllowsAsync(Uri url, CancellationToken ct)
    {
        if (!CircuitOpen) return true;
        if (Stopwatch.GetTimestamp() < Volatile.Read(ref _nextTrialTimestamp) || Interlocked.CompareExchange(ref _trialRunning, 1, 0) != 0)
            return false;
        try
        {
            if (await AliveAsync(url, ct).ConfigureAwait(false)) Close();
            else Volatile.Write(ref _nextTrialTimestamp, Stopwatch.GetTimestamp() + (long)(_circuitRetry.TotalSeconds * Stopwatch.Frequency));
        }
        finally { Volatile.Write(ref _trialRunning, 0); }
        return !CircuitOpen;
    }

    private async Task TimedOutAsync(Uri url, CancellationToken ct)
    {
        if (Interlocked.Increment(ref _consecutiveTimeouts) < Options.TimeoutsBeforeCircuitOpens || CircuitOpen) return;
        if (Interlocked.CompareExchange(ref _trialRunning, 1, 0) != 0) return;
        try
        {
            // A target that is slow only on some requests (it still answers others) is not unresponsive.
            if (await AliveAsync(url, ct).ConfigureAwait(false)) Interlocked.Exchange(ref _consecutiveTimeouts, 0);
            else if (!ct.IsCancellationRequested)
            {
                Volatile.Write(ref _nextTrialTimestamp, Stopwatch.GetTimestamp() + (long)(_circuitRetry.TotalSeconds * Stopwatch.Frequency));
                Volatile.Write(ref _open, 1);
            }
        }
        finally { Volatile.Write(ref _trialRunning, 0); }
    }

    private void Close()
    {
        Interlocked.Exchange(ref _consecutiveTimeouts, 0);
        Volatile.Write(ref _open, 0);
    }

    /// <summary>A GET of the same URL without credentials (no side effect, no secret): does the target answer at all?</summary>
    private async Task<bool> AliveAsync(Uri url, CancellationToken ct)
    {
        var (response, _) = await AttemptAsync(new RequestSpec(HttpMethod.Get, url, AuthHeader.None), ct).ConfigureAwait(false);
        return response is not null;
    }

    // ---- one attempt

    private async Task<(ResponseRecord?, TransportFailure?)> AttemptAsync(RequestSpec spec, CancellationToken ct)
    {
        Pacer.Ticket slot;
        try { slot = await _pacer.EnterAsync(ct).ConfigureAwait(false); }
        catch (OperationCanceledException) { return (null, new TransportFailure(FailureKind.Cancelled, "not sent: the run was cancelled or ran out of its time budget")); }

        using var held = slot;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Options.RequestTimeout);
        var headersArrived = false;
        var status = 0;
        var progress = new ReadProgress();
        string Phase() => headersArrived
            ? $"the HTTP {status} headers arrived, then {progress.Bytes:N0} byte(s) of body; the body did not finish"
            : "no response headers arrived";
        try
        {
            using var request = new HttpRequestMessage(spec.Method, spec.Url);
            if (spec.Auth.Value is { } auth) request.Headers.TryAddWithoutValidation("Authorization", auth.Reveal());
            // Says which content codings the client decodes (RFC 9110 12.5.3), so a server does not pick one it cannot read;
            // a coding the server applies anyway is decoded all the same (see ContentCoding).
            request.Headers.TryAddWithoutValidation("Accept-Encoding", ContentCoding.Accepted);
            if (spec.Body is not null)
            {
                request.Content = new ByteArrayContent(spec.Body);
                if (spec.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", spec.ContentType);
            }
            using var message = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            headersArrived = true;
            status = (int)message.StatusCode;
            held.Answer(status);
            var (body, tooLarge) = await ReadCappedAsync(message.Content, progress, timeout.Token).ConfigureAwait(false);
            // The content as the server meant it: every content coding it applied undone, within the same cap.
            var coding = message.Content.Headers.NonValidated.TryGetValues("Content-Encoding", out var codings) ? codings.ToString() : null;
            string? codingProblem = null;
            if (!tooLarge && coding is not null)
                (body, tooLarge, codingProblem) = ContentCoding.Decode(body, coding, Options.MaxResponseBytes);
            // The header values as received (no parsing into typed values and formatting back), redacted.
            var headers = new List<KeyValuePair<string, string>>();
            foreach (var h in message.Headers.NonValidated) headers.Add(KeyValuePair.Create(h.Key, _redactor.Redact(h.Value.ToString())));
            foreach (var h in message.Content.Headers.NonValidated) headers.Add(KeyValuePair.Create(h.Key, _redactor.Redact(h.Value.ToString())));
            var record = new ResponseRecord(status, headers, RedactBody(body));
            if (codingProblem is not null) return (record, new TransportFailure(FailureKind.Other, _redactor.Redact(codingProblem)));
            if (!tooLarge) return (record, null);
            var declared = message.Content.Headers.ContentLength is { } length ? $" (Content-Length: {length:N0})" : "";
            return (record, new TransportFailure(FailureKind.BodyTooLarge,
                $"the HTTP {status} body is larger than {Options.MaxResponseBytes:N0} bytes{declared}; the suite stopped reading there"));
        }
        catch (Exception) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return (null, new TransportFailure(FailureKind.Timeout, $"no complete answer within {Seconds(Options.RequestTimeout)} s ({Phase()})"));
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            return (null, new TransportFailure(FailureKind.Cancelled, $"cancelled ({Phase()}): the run was cancelled or ran out of its time budget"));
        }
        catch (Exception e)
        {
            var kind = Classify(e, headersArrived);
            var detail = Innermost(e).Message;
            var message = kind switch
            {
                FailureKind.Tls => $"the TLS handshake with {spec.Url.Authority} failed: {detail}. Certificate validation is on; " +
                                   $"for a staging server with a self-signed certificate (only), set {SettingsLoader.InsecureTls}=true",
                FailureKind.ConnectionFailed => $"could not connect to {spec.Url.Authority}: {detail}",
                FailureKind.Timeout => $"no complete answer within {Seconds(Options.RequestTimeout)} s ({Phase()}): {detail}",
                FailureKind.ConnectionClosed => $"the connection was closed or reset without a complete answer ({Phase()}): {detail}",
                _ => $"transport error ({Phase()}): {detail}",
            };
            return (null, new TransportFailure(kind, _redactor.Redact(message)));
        }
    }

    /// <summary>
    /// A server may hand a credential back (in an error message, an echoed field, a debug
    /// property): the answer is recorded with every secret replaced, so no check message, evidence
    /// or report built from it can carry one. Bytes are mapped one to one (Latin-1), so everything
    /// but the secret (invalid UTF-8 included) stays exactly as received.
    /// </summary>
    private byte[] RedactBody(byte[] body)
    {
        if (body.Length == 0) return body;
        // Looked at as Latin-1 in a rented buffer: a string is made only for a body that holds a secret.
        var chars = ArrayPool<char>.Shared.Rent(body.Length);
        try
        {
            var text = chars.AsSpan(0, System.Text.Encoding.Latin1.GetChars(body, chars));
            return _redactor.Leaks(text) ? System.Text.Encoding.Latin1.GetBytes(_redactor.Redact(text.ToString())) : body;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private sealed class ReadProgress
    {
        public long Bytes;
    }

    private async Task<(byte[], bool)> ReadCappedAsync(HttpContent content, ReadProgress progress, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            // The declared length (a hint only: the body read is what counts) sizes the buffer, within the cap.
            var declared = content.Headers.ContentLength is { } length and > 0 ? (int)Math.Min(length, Options.MaxResponseBytes) : 0;
            var exact = new byte[declared];
            var filled = 0;
            while (filled < declared)
            {
                var n = await stream.ReadAsync(exact.AsMemory(filled), ct).ConfigureAwait(false);
                if (n == 0) return (exact[..filled], false);
                progress.Bytes += n;
                filled += n;
            }
            // The body as declared, or more of it: the rest (if any) is read on, within the cap.
            MemoryStream? buffer = null;
            while (true)
            {
                var n = await stream.ReadAsync(chunk, ct).ConfigureAwait(false);
                if (n == 0) return (buffer is null ? exact : buffer.ToArray(), false);
                progress.Bytes += n;
                if (buffer is null)
                {
                    buffer = new MemoryStream(filled + n);
                    buffer.Write(exact, 0, filled);
                }
                var room = Options.MaxResponseBytes - (int)buffer.Length;
                buffer.Write(chunk, 0, Math.Min(n, room));
                if (n > room) return (buffer.ToArray(), true);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>
    /// What kind of failure an exception is. ConnectionFailed is kept for failures that happen
    /// before a connection exists (refused, unreachable, name not found): only those are retried.
    /// </summary>
    internal static FailureKind Classify(Exception e, bool headersArrived)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is AuthenticationException || x is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
                return FailureKind.Tls;
            if (x is TimeoutException) return FailureKind.Timeout;
            if (!headersArrived)
            {
                if (x is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain
                        or SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.AddressNotAvailable })
                    return FailureKind.ConnectionFailed;
                if (x is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } && !HasIoAfterConnect(x))
                    return FailureKind.ConnectionFailed;
            }
        }
        for (var x = e; x is not null; x = x.InnerException)
            if (x is IOException or HttpIOException or SocketException or HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse })
                return FailureKind.ConnectionClosed;
        return FailureKind.Other;
    }

    /// <summary>A reset or end of stream inside a "connection error" means the connection was made: not retried.</summary>
    private static bool HasIoAfterConnect(Exception e)
    {
        for (var x = e.InnerException; x is not null; x = x.InnerException)
            if (x is HttpIOException || x is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown })
                return true;
        return false;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private RequestRecord Record(RequestSpec spec)
    {
        string? body = null;
        if (spec.Body is not null)
        {
            try { body = StrictUtf8.GetString(spec.Body); }
            catch (System.Text.DecoderFallbackException) { body = "(bytes, not UTF-8) " + Convert.ToHexString(spec.Body.AsSpan(0, Math.Min(spec.Body.Length, 256))); }
        }
        return new RequestRecord(spec.Method.Method, spec.Url, spec.Auth.Label, spec.Auth.Redacted, spec.ContentType,
            body is null ? null : _redactor.Redact(body), spec.Auth.Curl);
    }

    public void Dispose()
    {
        _http.Dispose();
        _pacer.Dispose();
    }
}
