using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Target;

namespace SipConformance.Tests.Target;

/// <summary>
/// What HTTP (RFC 9110, 9112), JSON (RFC 8259) and URIs (RFC 3986) leave to a server, each written by a
/// loopback server and read by the client and SipApi's readers as those specifications let a client read it
/// (docs/HTTP-FREEDOMS.md lists them). Each test also holds that a wrong answer is still read as wrong.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class HttpFreedomsTests
{
    private const string ProjectId = "11111111-2222-4333-8444-555555555555";
    private const string Id = "0f8e9d6c-1b2a-4c3d-8e4f-5a6b7c8d9e0f";
    private static readonly Secret Token = new("PTfreedom-test-token-0123456789abcdef");
    private static readonly AuthHeader Auth = AuthHeader.Basic("primary project", ProjectId, Token);
    private static readonly string Endpoint = $"{{\"id\":\"{Id}\",\"type\":\"sip_endpoint\",\"sip_endpoint\":{{\"username\":\"sipconf_x_1\"}}}}";

    private static TargetClient Client(int maxBytes = 1 << 20) =>
        new(new ClientOptions { RequestTimeout = TimeSpan.FromSeconds(5), MaxResponseBytes = maxBytes }, new Redactor([Token], [ProjectId]));

    private static RequestSpec Get(Uri url, string path = "api/fabric/resources/sip_endpoints") => new(HttpMethod.Get, new Uri(url, path), Auth);

    private static Task Write(HttpContext ctx, byte[] body, string? contentEncoding = null, string contentType = "application/json", int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        if (contentEncoding is not null) ctx.Response.Headers.ContentEncoding = contentEncoding;
        return ctx.Response.Body.WriteAsync(body).AsTask();
    }

    private static byte[] Compress(byte[] data, Func<Stream, Stream> encoder)
    {
        using var output = new MemoryStream();
        using (var s = encoder(output)) s.Write(data);
        return output.ToArray();
    }

    private static readonly Dictionary<string, Func<Stream, Stream>> Encoders = new()
    {
        ["gzip"] = s => new GZipStream(s, CompressionLevel.Fastest),
        ["x-gzip"] = s => new GZipStream(s, CompressionLevel.Fastest),
        ["GZIP"] = s => new GZipStream(s, CompressionLevel.Fastest),
        ["deflate"] = s => new ZLibStream(s, CompressionLevel.Fastest),
        ["deflate (raw, no zlib wrapper)"] = s => new DeflateStream(s, CompressionLevel.Fastest),
        ["br"] = s => new BrotliStream(s, CompressionLevel.Fastest),
    };

    // ---- content codings (RFC 9110 8.4, 12.5.3)

    [TestCase("gzip")]
    [TestCase("x-gzip")]
    [TestCase("GZIP")]
    [TestCase("deflate")]
    [TestCase("deflate (raw, no zlib wrapper)")]
    [TestCase("br")]
    public async Task A_body_in_a_content_coding_is_decoded_and_its_id_read(string coding)
    {
        var header = coding.Split(' ')[0];
        await using var server = await LoopbackServer.StartAsync((ctx, _) => Write(ctx, Compress(Encoding.UTF8.GetBytes(Endpoint), Encoders[coding]), header));
        using var client = Client();

        var e = await client.SendAsync(Get(server.BaseUrl));

        e.Failure.Should().BeNull();
        e.Response!.Header("Content-Encoding").Should().Be(header, "the header is recorded as received");
        e.Response.JsonProblem.Should().BeNull();
        SipApi.CreatedId(e).Should().Be(Id);
    }

    [Test]
    public async Task Codings_applied_one_after_another_are_undone_in_reverse_order_and_the_client_says_what_it_decodes()
    {
        string? acceptEncoding = null;
        await using var server = await LoopbackServer.StartAsync((ctx, _) =>
        {
            acceptEncoding = ctx.Request.Headers.AcceptEncoding;
            var once = Compress(Encoding.UTF8.GetBytes(Endpoint), Encoders["deflate"]);
            return Write(ctx, Compress(once, Encoders["gzip"]), "deflate, identity,gzip");
        });
        using var client = Client();

        var e = await client.SendAsync(Get(server.BaseUrl));

        acceptEncoding.Should().Be(ContentCoding.Accepted);
        SipApi.CreatedId(e).Should().Be(Id);
    }

    [Test]
    public async Task A_coding_the_client_cannot_decode_or_a_body_that_is_not_what_its_coding_says_is_an_unreadable_answer()
    {
        await using var unknown = await LoopbackServer.StartAsync((ctx, _) => Write(ctx, Encoding.UTF8.GetBytes(Endpoint), "zstd"));
        await using var corrupt = await LoopbackServer.StartAsync((ctx, _) => Write(ctx, Encoding.UTF8.GetBytes(Endpoint), "gzip"));
        using var client = Client();

        var a = await client.SendAsync(Get(unknown.BaseUrl));
        var b = await client.SendAsync(Get(corrupt.BaseUrl));

        a.Failure.Should().NotBeNull();
        a.Failure!.Message.Should().Contain("zstd").And.Contain(ContentCoding.Accepted);
        b.Failure.Should().NotBeNull();
        b.Failure!.Message.Should().Contain("not valid gzip data");
    }

    [Test]
    public async Task A_compressed_body_is_capped_after_decoding_so_a_small_bomb_is_cut_off()
    {
        var huge = Compress(new byte[5_000_000], Encoders["gzip"]);
        huge.Length.Should().BeLessThan(64 * 1024);
        await using var server = await LoopbackServer.StartAsync((ctx, _) => Write(ctx, huge, "gzip"));
        using var client = Client(maxBytes: 256 * 1024);

        var e = await client.SendAsync(Get(server.BaseUrl));

        e.Failure!.Kind.Should().Be(FailureKind.BodyTooLarge);
        e.Response!.Body.Length.Should().Be(256 * 1024);
    }

    // ---- media types, header fields (RFC 9110 5.1, 5.3, 5.6.6, 8.3.1)

    [TestCase("application/json", "application/json")]
    [TestCase("Application/JSON", "application/json")]
    [TestCase("application/json;charset=utf-8", "application/json")]
    [TestCase("application/json ; Charset=\"UTF-8\"", "application/json")]
    [TestCase("  application/json\t;charset=\"a;b\"", "application/json")]
    [TestCase("application/problem+json", "application/problem+json")]
    [TestCase("text/html; charset=utf-8", "text/html")]
    [TestCase("", "")]
    public void A_media_type_is_read_case_insensitively_whatever_its_parameters_and_whitespace(string contentType, string mediaType) =>
        ResponseRecord.MediaTypeOf(contentType).Should().Be(mediaType);

    [Test]
    public async Task A_media_type_in_any_letter_case_with_quoted_parameters_reaches_the_readers_as_application_json()
    {
        await using var server = await RawServer("HTTP/1.1 200 OK\ncontent-TYPE: APPLICATION/Json ; charset=\"UTF-8\"\ncontent-length: {0}\n\n");
        using var client = Client();

        var e = await client.SendAsync(Get(server.BaseUrl));

        e.Response!.MediaType.Should().Be(SipApi.JsonContentType);
        SipApi.CreatedId(e).Should().Be(Id);
    }

    [Test]
    public async Task Header_names_are_case_insensitive_and_repeated_lines_are_combined()
    {
        await using var server = await RawServer("HTTP/1.1 200 OK\nContent-Type: application/json\nx-sipconf-note: one\nX-SIPCONF-NOTE: two\nContent-Length: {0}\n\n");
        using var client = Client();

        var e = await client.SendAsync(Get(server.BaseUrl));

        e.Response!.Header("X-Sipconf-Note").Should().Be("one, two");
        e.Response.Header("CONTENT-TYPE").Should().Be("application/json");
    }

    [Test]
    public async Task A_folded_header_line_obs_fold_is_read_with_the_fold_as_whitespace()
    {
        // RFC 9112 5.2: a server MUST NOT send obs-fold, but a user agent that receives one MUST read it as SP.
        await using var server = await RawServer("HTTP/1.1 200 OK\nContent-Type: application/json\nX-Sipconf-Note: one\n  two\nContent-Length: {0}\n\n");
        using var client = Client();

        var e = await client.SendAsync(Get(server.BaseUrl));

        TestContext.Out.WriteLine($"obs-fold: {e.Failure?.ToString() ?? e.Response!.Header("X-Sipconf-Note")}");
        e.Failure.Should().BeNull();
        e.Response!.Header("X-Sipconf-Note").Should().MatchRegex("^one +two$");
        SipApi.CreatedId(e).Should().Be(Id);
    }

    // ---- message framing and status lines (RFC 9110 15.2, RFC 9112 4, 6.3, 7.1, 9.6)

    [Test]
    public async Task Interim_1xx_answers_before_the_final_one_are_skipped()
    {
        await using var server = await RawServer("HTTP/1.1 103 Early Hints\nLink: </style.css>; rel=preload\n\nHTTP/1.1 102 Processing\n\nHTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: {0}\n\n");
        using var client = Client();

        var e = await client.SendAsync(Get(server.BaseUrl));

        e.Status.Should().Be(200);
        SipApi.CreatedId(e).Should().Be(Id);
    }

    [Test]
    public async Task A_chunked_body_with_chunk_extensions_and_trailer_fields_is_read_whole()
    {
        var body = Encoding.UTF8.GetBytes(Endpoint);
        var half = body.Length / 2;
        var chunked = Encoding.ASCII.GetBytes($"{half:x};name=value;quoted=\"x y\"\r\n")
            .Concat(body[..half]).Concat("\r\n"u8.ToArray())
            .Concat(Encoding.ASCII.GetBytes($"{body.Length - half:X}\r\n")).Concat(body[half..]).Concat("\r\n"u8.ToArray())
            .Concat("0\r\nX-Checksum: abc\r\nX-Count: 1\r\n\r\n"u8.ToArray()).ToArray();
        await using var server = new RawHttpServer(_ => RawHttpServer.Answer("HTTP/1.1 200 OK\nContent-Type: application/json\nTransfer-Encoding: chunked\nTrailer: X-Checksum, X-Count\n\n", chunked));
        using var client = Client();

        var e = await client.SendAsync(Get(server.BaseUrl));

        e.Failure.Should().BeNull();
        e.Response!.Body.Should().Equal(body);
        SipApi.CreatedId(e).Should().Be(Id);
    }

    [Test]
    public async Task A_body_ended_by_closing_the_connection_with_an_HTTP_1_0_status_line_and_no_reason_phrase_is_read_and_the_next_request_reconnects()
    {
        await using var server = new RawHttpServer(_ =>
            RawHttpServer.Answer("HTTP/1.0 200 \nContent-Type: application/json\nConnection: close\n\n", Encoding.UTF8.GetBytes(Endpoint), close: true));
        using var client = Client();

        var first = await client.SendAsync(Get(server.BaseUrl));
        var second = await client.SendAsync(Get(server.BaseUrl));

        first.Failure.Should().BeNull();
        SipApi.CreatedId(first).Should().Be(Id);
        SipApi.CreatedId(second).Should().Be(Id);
        server.Connections.Should().Be(2, "a closed connection is not reused");
    }

    [Test]
    public async Task Connection_close_after_a_Content_Length_body_is_followed_by_a_new_connection()
    {
        await using var server = new RawHttpServer(_ =>
            RawHttpServer.Answer($"HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: {Encoding.UTF8.GetByteCount(Endpoint)}\nConnection: close\n\n", Encoding.UTF8.GetBytes(Endpoint), close: true));
        using var client = Client();

        for (var i = 0; i < 3; i++) SipApi.CreatedId(await client.SendAsync(Get(server.BaseUrl))).Should().Be(Id);
        server.Connections.Should().Be(3);
    }

    // ---- JSON (RFC 8259 2, 7, 8.1)

    [Test]
    public async Task Json_with_insignificant_whitespace_escapes_and_members_in_any_order_is_read()
    {
        var escapedId = string.Concat(Id.Select(c => c == '-' ? "-" : $"\\u{(int)c:X4}"));
        var body = $" \r\n\t{{ \"sip_endpoint\" :\n {{ \"username\" : \"sipconf\\u005fx\\/1\\u00e9\\ud83d\\ude00\" }} ,\"type\":\"sip_endpoint\" ,\n\"id\"\t:\t\"{escapedId}\" }}\n\n";
        await using var server = await LoopbackServer.StartAsync((ctx, _) => Write(ctx, Encoding.UTF8.GetBytes(body)));
        using var client = Client();

        var e = await client.SendAsync(Get(server.BaseUrl));

        e.Response!.JsonProblem.Should().BeNull();
        SipApi.CreatedId(e).Should().Be(Id);
        SipApi.Username(e.Response.Json!.Value).Should().Be("sipconf_x/1\u00e9\U0001F600");
    }

    [Test]
    public async Task Json_behind_a_byte_order_mark_is_read_but_the_mark_is_still_named_as_the_bodys_problem()
    {
        await using var server = await LoopbackServer.StartAsync((ctx, _) => Write(ctx, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Endpoint)]));
        using var client = Client();

        var e = await client.SendAsync(Get(server.BaseUrl));

        SipApi.CreatedId(e).Should().Be(Id, "a parser MAY ignore a BOM (RFC 8259 8.1): the id is read, so the endpoint is cleaned up");
        e.Response!.JsonProblem.Should().Be(ResponseRecord.ByteOrderMark, "a server MUST NOT send one: the JSON rule still judges it");
    }

    [Test]
    public void A_body_that_is_not_JSON_is_still_not_JSON()
    {
        var r = new ResponseRecord(200, [], Encoding.UTF8.GetBytes("{\"id\": 'single'}"));
        r.Json.Should().BeNull();
        r.JsonProblem.Should().StartWith("the body is not JSON");
        new ResponseRecord(200, [], [0xEF, 0xBB, 0xBF]).Json.Should().BeNull("a BOM alone is no JSON text");
    }

    // ---- Retry-After (RFC 9110 10.2.3, 5.6.7)

    [TestCase("Wed, 21 Oct 2015 07:28:30 GMT")]
    [TestCase("Wednesday, 21-Oct-15 07:28:30 GMT")]
    [TestCase("Wed Oct 21 07:28:30 2015")]
    [TestCase("wed,  21 oct 2015 07:28:30 gmt")]
    public void Retry_After_as_an_HTTP_date_is_read_in_each_of_its_three_formats(string date)
    {
        var r = new ResponseRecord(429, [KeyValuePair.Create("Retry-After", date), KeyValuePair.Create("Date", "Wed, 21 Oct 2015 07:28:00 GMT")], []);
        TargetClient.RetryAfter(r).Should().Be(TimeSpan.FromSeconds(30));
    }

    [Test]
    public void The_obsolete_formats_are_read_as_RFC_9110_says_single_digit_days_and_two_digit_years_included()
    {
        HttpDate.TryParse("Sun Nov  6 08:49:37 1994", out var asctime).Should().BeTrue();
        asctime.Should().Be(new DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero));
        HttpDate.TryParse("Sunday, 06-Nov-94 08:49:37 GMT", out var old, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).Should().BeTrue();
        old.Year.Should().Be(1994, "94 read as 2094 would be more than 50 years ahead of 2026");
        HttpDate.TryParse("Friday, 01-Jan-27 00:00:00 GMT", out var soon, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).Should().BeTrue();
        soon.Year.Should().Be(2027);
        HttpDate.TryParse("Wed, 31 Feb 2015 07:28:30 GMT", out _).Should().BeFalse("no such day");
        HttpDate.TryParse("2015-10-21T07:28:30Z", out _).Should().BeFalse("not an HTTP-date");
        TargetClient.RetryAfter(new ResponseRecord(429, [KeyValuePair.Create("Retry-After", "99999999999999")], []))
            .Should().BeGreaterThan(TimeSpan.FromDays(365), "a delta too large to count is still a very long wait, not none");
    }

    [Test]
    public async Task A_429_whose_Retry_After_is_an_asctime_date_is_waited_out_until_then()
    {
        var now = DateTimeOffset.UtcNow;
        var whole = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero);
        var asked = whole.AddSeconds(2);
        var asctime = asked.ToString("ddd MMM ", CultureInfo.InvariantCulture) + asked.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) + asked.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);
        var date = whole.ToString("dddd, dd-MMM-yy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);
        var body = Encoding.UTF8.GetBytes(Endpoint);
        await using var server = new RawHttpServer(r => r.Connection == 1 && r.Method == "GET" && !r.Target.Contains("again", StringComparison.Ordinal) && Interlocked.Increment(ref _asctimeSeen) == 1
            ? RawHttpServer.Answer($"HTTP/1.1 429 Too Many Requests\nDate: {date}\nRetry-After: {asctime}\nContent-Length: 0\n\n")
            : RawHttpServer.Answer($"HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: {body.Length}\n\n", body));
        using var client = Client();

        var e = await client.SendAsync(Get(server.BaseUrl));

        e.Status.Should().Be(200);
        e.RateLimitedAttempts.Should().Be(1);
        e.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9)).And.BeLessThan(TimeSpan.FromSeconds(4));
    }

    private static int _asctimeSeen;

    // ---- links.next (RFC 3986 5.2, 2.1; RFC 6454)

    private static string Page(string? next, string nextJson = "") =>
        $"{{\"data\":[{Endpoint}],\"links\":{{\"self\":\"x\"{(next is null ? nextJson : $",\"next\":{JsonSerializer.Serialize(next)}")}}}}}";

    /// <summary>A two-page list: the first page's links.next is written by <paramref name="next"/> from the server's base URL.</summary>
    private static async Task<(ListResult, LoopbackServer)> TwoPages(Func<Uri, string> next)
    {
        LoopbackServer? self = null;
        var server = await LoopbackServer.StartAsync((ctx, s) =>
        {
            self = s;
            var first = ctx.Request.Path.Value!.EndsWith("sip_endpoints", StringComparison.Ordinal) && !ctx.Request.QueryString.HasValue;
            return Write(ctx, Encoding.UTF8.GetBytes(first ? Page(next(s.BaseUrl)) : Page(null, ",\"next\":null")));
        });
        using var client = Client();
        var api = new SipApi(client, server.BaseUrl, SipContract.Default, null);
        return (await api.ListAllAsync(Auth), server);
    }

    [TestCase("?page_token=PA2&page_size=50", "/api/fabric/resources/sip_endpoints?page_token=PA2&page_size=50")]
    [TestCase("sip_endpoints?page=2", "/api/fabric/resources/sip_endpoints?page=2")]
    [TestCase("../resources/./sip_endpoints?page=2", "/api/fabric/resources/sip_endpoints?page=2")]
    [TestCase("/api/fabric/resources/sip_endpoints?cursor=a%2Bb%3D%3D&filter=x%20y", "/api/fabric/resources/sip_endpoints?cursor=a%2Bb%3D%3D&filter=x%20y")]
    [TestCase("{base}api/fabric/resources/sip_endpoints?page_number=1&page_token=PA%2F2", "/api/fabric/resources/sip_endpoints?page_number=1&page_token=PA%2F2")]
    [TestCase("//{authority}/api/fabric/resources/sip_endpoints/?page=2#frag", "/api/fabric/resources/sip_endpoints/?page=2")]
    public async Task Links_next_relative_or_absolute_with_any_query_is_resolved_against_the_page_and_followed(string next, string expected)
    {
        var (list, server) = await TwoPages(b => next.Replace("{base}", b.AbsoluteUri, StringComparison.Ordinal).Replace("{authority}", b.Authority, StringComparison.Ordinal));
        await using var _ = server;

        list.Problem.Should().BeNull();
        list.Pages.Should().HaveCount(2);
        list.Items.Should().HaveCount(2);
        server.Requests.Select(r => r.PathAndQuery).Should().Equal("/api/fabric/resources/sip_endpoints", expected);
        server.Requests.Should().OnlyContain(r => r.Authorization != null);
    }

    [TestCase("null")]
    [TestCase("\"\"")]
    [TestCase("absent")]
    public async Task Links_next_null_empty_or_absent_ends_the_list(string next)
    {
        await using var server = await LoopbackServer.StartAsync((ctx, _) =>
            Write(ctx, Encoding.UTF8.GetBytes(Page(null, next == "absent" ? "" : $",\"next\":{next}"))));
        using var client = Client();
        var api = new SipApi(client, server.BaseUrl, SipContract.Default, null);

        var list = await api.ListAllAsync(Auth);

        list.Problem.Should().BeNull();
        list.Pages.Should().HaveCount(1);
        list.Items.Should().HaveCount(1);
    }

    [TestCase("42", "a JSON Number")]
    [TestCase("{\"href\":\"x\"}", "a JSON Object")]
    [TestCase("\"mailto:someone@example.com\"", "not an HTTP URI reference")]
    public async Task Links_next_that_is_no_URI_reference_is_a_wrong_answer(string next, string problem)
    {
        await using var server = await LoopbackServer.StartAsync((ctx, _) => Write(ctx, Encoding.UTF8.GetBytes(Page(null, $",\"next\":{next}"))));
        using var client = Client();
        var api = new SipApi(client, server.BaseUrl, SipContract.Default, null);

        var list = await api.ListAllAsync(Auth);

        list.Problem.Should().Contain(problem);
    }

    [TestCase("http://localhost:{port}/api/fabric/resources/sip_endpoints?page=2")]
    [TestCase("https://127.0.0.1:{port}/api/fabric/resources/sip_endpoints?page=2")]
    [TestCase("http://127.0.0.1:{other}/api/fabric/resources/sip_endpoints?page=2")]
    public async Task Links_next_to_another_origin_is_not_followed_so_the_credentials_stay_with_the_target(string next)
    {
        await using var other = await LoopbackServer.StartAsync((ctx, _) => Write(ctx, Encoding.UTF8.GetBytes(Page(null))));
        var (list, server) = await TwoPages(b => next.Replace("{port}", b.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{other}", other.BaseUrl.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        await using var _ = server;

        list.Problem.Should().Contain("another origin");
        server.Requests.Should().HaveCount(1);
        other.Requests.Should().BeEmpty();
    }

    [Test]
    public void The_origin_is_compared_as_RFC_6454_does()
    {
        SipApi.SameOrigin(new Uri("HTTPS://Example.COM/a"), new Uri("https://example.com:443/b")).Should().BeTrue();
        SipApi.SameOrigin(new Uri("https://example.com/"), new Uri("http://example.com/")).Should().BeFalse();
        SipApi.SameOrigin(new Uri("https://example.com:8443/"), new Uri("https://example.com/")).Should().BeFalse();
        SipApi.SameOrigin(new Uri("https://api.example.com/"), new Uri("https://example.com/")).Should().BeFalse();
    }

    private static Task<RawHttpServer> RawServer(string headTemplate)
    {
        var body = Encoding.UTF8.GetBytes(Endpoint);
        return Task.FromResult(new RawHttpServer(_ => RawHttpServer.Answer(string.Format(CultureInfo.InvariantCulture, headTemplate, body.Length), body)));
    }
}
