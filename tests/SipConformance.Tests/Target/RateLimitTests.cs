using System.Diagnostics;
using System.Globalization;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Target;

namespace SipConformance.Tests.Target;

/// <summary>
/// The client against rate limiters: a token bucket of R requests per second, whose 429s carry a
/// Retry-After, is converged on (a burst of N requests takes about N/R seconds and meets few 429s),
/// one request waiting out a 429 does not hold up the others, and 429s that do not come from the
/// request rate do not drag the pace down.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RateLimitTests
{
    private static readonly Secret Token = new("PTrate-test-token-0123456789abcdef");
    private static readonly AuthHeader Auth = AuthHeader.Basic("primary project", "11111111-2222-4333-8444-555555555555", Token);

    private static TargetClient Client(int concurrency = 8) =>
        new(new ClientOptions { RequestTimeout = TimeSpan.FromSeconds(10), Concurrency = concurrency }, new Redactor([Token]));

    private static RequestSpec Post(Uri url, string path = "api/fabric/resources/sip_endpoints") =>
        new(HttpMethod.Post, new Uri(url, path), Auth, "{}"u8.ToArray(), "application/json");

    private static Task Answer(HttpContext ctx, int status, string? retryAfter = null)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        if (retryAfter is not null) ctx.Response.Headers.RetryAfter = retryAfter;
        return ctx.Response.WriteAsync("{}");
    }

    /// <summary>A token bucket: <paramref name="rate"/> tokens a second, as many held at most; a 429 says in whole seconds when the next token comes.</summary>
    private sealed class TokenBucket(double perSecond)
    {
        private readonly double rate = perSecond;
        private readonly Lock _gate = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private double _tokens = perSecond;
        private double _last;
        public int Limited;

        public Task Handle(HttpContext ctx)
        {
            string? retryAfter = null;
            lock (_gate)
            {
                var now = _clock.Elapsed.TotalSeconds;
                _tokens = Math.Min(rate, _tokens + (now - _last) * rate);
                _last = now;
                if (_tokens >= 1) _tokens -= 1;
                else
                {
                    Limited++;
                    retryAfter = Math.Max(1, (int)Math.Ceiling((1 - _tokens) / rate)).ToString(CultureInfo.InvariantCulture);
                }
            }
            return retryAfter is null ? Answer(ctx, 200) : Answer(ctx, 429, retryAfter);
        }
    }

    [TestCase(20, 100)]
    [TestCase(5, 80)]
    public async Task A_burst_against_a_token_bucket_takes_about_N_over_R_seconds_and_meets_few_429s(int rate, int n)
    {
        var bucket = new TokenBucket(rate);
        await using var server = await LoopbackServer.StartAsync((ctx, _) => bucket.Handle(ctx));
        using var client = Client();
        var clock = Stopwatch.StartNew();

        var all = await Task.WhenAll(Enumerable.Range(0, n).Select(_ => client.SendAsync(Post(server.BaseUrl))));

        var elapsed = clock.Elapsed.TotalSeconds;
        TestContext.Out.WriteLine($"R={rate}/s N={n}: {elapsed:0.00} s, {bucket.Limited} x 429, {client.PaceDecreases} decrease(s), pace now {client.PacedRate:0.0}/s");
        all.Should().OnlyContain(e => e.Status == 200, "every 429 was waited out");
        elapsed.Should().BeLessThanOrEqualTo(1.5 * n / rate + 1, "the run converges on the rate the target allows");
        bucket.Limited.Should().BeLessThan(n / 4, "the pace adapts instead of hitting the limit again and again");
        client.PacedRate.Should().BeInRange(rate * 0.3, rate * 3, "the pace found is near the limit");
    }

    [Test]
    public async Task One_request_waiting_out_a_429_does_not_hold_up_the_others()
    {
        var slowSeen = 0;
        await using var server = await LoopbackServer.StartAsync((ctx, _) =>
            ctx.Request.Path.Value!.EndsWith("slow", StringComparison.Ordinal) && Interlocked.Increment(ref slowSeen) == 1 ? Answer(ctx, 429, "3") : Answer(ctx, 200));
        using var client = Client(concurrency: 2);
        var clock = Stopwatch.StartNew();

        var slow = client.SendAsync(Post(server.BaseUrl, "slow"));
        await Task.Delay(100);
        var others = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.SendAsync(Post(server.BaseUrl))));
        var othersDone = clock.Elapsed;
        var waited = await slow;

        others.Should().OnlyContain(e => e.Status == 200);
        othersDone.Should().BeLessThan(TimeSpan.FromSeconds(2), "the 3 s wait of one request neither holds a slot nor stops the rest");
        waited.Status.Should().Be(200);
        waited.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2.9));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Answers_429_to_one_request_in_seven_whatever_the_rate_do_not_drag_the_pace_down(bool atRandom)
    {
        var count = 0;
        var random = new Random(20261205);
        bool Limited()
        {
            lock (random) return atRandom ? random.Next(7) == 0 : ++count % 7 == 0;
        }
        await using var server = await LoopbackServer.StartAsync((ctx, _) => Limited() ? Answer(ctx, 429, "1") : Answer(ctx, 200));
        using var client = Client();
        var clock = Stopwatch.StartNew();

        var all = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => client.SendAsync(Post(server.BaseUrl))));

        var elapsed = clock.Elapsed.TotalSeconds;
        TestContext.Out.WriteLine($"1 in 7 ({(atRandom ? "at random" : "every 7th")}): {elapsed:0.00} s for 400 requests, {client.RequestsSent} sent, {client.PaceDecreases} decrease(s), pace now {client.PacedRate:0.0}/s");
        all.Should().OnlyContain(e => e.Status == 200);
        elapsed.Should().BeLessThan(8, "each 429 costs its own request one second; the pace stays well above one request per 429 wait");
    }
}
