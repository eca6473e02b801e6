using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Flurl.Http;
using SipConformance.Configuration;

namespace SipConformance.Target;

/// <summary>One request to send: what, where, with which credentials.</summary>
public sealed record RequestSpec(HttpMethod Method, Uri Url, AuthHeader Auth, byte[]? Body = null, string? ContentType = null)
{
    /// <summary>A request that may be re-sent after a transport failure that happened before it reached the server.</summary>
    public bool Idempotent => Method == HttpMethod.Get || Method == HttpMethod.Delete;
}

/// <summary>How the client treats its target: timeouts, caps, pacing, retries.</summary>
public sealed record ClientOptions
{
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public int MaxResponseBytes { get; init; } = 1 << 20;
    public int Concurrency { get; init; } = 8;
    public double? MaxRequestsPerSecond { get; init; }
    /// <summary>How long one request may spend waiting out 429 answers.</summary>
    public TimeSpan RateLimitBudget { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>The longest single wait for a 429 (a Retry-After above it is cut to it).</summary>
    public TimeSpan MaxRetryWait { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>After this many timeouts in a row the target is declared unresponsive and requests fail fast.</summary>
    public int TimeoutsBeforeCircuitOpens { get; init; } = 4;
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
/// never travel to another host), caps what it reads, bounds every request in time, waits out
/// 429s (Retry-After, else exponential backoff with jitter) within a budget, retries only what
/// cannot have been processed, and redacts secrets from every message it records.
/// </summary>
public sealed class TargetClient : IDisposable
{
    private readonly IFlurlClient _flurl;
    private readonly Pacer _pacer;
    private readonly Redactor _redactor;
    private readonly CancellationToken _runToken;
    private int _consecutiveTimeouts;

    public TargetClient(ClientOptions options, Redactor redactor, CancellationToken runToken = default, HttpMessageHandler? handler = null)
    {
        Options = options;
        _redactor = redactor;
        _runToken = runToken;
        _pacer = new Pacer(options.Concurrency, options.MaxRequestsPerSecond);
        handler ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            MaxConnectionsPerServer = Math.Max(2, options.Concurrency),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = options.RequestTimeout,
            AutomaticDecompression = DecompressionMethods.None,
            SslOptions = options.InsecureTls
                ? new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true }
                : new System.Net.Security.SslClientAuthenticationOptions(),
        };
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _flurl = new FlurlClient(http);
        _flurl.Settings.Redirects.Enabled = false;
        _flurl.Settings.Timeout = null;
        _flurl.Settings.AllowedHttpStatusRange = "*";
    }

    public ClientOptions Options { get; }
    public Redactor Redactor => _redactor;

    /// <summary>True once the target has timed out too often in a row; later requests fail fast.</summary>
    public bool CircuitOpen => Volatile.Read(ref _consecutiveTimeouts) >= Options.TimeoutsBeforeCircuitOpens;

    public async Task<Exchange> SendAsync(RequestSpec spec, CancellationToken ct = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _runToken);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var record = Record(spec);
        var rateLimited = 0;
        var waited = TimeSpan.Zero;
        var connectRetries = 0;
        while (true)
        {
            if (CircuitOpen)
                return new Exchange(record, null, new TransportFailure(FailureKind.CircuitOpen,
                    $"not sent: the target timed out {Options.TimeoutsBeforeCircuitOpens} times in a row ({Options.RequestTimeout.TotalSeconds:0.#} s each) and is treated as unresponsive"),
                    started, clock.Elapsed, rateLimited);
            if (linked.IsCancellationRequested)
                return new Exchange(record, null, new TransportFailure(FailureKind.Cancelled, "not sent: the run was cancelled or ran out of its time budget"), started, clock.Elapsed, rateLimited);

            var (response, failure) = await AttemptAsync(spec, linked.Token).ConfigureAwait(false);
            if (failure is { Kind: FailureKind.ConnectionFailed } && connectRetries++ < 2 && !linked.IsCancellationRequested)
            {
                await Delay(TimeSpan.FromMilliseconds(200 * connectRetries), linked.Token).ConfigureAwait(false);
                continue; // the request never reached the server: safe to send again, whatever the method
            }
            if (response is { Status: 429 })
            {
                var wait = RetryDelay(response, rateLimited);
                if (waited + wait <= Options.RateLimitBudget && !linked.IsCancellationRequested)
                {
                    rateLimited++;
                    waited += wait;
                    await Delay(wait, linked.Token).ConfigureAwait(false);
                    continue; // a 429 was not processed: safe to send again
                }
            }
            if (failure is { Kind: FailureKind.Timeout }) Interlocked.Increment(ref _consecutiveTimeouts);
            else if (response is not null) Interlocked.Exchange(ref _consecutiveTimeouts, 0);
            return new Exchange(record, response, failure, started, clock.Elapsed, rateLimited);
        }
    }

