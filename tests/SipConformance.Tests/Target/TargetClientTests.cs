using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Target;
using SipConformance.ReferenceServer;

namespace SipConformance.Tests.Target;

/// <summary>
/// The client against small loopback servers: 429s waited out as asked and within a budget,
/// retries only of what cannot have been processed, pacing and concurrency measured, redirects
/// not followed, bodies capped, time bounded, dead targets not waited on forever, TLS checked.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class TargetClientTests
{
    private static readonly Secret Token = new("PTunit-test-token-0123456789abcdef");
    private static readonly AuthHeader Auth = AuthHeader.Basic("primary project", "11111111-2222-4333-8444-555555555555", Token);

    private static TargetClient Client(ClientOptions? options = null, HttpMessageHandler? handler = null) =>
        new(options ?? new ClientOptions { RequestTimeout = TimeSpan.FromSeconds(5) }, new Redactor([Token], ["11111111-2222-4333-8444-555555555555"]), default, handler);

    private static RequestSpec Post(Uri url) => new(HttpMethod.Post, new Uri(url, "api/fabric/resources/sip_endpoints"), Auth, "{\"username\":\"sipconf_x_1\"}"u8.ToArray(), "application/json");
    private static RequestSpec Get(Uri url, string path = "api/fabric/resources/sip_endpoints") => new(HttpMethod.Get, new Uri(url, path), Auth);

    private static Task Answer(HttpContext ctx, int status, string body = "{}", string contentType = "application/json")
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        return ctx.Response.WriteAsync(body);
    }

    // ---- 429: Retry-After, backoff, budget

    [Test]
    public async Task A_429_with_Retry_After_in_seconds_is_waited_out_for_at_least_that_long_then_sent_again()
    {
        await using var server = await LoopbackServer.StartAsync((ctx, s) =>
        {
            if (s.Count("POST") == 1) { ctx.Response.Headers.RetryAfter = "1"; return Answer(ctx, 429); }
            return Answer(ctx, 200);
        });
        using var client = Client();

        var e = await client.SendAsync(Post(server.BaseUrl));

        e.Status.Should().Be(200);
        e.RateLimitedAttempts.Should().Be(1);
        e.Attempts.Should().Be(2);
        var posts = server.Requests.Where(r => r.Method == "POST").ToList();
        posts.Should().HaveCount(2);
        (posts[1].AtSeconds - posts[0].AtSeconds).Should().BeGreaterThanOrEqualTo(0.99, "Retry-After: 1 asks for one second").And.BeLessThan(2.5);
    }

    [Test]
    public async Task A_429_with_Retry_After_as_an_HTTP_date_is_waited_out_until_that_date()
    {
        await using var server = await LoopbackServer.StartAsync((ctx, s) =>
        {
            if (s.Count("GET") > 1) return Answer(ctx, 200);
            var now = DateTimeOffset.UtcNow;
            var whole = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero);
            ctx.Response.Headers.Date = whole.ToString("r", CultureInfo.InvariantCulture);
            ctx.Response.Headers.RetryAfter = whole.AddSeconds(2).ToString("r", CultureInfo.InvariantCulture);
            return Answer(ctx, 429);
        });
        using var client = Client();

        var e = await client.SendAsync(Get(server.BaseUrl));

        e.Status.Should().Be(200);
        e.RateLimitedAttempts.Should().Be(1);
        var gets = server.Requests.ToList();
        (gets[1].AtSeconds - gets[0].AtSeconds).Should().BeGreaterThanOrEqualTo(1.99, "the date is two seconds after the answer's Date header").And.BeLessThan(3.5);
    }

    [Test]
    public void Retry_After_is_read_as_seconds_or_as_a_date_measured_against_the_answers_Date()
    {
        ResponseRecord R(params (string, string)[] headers) => new(429, headers.Select(h => KeyValuePair.Create(h.Item1, h.Item2)).ToList(), []);

        TargetClient.RetryAfter(R(("Retry-After", "7"))).Should().Be(TimeSpan.FromSeconds(7));
        TargetClient.RetryAfter(R(("Retry-After", "Wed, 21 Oct 2015 07:28:30 GMT"), ("Date", "Wed, 21 Oct 2015 07:28:00 GMT"))).Should().Be(TimeSpan.FromSeconds(30));
        TargetClient.RetryAfter(R(("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"), ("Date", "Wed, 21 Oct 2015 07:29:00 GMT"))).Should().Be(TimeSpan.Zero, "a date in the past means now");
        TargetClient.RetryAfter(R(("Retry-After", "soon"))).Should().BeNull();
        TargetClient.RetryAfter(R(("Retry-After", "-3"))).Should().BeNull();
        TargetClient.RetryAfter(R()).Should().BeNull();

        using var client = Client(new ClientOptions { MaxRetryWait = TimeSpan.FromSeconds(4) });
        var asked = client.RetryDelay(R(("Retry-After", "10")), 0);
        asked.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(10), "a Retry-After is never shortened").And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(12.5));
        var delays = Enumerable.Range(0, 200).Select(_ => client.RetryDelay(R(), 0).TotalMilliseconds).ToList();
        delays.Should().OnlyContain(d => d >= 375 && d <= 625, "0.5 s, with up to 25% jitter either way");
        delays.Distinct().Should().HaveCountGreaterThan(50, "the jitter varies");
        client.RetryDelay(R(), 10).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(5), "backoff stops growing at MaxRetryWait (plus jitter)");
    }

    [Test]
    public async Task When_429s_outlast_the_budget_the_429_is_returned_with_the_attempt_count()
    {
        await using var server = await LoopbackServer.StartAsync((ctx, _) => Answer(ctx, 429, "{\"error\":\"Too Many Requests\"}"));
        // No Retry-After: waits of about 0.5 s then 1 s fit in 2 s; a third (about 2 s) does not.
        using var client = Client(new ClientOptions { RateLimitBudget = TimeSpan.FromSeconds(2), RequestTimeout = TimeSpan.FromSeconds(5) });
        var clock = Stopwatch.StartNew();

        var e = await client.SendAsync(Post(server.BaseUrl));

        e.Status.Should().Be(429);
        e.RateLimited.Should().BeTrue();
        e.Failure.Should().BeNull();
        e.RateLimitedAttempts.Should().Be(2);
        e.Attempts.Should().Be(3);
        server.Count("POST").Should().Be(3);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2.5), "the budget bounds the waiting");
    }

    [Test]
    public async Task A_Retry_After_longer_than_the_budget_is_not_shortened_the_429_comes_back_at_once()
    {
        await using var server = await LoopbackServer.StartAsync((ctx, _) => { ctx.Response.Headers.RetryAfter = "3600"; return Answer(ctx, 429); });
        using var client = Client(new ClientOptions { RateLimitBudget = TimeSpan.FromSeconds(30) });
        var clock = Stopwatch.StartNew();

        var e = await client.SendAsync(Get(server.BaseUrl));

        e.Status.Should().Be(429);
        e.RateLimitedAttempts.Should().Be(0);
        server.Requests.Should().HaveCount(1);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
    }

    // ---- only what cannot have been processed is sent again

    [Test]
    public async Task A_POST_that_timed_out_is_never_sent_again()
    {
        await using var server = await LoopbackServer.StartAsync((ctx, s) => s.HangAsync(ctx));
        using var client = Client(new ClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(400) });

        var e = await client.SendAsync(Post(server.BaseUrl));
        await Task.Delay(800);

        e.Failure!.Kind.Should().Be(FailureKind.Timeout);
        e.Failure.Message.Should().Contain("no complete answer within 0.4 s").And.Contain("no response headers arrived");
        e.Attempts.Should().Be(1);
        server.Count("POST").Should().Be(1);
    }

    [Test]
    public async Task A_POST_whose_connection_was_reset_after_it_was_read_is_never_sent_again()
    {
        await using var server = await LoopbackServer.StartAsync(async (ctx, _) =>
        {
            if (HttpMethods.IsGet(ctx.Request.Method)) { await Answer(ctx, 200); return; }
            using var reader = new StreamReader(ctx.Request.Body);
            await reader.ReadToEndAsync();
            ctx.Abort();
        });
        using var client = Client();
        (await client.SendAsync(Get(server.BaseUrl))).Status.Should().Be(200, "the connection is now pooled and will be reused");

        var e = await client.SendAsync(Post(server.BaseUrl));
        await Task.Delay(300);

        e.Failure!.Kind.Should().Be(FailureKind.ConnectionClosed);
        e.Failure.Message.Should().Contain("closed or reset");
        server.Count("POST").Should().Be(1);
    }

    [Test]
    public async Task A_refused_connection_is_tried_again_even_for_a_POST_since_nothing_was_sent()
    {
        await using var server = await LoopbackServer.StartAsync((ctx, _) => Answer(ctx, 200));
        var connects = 0;
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (context, ct) =>
            {
                if (Interlocked.Increment(ref connects) == 1) throw new SocketException((int)SocketError.ConnectionRefused);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = Client(handler: handler);

        var e = await client.SendAsync(Post(server.BaseUrl));

        e.Status.Should().Be(200);
        e.Attempts.Should().Be(2);
        connects.Should().Be(2);
        server.Count("POST").Should().Be(1);
    }

    [Test]
    public async Task A_port_that_refuses_every_connection_is_tried_three_times_then_reported()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = Client();

        var e = await client.SendAsync(Post(new Uri($"http://127.0.0.1:{port}/")));

        e.Failure!.Kind.Should().Be(FailureKind.ConnectionFailed);
        e.Failure.Message.Should().Contain("could not connect to 127.0.0.1:" + port);
        e.Attempts.Should().Be(3);
    }

    // ---- load caps

    [Test]
    public async Task Pacing_keeps_the_request_rate_under_the_cap()
    {
        await using var server = await LoopbackServer.StartAsync((ctx, _) => Answer(ctx, 200));
        using var client = Client(new ClientOptions { Concurrency = 8, MaxRequestsPerSecond = 10 });
        (await client.SendAsync(Get(server.BaseUrl, "warm-up"))).Status.Should().Be(200);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => client.SendAsync(Get(server.BaseUrl))));

        var times = server.Requests.Where(r => !r.PathAndQuery.Contains("warm-up", StringComparison.Ordinal)).Select(r => r.AtSeconds).Order().ToList();
        times.Should().HaveCount(16);
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        TestContext.Out.WriteLine($"arrival gaps (ms): {string.Join(", ", gaps.Select(g => (g * 1000).ToString("0", CultureInfo.InvariantCulture)))}");
        var rate = (times.Count - 1) / (times[^1] - times[0]);
        rate.Should().BeLessThanOrEqualTo(11, "at most 10 requests per second (with a little room for timer jitter)");
        rate.Should().BeGreaterThan(7, "the pacer spaces requests, it does not stall them");
        for (var i = 0; i + 10 < times.Count; i++)
            (times[i + 10] - times[i]).Should().BeGreaterThanOrEqualTo(0.9, "11 requests take a second (less a little timer jitter)");
    }

    [Test]
    public async Task Concurrency_caps_the_requests_in_flight()
    {
        await using var server = await LoopbackServer.StartAsync(async (ctx, _) => { await Task.Delay(150); await Answer(ctx, 200); });
        using var client = Client(new ClientOptions { Concurrency = 3 });

        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.SendAsync(Get(server.BaseUrl))));

        server.Requests.Should().HaveCount(12);
        server.MaxInFlight.Should().Be(3);
    }

    // ---- redirects and credentials

    [Test]
    public async Task A_redirect_to_another_host_is_not_followed_and_the_credentials_never_reach_it()
    {
        await using var elsewhere = await LoopbackServer.StartAsync((ctx, _) => Answer(ctx, 200), host: "127.0.0.2");
        await using var server = await LoopbackServer.StartAsync((ctx, _) =>
        {
            ctx.Response.StatusCode = 307;
            ctx.Response.Headers.Location = new Uri(elsewhere.BaseUrl, "api/fabric/resources/sip_endpoints").ToString();
            return Task.CompletedTask;
        });
        using var client = Client();

        var post = await client.SendAsync(Post(server.BaseUrl));
        var get = await client.SendAsync(Get(server.BaseUrl));

        post.Status.Should().Be(307);
        get.Status.Should().Be(307);
        post.Response!.Header("Location").Should().StartWith(elsewhere.BaseUrl.ToString());
        server.Requests.Should().HaveCount(2);
        server.Requests.Should().OnlyContain(r => r.Authorization != null, "the target itself gets the credentials");
        elsewhere.Requests.Should().BeEmpty("nothing, and no credential, goes to the host a redirect names");
    }

    [Test]
    public async Task A_redirect_loop_is_one_answer_not_a_loop()
    {
        await using var server = await LoopbackServer.StartAsync((ctx, _) =>
        {
            ctx.Response.StatusCode = 302;
            ctx.Response.Headers.Location = ctx.Request.Path + "?again=1";
            return Task.CompletedTask;
        });
        using var client = Client();

        var e = await client.SendAsync(Post(server.BaseUrl));

        e.Status.Should().Be(302);
        server.Requests.Should().HaveCount(1);
    }

    // ---- what is read, and for how long

    [Test]
    public async Task A_huge_body_is_read_only_up_to_the_cap()
    {
        var chunk = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
        await using var server = await LoopbackServer.StartAsync(async (ctx, s) =>
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength = 200L * chunk.Length;
            for (var i = 0; i < 200; i++) await ctx.Response.Body.WriteAsync(chunk, ctx.RequestAborted);
        });
        using var client = Client(new ClientOptions { MaxResponseBytes = 100_000 });
        var clock = Stopwatch.StartNew();

        var e = await client.SendAsync(Post(server.BaseUrl));

        e.Failure!.Kind.Should().Be(FailureKind.BodyTooLarge);
        e.Failure.Message.Should().Contain("larger than 100,000 bytes").And.Contain("Content-Length: 13,107,200");
        e.Response!.Status.Should().Be(200);
        e.Response.Body.Should().HaveCount(100_000);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(4));
    }

    [Test]
    public async Task A_body_that_drips_is_cut_off_at_the_request_timeout()
    {
        await using var server = await LoopbackServer.StartAsync(async (ctx, s) =>
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.StartAsync();
            for (var i = 0; i < 100; i++)
            {
                await ctx.Response.Body.WriteAsync(" "u8.ToArray(), ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                await Task.Delay(200, ctx.RequestAborted);
            }
        });
        using var client = Client(new ClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(700) });
        var clock = Stopwatch.StartNew();

        var e = await client.SendAsync(Post(server.BaseUrl));

        e.Failure!.Kind.Should().Be(FailureKind.Timeout);
        e.Failure.Message.Should().Contain("no complete answer within 0.7 s").And.Contain("the HTTP 200 headers arrived").And.Contain("the body did not finish");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        server.Count("POST").Should().Be(1);
    }

    [Test]
    public async Task A_target_that_accepts_connections_but_never_answers_opens_the_circuit_and_later_requests_fail_fast()
    {
        using var dead = new SilentListener();
        using var client = Client(new ClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(300), TimeoutsBeforeCircuitOpens = 2, CircuitRetryInterval = TimeSpan.FromSeconds(30) });
        var clock = Stopwatch.StartNew();

        var results = new List<Exchange>();
        for (var i = 0; i < 10; i++) results.Add(await client.SendAsync(Get(dead.BaseUrl)));

        results.Take(2).Should().OnlyContain(e => e.Failure!.Kind == FailureKind.Timeout);
        results.Skip(2).Should().OnlyContain(e => e.Failure!.Kind == FailureKind.CircuitOpen);
        results[2].Failure!.Message.Should().Contain("treated as unresponsive");
        results[2].Attempts.Should().Be(0, "it was not sent");
        client.CircuitOpen.Should().BeTrue();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2.5), "two timeouts and one plain GET, then nothing waits");
    }

    [Test]
    public async Task A_target_that_is_slow_only_on_some_requests_is_not_treated_as_unresponsive()
    {
        await using var server = await LoopbackServer.StartAsync((ctx, s) => HttpMethods.IsPost(ctx.Request.Method) ? s.HangAsync(ctx) : Answer(ctx, 401, "{\"error\":\"Unauthorized\"}"));
        using var client = Client(new ClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(300), TimeoutsBeforeCircuitOpens = 2 });

        for (var i = 0; i < 4; i++)
            (await client.SendAsync(Post(server.BaseUrl))).Failure!.Kind.Should().Be(FailureKind.Timeout);
        var get = await client.SendAsync(Get(server.BaseUrl));

        client.CircuitOpen.Should().BeFalse();
        get.Status.Should().Be(401);
        server.Count("POST").Should().Be(4, "no POST was sent twice");
        server.Requests.Where(r => r.Method == "GET").Should().Contain(r => r.Authorization == null, "the liveness check carries no credential");
    }

    [Test]
    public async Task An_open_circuit_closes_again_once_the_target_answers()
    {
        var silent = true;
        await using var server = await LoopbackServer.StartAsync((ctx, s) => Volatile.Read(ref silent) ? s.HangAsync(ctx) : Answer(ctx, 200));
        using var client = Client(new ClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(250), TimeoutsBeforeCircuitOpens = 2, CircuitRetryInterval = TimeSpan.FromMilliseconds(300) });

        for (var i = 0; i < 2; i++) await client.SendAsync(Get(server.BaseUrl));
        client.CircuitOpen.Should().BeTrue();
        (await client.SendAsync(Get(server.BaseUrl))).Failure!.Kind.Should().Be(FailureKind.CircuitOpen);
        Volatile.Write(ref silent, false);
        await Task.Delay(400);

        var e = await client.SendAsync(Get(server.BaseUrl));

        e.Status.Should().Be(200);
        client.CircuitOpen.Should().BeFalse();
    }

    [Test]
    public async Task A_cancelled_run_stops_a_request_under_way()
    {
        await using var server = await LoopbackServer.StartAsync((ctx, s) => s.HangAsync(ctx));
        using var run = new CancellationTokenSource();
        using var client = new TargetClient(new ClientOptions { RequestTimeout = TimeSpan.FromSeconds(30) }, Redactor.Nothing, run.Token);
        var clock = Stopwatch.StartNew();

        var pending = client.SendAsync(Post(server.BaseUrl));
        await Task.Delay(200);
        await run.CancelAsync();
        var e = await pending;

        e.Failure!.Kind.Should().Be(FailureKind.Cancelled);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
        (await client.SendAsync(Get(server.BaseUrl))).Failure!.Message.Should().StartWith("not sent");
    }

    // ---- TLS

    [Test]
    public async Task A_self_signed_certificate_is_refused_unless_insecure_TLS_is_asked_for()
    {
        using var cert = LoopbackCertificate.Create();
        await using var server = await LoopbackServer.StartAsync((ctx, _) => Answer(ctx, 200), certificate: cert);
        using var strict = Client();
        using var insecure = Client(new ClientOptions { InsecureTls = true });

        var refused = await strict.SendAsync(Get(server.BaseUrl));
        var accepted = await insecure.SendAsync(Get(server.BaseUrl));

        refused.Failure!.Kind.Should().Be(FailureKind.Tls);
        refused.Failure.Message.Should().Contain("TLS handshake").And.Contain("certificate").And.Contain("SIPCONF_INSECURE_TLS=true");
        refused.Attempts.Should().Be(1, "a refused certificate is not tried again");
        var again = await strict.SendAsync(Post(server.BaseUrl));
        again.Failure!.Kind.Should().Be(FailureKind.Tls);
        again.Failure.Message.Should().StartWith("not sent: the TLS handshake", "no handshake after handshake with a certificate already refused");
        again.Attempts.Should().Be(0);
        server.Requests.Should().HaveCount(1, "only the insecure client got through");
        accepted.Status.Should().Be(200);
    }

    // ---- secrets

    [Test]
    public async Task What_the_client_records_never_holds_the_token()
    {
        await using var server = await LoopbackServer.StartAsync((ctx, _) =>
            Answer(ctx, 401, $"{{\"error\":\"Unauthorized\",\"received\":\"{ctx.Request.Headers.Authorization}\",\"token\":\"{Token.Reveal()}\"}}"));
        using var client = Client();

        var e = await client.SendAsync(Post(server.BaseUrl) with { Body = Encoding.UTF8.GetBytes($"{{\"note\":\"{Token.Reveal()}\"}}") });

        server.Requests.Single().Authorization.Should().Be(Auth.Value!.Reveal(), "the real credentials are sent");
        e.Request.Authorization.Should().Be("Basic [REDACTED]");
        e.Request.BodyText.Should().NotContain(Token.Reveal());
        e.ToString().Should().NotContain(Token.Reveal()).And.NotContain(AuthHeader.Base64("11111111-2222-4333-8444-555555555555:" + Token.Reveal()));
        e.Response!.Text.Should().Be("{\"error\":\"Unauthorized\",\"received\":\"Basic [REDACTED]\",\"token\":\"[REDACTED]\"}",
            "an answer that hands the credential back is recorded without it, so no check message built from it can carry it");
        e.Response.Json.Should().NotBeNull("redaction keeps JSON JSON");
        var evidence = new SipConformance.Findings.Violation("c", "m") { Exchanges = [SipConformance.Findings.ExchangeRecord.Of(e)] }.Redacted(client.Redactor).EvidenceText();
        evidence.Should().Contain("Unauthorized").And.Contain("[REDACTED]");
        evidence.Should().NotContain(Token.Reveal()).And.NotContain(AuthHeader.Base64("11111111-2222-4333-8444-555555555555:" + Token.Reveal()).TrimEnd('='));
        evidence.Should().Contain("$SIPCONF_API_TOKEN", "the curl line rebuilds the header from the environment");
    }

    [Test]
    public async Task A_reflected_secret_is_cut_out_of_an_answer_byte_for_byte_leaving_the_rest_as_it_was()
    {
        byte[] body = [.. "{\"display_name\":\""u8, 0xFF, 0xFE, .. "\",\"echo\":\""u8, .. Encoding.ASCII.GetBytes(Token.Reveal()), .. "\",\"name\":\"J\u00fcrgen\"}"u8];
        await using var server = await LoopbackServer.StartAsync(async (ctx, _) =>
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            ctx.Response.Headers["WWW-Authenticate"] = $"Basic realm=\"{Token.Reveal()}\"";
            await ctx.Response.Body.WriteAsync(body);
        });
        using var client = Client();

        var e = await client.SendAsync(Get(server.BaseUrl));

        byte[] expected = [.. "{\"display_name\":\""u8, 0xFF, 0xFE, .. "\",\"echo\":\"[REDACTED]\",\"name\":\"J\u00fcrgen\"}"u8];
        e.Response!.Body.Should().Equal(expected, "the invalid UTF-8 and the multi-byte text are kept exactly");
        e.Response.TextProblem.Should().Contain("not valid UTF-8");
        e.Response.Header("WWW-Authenticate").Should().Be("Basic realm=\"[REDACTED]\"");
    }

    [Test]
    public async Task A_transport_error_message_is_redacted()
    {
        // A URL that holds the token (as a misconfigured one might): whatever the message quotes, it is redacted.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = Client(new ClientOptions { RequestTimeout = TimeSpan.FromSeconds(5), ConnectRetries = 0 });

        var e = await client.SendAsync(Get(new Uri($"http://127.0.0.1:{port}/"), $"{Token.Reveal()}/x?token={Token.Reveal()}"));

        e.Failure!.Kind.Should().Be(FailureKind.ConnectionFailed);
        e.Failure.Message.Should().NotContainEquivalentOf(Token.Reveal());
    }
}