    private static async Task Delay(TimeSpan wait, CancellationToken ct)
    {
        try { await Task.Delay(wait, ct).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }

    /// <summary>Retry-After in seconds or as an HTTP date; else 0.5 s doubling per attempt; plus up to 25% jitter.</summary>
    internal TimeSpan RetryDelay(ResponseRecord response, int attempt)
    {
        TimeSpan wait;
        var header = response.Header("Retry-After");
        if (header is not null && double.TryParse(header, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            wait = TimeSpan.FromSeconds(seconds);
        else if (header is not null && DateTimeOffset.TryParseExact(header, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            wait = at - DateTimeOffset.UtcNow;
        else
            wait = TimeSpan.FromMilliseconds(500 * Math.Pow(2, Math.Min(attempt, 6)));
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        if (wait > Options.MaxRetryWait) wait = Options.MaxRetryWait;
        return wait + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * 0.25 * Math.Max(wait.TotalMilliseconds, 100));
    }

    private async Task<(ResponseRecord?, TransportFailure?)> AttemptAsync(RequestSpec spec, CancellationToken ct)
    {
        IDisposable slot;
        try { slot = await _pacer.EnterAsync(ct).ConfigureAwait(false); }
        catch (OperationCanceledException) { return (null, new TransportFailure(FailureKind.Cancelled, "not sent: the run was cancelled")); }

        using var held = slot;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Options.RequestTimeout);
        var phase = "sending the request";
        try
        {
            var request = _flurl.Request(spec.Url);
            if (spec.Auth.Value is { } auth) request = request.WithHeader("Authorization", auth.Reveal());
            HttpContent? content = null;
            if (spec.Body is not null)
            {
                content = new ByteArrayContent(spec.Body);
                if (spec.ContentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", spec.ContentType);
            }
            using var response = await request.SendAsync(spec.Method, content, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var message = response.ResponseMessage;
            phase = "reading the body";
            var (body, tooLarge) = await ReadCappedAsync(message.Content, timeout.Token).ConfigureAwait(false);
            var headers = message.Headers.Concat(message.Content.Headers)
                .Select(h => KeyValuePair.Create(h.Key, string.Join(", ", h.Value))).ToList();
            var record = new ResponseRecord((int)message.StatusCode, headers, body);
            return tooLarge
                ? (record, new TransportFailure(FailureKind.BodyTooLarge, $"the body is larger than {Options.MaxResponseBytes:N0} bytes; the suite stopped reading"))
                : (record, null);
        }
        catch (Exception) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return (null, new TransportFailure(FailureKind.Timeout, $"no complete answer within {Options.RequestTimeout.TotalSeconds:0.#} s (while {phase})"));
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            return (null, new TransportFailure(FailureKind.Cancelled, $"cancelled while {phase}: the run was cancelled or ran out of its time budget"));
        }
        catch (Exception e)
        {
            var kind = Classify(e, phase);
            return (null, new TransportFailure(kind, _redactor.Redact($"{Describe(kind)} while {phase}: {Innermost(e).Message}")));
        }
    }

    private async Task<(byte[], bool)> ReadCappedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var n = await stream.ReadAsync(chunk, ct).ConfigureAwait(false);
            if (n == 0) return (buffer.ToArray(), false);
            var room = Options.MaxResponseBytes - (int)buffer.Length;
            buffer.Write(chunk, 0, Math.Min(n, room));
            if (n > room) return (buffer.ToArray(), true);
        }
    }

    private static FailureKind Classify(Exception e, string phase)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.TryAgain })
                return phase == "sending the request" ? FailureKind.ConnectionFailed : FailureKind.ConnectionClosed;
            if (x is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } && phase == "sending the request" && e.Message.Contains("refused", StringComparison.OrdinalIgnoreCase))
                return FailureKind.ConnectionFailed;
            if (x is IOException or HttpIOException or HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse })
                return FailureKind.ConnectionClosed;
        }
        return FailureKind.Other;
    }

    private static string Describe(FailureKind kind) => kind switch
    {
        FailureKind.ConnectionFailed => "could not connect",
        FailureKind.ConnectionClosed => "the connection was closed or reset without a complete answer",
        _ => "transport error",
    };

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    private RequestRecord Record(RequestSpec spec)
    {
        string? body = null;
        if (spec.Body is not null)
        {
            try { body = new System.Text.UTF8Encoding(false, true).GetString(spec.Body); }
            catch (System.Text.DecoderFallbackException) { body = "(bytes, not UTF-8) " + Convert.ToHexString(spec.Body.AsSpan(0, Math.Min(spec.Body.Length, 256))); }
        }
        return new RequestRecord(spec.Method.Method, spec.Url, spec.Auth.Label, spec.Auth.Redacted, spec.ContentType,
            body is null ? null : _redactor.Redact(body), spec.Auth.Curl);
    }

    public void Dispose()
    {
        _flurl.Dispose();
        _pacer.Dispose();
    }
}
