using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.ReferenceServer;
using Server = SipConformance.ReferenceServer.ReferenceServer;

namespace SipConformance.Tests.ReferenceServerTests;

/// <summary>The probes of the strict-text, rate-limit and HTTP-freedom quirks (see <see cref="QuirkTests"/>).</summary>
public partial class QuirkTests
{
    static QuirkTests()
    {
        foreach (var (id, probe) in StrictShows) Shows.Add(id, probe);
    }

    /// <summary>The body made to the baseline where a quirk asks for it: send_as without a space, the projects' own caller_id.</summary>
    internal static JsonObject Baseline(Api api, IReadOnlyCollection<string> quirks, JsonObject body)
    {
        if (quirks.Contains(StrictTextQuirks.SipSafeText)) body[FieldNames.SendAs] = "Alice_Liddell";
        if (quirks.Contains(StrictTextQuirks.CallerIdOwnNumbers)) body[FieldNames.CallerId] = api.Server.CallerId;
        return body;
    }

    private static readonly Dictionary<string, Func<Api, Task<bool>>> StrictShows = new()
    {
        [StrictTextQuirks.SipSafeText] = async api =>
        {
            var a = await api.Create(api.Valid(b => b[FieldNames.SendAs] = "Alice Liddell"));
            return a.Status == 422 && a.ErrorAttributes.Contains(FieldNames.SendAs);
        },
        [StrictTextQuirks.CallerIdOwnNumbers] = async api =>
        {
            var a = await api.Create(api.Valid(b => b[FieldNames.CallerId] = "+442079460000"));
            return a.Status == 422 && a.ErrorAttributes.Contains(FieldNames.CallerId);
        },
        [RateLimitQuirks.TokenBucket] = async api =>
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, RateLimitQuirks.DefaultPerSecond + 5).Select(_ => api.List()));
            return answers.Any(a => a.Status == 429 && a.Headers.RetryAfter?.Delta is { } d && d >= TimeSpan.FromSeconds(1));
        },
        [RateLimitQuirks.OneInSeven] = async api =>
        {
            var statuses = new List<Answer>();
            for (var i = 0; i < 14; i++) statuses.Add(await api.List());
            return statuses.Count(a => a.Status == 429) == 2 && statuses[6].Headers.RetryAfter?.Delta == TimeSpan.FromSeconds(1);
        },
        [RateLimitQuirks.RetryAfterDate] = async api =>
        {
            var statuses = new List<Answer>();
            for (var i = 0; i < 7; i++) statuses.Add(await api.List());
            return statuses[6].Status == 429 && statuses[6].Headers.RetryAfter?.Date is not null;
        },
        [HttpFreedomQuirks.Gzip] = async api =>
        {
            var a = await api.Create(api.Valid());
            return a.Status == 200 && a.Json is null && StrictQuirkTests.Gunzip(a.Bytes) is { } plain && JsonNode.Parse(plain) is JsonObject;
        },
        [HttpFreedomQuirks.MediaTypeCase] = async api => (await api.Create(api.Valid())).ContentType == HttpFreedomQuirks.OddMediaType,
        [HttpFreedomQuirks.JsonEscaped] = async api =>
        {
            var body = api.Valid(b => b[FieldNames.SendAs] = "Zoë/東京");
            var a = await api.Create(body);
            return a.Text.Contains("\\u00EB", StringComparison.Ordinal) && a.Text.Contains("\\/", StringComparison.Ordinal) && a.Text.StartsWith(' ')
                && Api.Echoes(a, body);
        },
        [HttpFreedomQuirks.LinksQueryReordered] = async api =>
        {
            await api.Create(api.Valid());
            await api.Create(api.Valid());
            var next = (await api.List("?page_size=1")).Object["links"]!["next"]!.GetValue<string>();
            return next.Contains("?page_size=1&" + HttpFreedomQuirks.ExtraLinkParameter + "=", StringComparison.Ordinal);
        },
        [HttpFreedomQuirks.LinksPercentEncoded] = async api =>
        {
            await api.Create(api.Valid());
            await api.Create(api.Valid());
            var next = (await api.List("?page_size=1")).Object["links"]!["next"]!.GetValue<string>();
            return next.StartsWith("HTTP://", StringComparison.Ordinal) && next.Contains("page%5Fnumber=%31", StringComparison.Ordinal);
        },
        [HttpFreedomQuirks.LocationHeaders] = async api =>
        {
            var a = await api.Create(api.Valid());
            return a.Headers.Location is { IsAbsoluteUri: false } location
                && location.OriginalString == C.ItemPath(a.Str(ResponseFields.Id)!);
        },
        [HttpFreedomQuirks.SeveralChallenges] = async api =>
        {
            var a = await api.Create(api.Valid(), null);
            return a.Status == 401 && a.Headers.WwwAuthenticate.Count == 2;
        },
        [HttpFreedomQuirks.ReasonPhrase] = async api =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, api.Collection);
            request.Headers.TryAddWithoutValidation("Authorization", Api.Basic(api.P));
            using var response = await api.Http.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK && response.ReasonPhrase == HttpFreedomQuirks.SuccessPhrase;
        },
    };
}

/// <summary>
/// The strict-text, rate-limit and HTTP-freedom quirks do what they say and still answer the
/// contract (the baseline taken, refusals 422 with an error body naming the field, every 429 with
/// Retry-After); the strict-text faults fire.
/// </summary>
[TestFixture]
public sealed partial class StrictQuirkTests
{
    private static SipContract C => SipContract.Default;

    private static Task<Server> Start(ServerVariant variant = ServerVariant.Primary, string[]? quirks = null, string[]? faults = null,
        int? perSecond = null, string? callerId = null) =>
        Server.StartAsync(new ReferenceServerOptions { Variant = variant, Quirks = quirks ?? [], Faults = faults ?? [], RateLimitPerSecond = perSecond, CallerId = callerId });

    /// <summary>A body inside the contract's baseline: a-z, 0-9, '_' and an E.164 caller_id.</summary>
    private static JsonObject Baseline(Api api, string? callerId = null) => api.Valid(b =>
    {
        b[FieldNames.Username] = "alice_" + Guid.NewGuid().ToString("N")[..10];
        b[FieldNames.SendAs] = "front_desk_2";
        b[FieldNames.CallerId] = callerId ?? "+4930901820";
    });

    internal static byte[]? Gunzip(byte[] bytes)
    {
        try
        {
            using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static async Task ShouldBeRefused(Api api, JsonObject body, string field)
    {
        var before = api.Server.EndpointCount(api.P.ProjectId);
        var a = await api.Create(body);
        a.Status.Should().Be(422, "{0} = {1}: {2}", field, body[field]?.ToJsonString(), a);
        C.Validate(SchemaNames.ValidationError, a.Text).Errors.Should().BeEmpty();
        a.ErrorAttributes.Should().Contain(field);
        api.Server.EndpointCount(api.P.ProjectId).Should().Be(before, "a refused create stores nothing");
    }

    private static async Task ShouldBeStoredExactly(Api api, JsonObject body)
    {
        var a = await api.Create(body);
        a.Status.Should().Be(200, "{0}: {1}", body.ToJsonString(), a);
        C.Validate(SchemaNames.EndpointResponse, a.Text).Errors.Should().BeEmpty();
        Api.Echoes(a, body).Should().BeTrue(a.ToString());
        (await api.Get(a.Str(ResponseFields.Id)!)).Text.Should().Be(a.Text, "read back the same");
    }

    // ---- sip-safe-text --------------------------------------------------------------------

    [TestCase(ServerVariant.Primary)]
    [TestCase(ServerVariant.Alternative)]
    public async Task Sip_safe_text_takes_the_baseline_and_stores_it_exactly(ServerVariant variant)
    {
        await using var server = await Start(variant, [StrictTextQuirks.SipSafeText]);
        var api = new Api(server, Servers.Http);
        await ShouldBeStoredExactly(api, Baseline(api));
        // The baseline's edges: 1 and 32 characters of a-z, 0-9, '_'; 8 and 15 digits.
        await ShouldBeStoredExactly(api, Baseline(api).Also(b =>
        {
            b[FieldNames.Username] = "u" + Guid.NewGuid().ToString("N")[..31].Replace('a', '_');
            b[FieldNames.SendAs] = "x";
            b[FieldNames.CallerId] = "+12345678";
        }));
        await ShouldBeStoredExactly(api, Baseline(api).Also(b =>
        {
            b[FieldNames.SendAs] = new string('z', 32);
            b[FieldNames.CallerId] = "+123456789012345";
        }));
        // Beyond the baseline, what RFC 3261 §25.1 unreserved carries: both cases, the marks, up to 64.
        await ShouldBeStoredExactly(api, Baseline(api).Also(b =>
        {
            b[FieldNames.Username] = "Alice.O'Keefe-(" + Guid.NewGuid().ToString("N")[..8] + ")!~*";
            b[FieldNames.SendAs] = new string('Q', StrictTextQuirks.MaxLength);
        }));
    }

    public static IEnumerable<TestCaseData> Refused() =>
    [
        new(FieldNames.SendAs, "Bonnie O'Keefe"),
        new(FieldNames.SendAs, " front"),
        new(FieldNames.Username, "alice@example.com"),
        new(FieldNames.Username, "alice;tag=1"),
        new(FieldNames.Username, "josé"),
        new(FieldNames.Username, "alice\ud83d\ude00"),
        new(FieldNames.Username, new string('a', StrictTextQuirks.MaxLength + 1)),
        new(FieldNames.SendAs, "a+b"),
        new(FieldNames.SendAs, "%41"),
        new(FieldNames.Username, ""),
        new(FieldNames.SendAs, ""),
        new(FieldNames.CallerId, "4930901820"),
        new(FieldNames.CallerId, "+1234567"),
        new(FieldNames.CallerId, "+1234567890123456"),
        new(FieldNames.CallerId, "+1 555 0100"),
        new(FieldNames.CallerId, "+1555010O"),
        new(FieldNames.CallerId, "+١٢٣٤٥٦٧٨٩"),
    ];

    [TestCaseSource(nameof(Refused))]
    public async Task Sip_safe_text_refuses_the_rest_with_422_naming_the_field(string field, string text)
    {
        await using var server = await Start(quirks: [StrictTextQuirks.SipSafeText]);
        var api = new Api(server, Servers.Http);
        await ShouldBeRefused(api, Baseline(api).Also(b => b[field] = text), field);
    }

    [Test]
    public async Task The_plain_server_takes_what_the_sip_safe_one_refuses()
    {
        await using var server = await Start();
        var api = new Api(server, Servers.Http);
        await ShouldBeStoredExactly(api, Baseline(api).Also(b =>
        {
            b[FieldNames.SendAs] = "Bonnie O'Keefe";
            b[FieldNames.CallerId] = "4930901820";
        }));
    }

    // ---- caller-id-own-numbers ----------------------------------------------------------------

    [Test]
    public async Task Own_numbers_take_the_projects_number_and_nothing_else()
    {
        await using var server = await Start(quirks: [StrictTextQuirks.CallerIdOwnNumbers]);
        var api = new Api(server, Servers.Http);
        StrictTextQuirks.IsE164(server.CallerId).Should().BeTrue(server.CallerId);
        Regex.IsMatch(server.CallerId, @"^\+1[2-9]\d\d55501\d\d$").Should().BeTrue("a fictional NANP number: {0}", server.CallerId);
        await ShouldBeStoredExactly(api, Baseline(api, server.CallerId));
        // The quirk is about caller_id only: other text is taken as by the plain server.
        await ShouldBeStoredExactly(api, api.Valid(b => b[FieldNames.CallerId] = server.CallerId));
        await ShouldBeRefused(api, Baseline(api), FieldNames.CallerId);
        await ShouldBeRefused(api, Baseline(api, server.CallerId[1..]), FieldNames.CallerId);
        await ShouldBeRefused(api, Baseline(api, server.CallerId + "0"), FieldNames.CallerId);
        // The second project owns the same number.
        var second = await api.Send(HttpMethod.Post, api.Collection, Api.Basic(api.Q),
            Encoding.UTF8.GetBytes(Baseline(api, server.CallerId).ToJsonString()), "application/json");
        second.Status.Should().Be(200, second.ToString());
    }

    [Test]
    public async Task The_number_comes_from_the_options_and_the_banner_exports_it()
    {
        var options = new ReferenceServerOptions { Quirks = [StrictTextQuirks.CallerIdOwnNumbers], CallerId = "+15550100123" };
        await using var server = await Server.StartAsync(options);
        server.CallerId.Should().Be("+15550100123");
        var api = new Api(server, Servers.Http);
        await ShouldBeStoredExactly(api, Baseline(api, "+15550100123"));
        var banner = CommandLine.Banner(server, options);
        banner.Split('\n').Single(l => l.StartsWith("export ", StringComparison.Ordinal)).Should().Contain(" SIPCONF_CALLER_ID=+15550100123");

        var plain = new ReferenceServerOptions();
        await using var other = await Server.StartAsync(plain);
        CommandLine.Banner(other, plain).Should().Contain("caller id: " + other.CallerId).And.NotContain("SIPCONF_CALLER_ID");

        await FluentActions.Awaiting(() => Server.StartAsync(new ReferenceServerOptions { CallerId = "15550100123" }))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*E.164*");
        CommandLine.Parse(["--caller-id", "+4930901820", "--rate-per-second", "7"], null).Options
            .Should().Match<ReferenceServerOptions>(o => o.CallerId == "+4930901820" && o.RateLimitPerSecond == 7);
        FluentActions.Invoking(() => CommandLine.Parse(["--caller-id", "12"], null)).Should().Throw<FormatException>();
    }

    // ---- rate limits ------------------------------------------------------------------------

    [Test]
    public async Task The_token_bucket_lets_R_requests_a_second_through_per_project()
    {
        const int R = 5;
        await using var server = await Start(quirks: [RateLimitQuirks.TokenBucket], perSecond: R);
        var api = new Api(server, Servers.Http);
        var burst = new List<Answer>();
        for (var i = 0; i < R; i++) burst.Add(await api.List());
        burst.Should().OnlyContain(a => a.Status == 200, "a burst of R passes");
        var refused = await api.List();
        refused.Status.Should().Be(429);
        refused.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1), "Retry-After in whole seconds, rounded up");
        refused.Headers.GetValues("Retry-After").Single().Should().Be("1");
        (await api.List(project: api.Q)).Status.Should().Be(200, "the other project has its own bucket");

        // Retry-After and a margin: a timer may fire a few milliseconds early, and the bucket holds R only after a full second.
        await Task.Delay(refused.Headers.RetryAfter.Delta!.Value + TimeSpan.FromMilliseconds(100));
        var after = new List<Answer>();
        for (var i = 0; i < R; i++) after.Add(await api.List());
        after.Should().OnlyContain(a => a.Status == 200, "after Retry-After the bucket holds R again");

        // Over 3 seconds at full speed, about R a second get through (burst R + refill 3R).
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var passed = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
            if ((await api.List()).Status == 200) passed++;
        passed.Should().BeInRange(R * 3, R * 4 + 2);
    }

    [Test]
    public async Task The_token_bucket_defaults_to_20_a_second()
    {
        await using var server = await Start(quirks: [RateLimitQuirks.TokenBucket]);
        var api = new Api(server, Servers.Http);
        var answers = new List<Answer>();
        for (var i = 0; i < RateLimitQuirks.DefaultPerSecond + 1; i++) answers.Add(await api.List());
        answers.Take(RateLimitQuirks.DefaultPerSecond).Should().OnlyContain(a => a.Status == 200);
        answers[^1].Status.Should().Be(429);
        answers[^1].Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
    }

    [Test]
    public async Task One_in_seven_answers_every_7th_request_429_retry_after_1_and_processes_nothing()
    {
        await using var server = await Start(quirks: [RateLimitQuirks.OneInSeven]);
        var api = new Api(server, Servers.Http);
        var answers = new List<Answer>();
        for (var i = 0; i < 14; i++) answers.Add(await api.Create(api.Valid()));
        answers.Select((a, i) => (a.Status, i)).Where(p => p.Status == 429).Select(p => p.i).Should().Equal(6, 13);
        answers.Where(a => a.Status == 429).Should().OnlyContain(a => a.Headers.GetValues("Retry-After").Single() == "1");
        answers.Where(a => a.Status != 429).Should().OnlyContain(a => a.Status == 200);
        server.EndpointCount(server.Primary.ProjectId).Should().Be(12, "a 429 creates nothing");
    }

    [Test]
    public async Task Retry_after_as_an_http_date_is_an_imf_fixdate_in_the_near_future()
    {
        await using var server = await Start(quirks: [RateLimitQuirks.RetryAfterDate]);
        var api = new Api(server, Servers.Http);
        var answers = new List<Answer>();
        for (var i = 0; i < 7; i++) answers.Add(await api.List());
        var refused = answers[6];
        refused.Status.Should().Be(429);
        var raw = refused.Headers.GetValues("Retry-After").Single();
        raw.Should().MatchRegex(@"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$");
        var at = refused.Headers.RetryAfter!.Date!.Value;
        (at - DateTimeOffset.UtcNow).Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThan(TimeSpan.FromSeconds(3));
    }

    // ---- HTTP freedoms ----------------------------------------------------------------------

    [Test]
    public async Task Gzip_when_no_accept_encoding_and_when_gzip_is_taken_identity_when_it_is_ruled_out()
    {
        await using var server = await Start(quirks: [HttpFreedomQuirks.Gzip]);
        var api = new Api(server, Servers.Http);
        var body = api.Valid();
        var a = await api.Create(body);
        a.Status.Should().Be(200);
        var plain = Gunzip(a.Bytes);
        plain.Should().NotBeNull("no Accept-Encoding: any coding is acceptable (RFC 9110 §12.5.3)");
        Api.Echoes(a with { Bytes = plain! }, body).Should().BeTrue();
        a.Headers.Vary.Should().Contain("Accept-Encoding");

        foreach (var (accept, gzip) in new[] { ("identity", false), ("gzip;q=0, identity", false), ("br, *;q=0.5", true), ("GZIP", true), ("deflate", false) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, api.Collection);
            request.Headers.TryAddWithoutValidation("Authorization", Api.Basic(api.P));
            request.Headers.TryAddWithoutValidation("Accept-Encoding", accept);
            using var response = await api.Http.SendAsync(request);
            response.Content.Headers.ContentEncoding.Contains("gzip").Should().Be(gzip, accept);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            JsonNode.Parse(gzip ? Gunzip(bytes)! : bytes)!["data"].Should().NotBeNull(accept);
        }

        // A client that decompresses sees the contract.
        using var decompressing = Servers.NewRetryingClient(TimeSpan.FromSeconds(20));
        var d = new Api(server, decompressing);
        var again = d.Valid();
        var created = await d.Create(again);
        Api.Echoes(created, again).Should().BeTrue(created.ToString());
    }

    [Test]
    public async Task The_odd_media_type_is_application_json_with_charset_utf_8()
    {
        await using var server = await Start(quirks: [HttpFreedomQuirks.MediaTypeCase]);
        var api = new Api(server, Servers.Http);
        foreach (var a in new[] { await api.Create(api.Valid()), await api.Create(api.Valid(b => b.Remove(FieldNames.Codecs))), await api.Create(api.Valid(), null) })
        {
            a.ContentType.Should().Be(HttpFreedomQuirks.OddMediaType);
            var parsed = MediaTypeHeaderValue.Parse(a.ContentType!);
            parsed.MediaType.Should().BeEquivalentTo("application/json");
            parsed.CharSet!.Trim('"').Should().BeEquivalentTo("utf-8");
        }
    }

    [Test]
    public async Task Escaped_and_spaced_json_is_the_same_json()
    {
        await using var server = await Start(quirks: [HttpFreedomQuirks.JsonEscaped]);
        var api = new Api(server, Servers.Http);
        var body = api.Valid(b =>
        {
            b[FieldNames.SendAs] = "Zoë \"Q\" \\ / 東京 \ud83d\ude00";
            b[FieldNames.Username] = "zoë/" + Guid.NewGuid().ToString("N")[..6];
        });
        var a = await api.Create(body);
        a.Status.Should().Be(200);
        a.Bytes.Should().OnlyContain(b => b < 0x80, "every non-ASCII character is escaped");
        a.Text.Should().Contain("\\/").And.Contain("\\uD83D\\uDE00").And.Contain("\\u6771").And.Contain("\n").And.Contain("\t");
        a.Text.Should().NotMatchRegex(@"(?<!\\)/", "every '/' is escaped");
        Api.Echoes(a, body).Should().BeTrue(a.ToString());
        C.Validate(SchemaNames.EndpointResponse, a.Text).Errors.Should().BeEmpty();
        var list = await api.List();
        C.Validate(SchemaNames.ListResponse, list.Text).Errors.Should().BeEmpty();
        list.Text.Should().Contain("http:\\/\\/");
        var unauthorized = await api.Create(body, null);
        JsonNode.DeepEquals(unauthorized.Json, JsonNode.Parse($"{{\"error\":\"{C.UnauthorizedError}\"}}")).Should().BeTrue();
        unauthorized.Text.Should().NotBe($"{{\"error\":\"{C.UnauthorizedError}\"}}");
    }

    [TestCase(HttpFreedomQuirks.LinksQueryReordered)]
    [TestCase(HttpFreedomQuirks.LinksPercentEncoded)]
    [TestCase(HttpFreedomQuirks.LinksQueryReordered, HttpFreedomQuirks.LinksPercentEncoded)]
    public async Task Links_written_otherwise_are_absolute_uris_that_walk_the_whole_list(params string[] quirks)
    {
        await using var server = await Start(quirks: quirks);
        var api = new Api(server, Servers.Http);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add((await api.Create(api.Valid())).Str(ResponseFields.Id)!);
        var seen = new List<string>();
        Uri? next = new(api.Collection + "?page_size=1");
        var pages = 0;
        while (next is not null && pages++ < 10)
        {
            var page = await api.Get(next);
            page.Status.Should().Be(200, next.ToString());
            C.Validate(SchemaNames.ListResponse, page.Text).Errors.Should().BeEmpty("links stay absolute URIs (format: uri)");
            seen.AddRange(page.Object["data"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
            var links = page.Object["links"]!;
            foreach (var name in new[] { "self", "first" })
                Uri.TryCreate(links[name]!.GetValue<string>(), UriKind.Absolute, out _).Should().BeTrue(name);
            next = links["next"] is { } n ? new Uri(n.GetValue<string>()) : null;
            if (next is not null) next.GetLeftPart(UriPartial.Authority).Should().Be(server.BaseUrl.GetLeftPart(UriPartial.Authority), "the same origin (RFC 6454: scheme compared in lower case)");
        }
        seen.Should().Equal(ids);
    }

    [Test]
    public async Task Location_is_a_relative_reference_to_the_new_endpoint_and_content_location_its_uri()
    {
        await using var server = await Start(quirks: [HttpFreedomQuirks.LocationHeaders]);
        var api = new Api(server, Servers.Http);
        var a = await api.Create(api.Valid());
        a.Status.Should().Be(200);
        var id = a.Str(ResponseFields.Id)!;
        var location = a.Headers.Location!;
        location.IsAbsoluteUri.Should().BeFalse();
        var resolved = new Uri(api.Collection, location); // RFC 3986 §5.2, against the target URI
        resolved.Should().Be(api.Item(id));
        (await api.Get(resolved)).Text.Should().Be(a.Text);
        var get = await api.Get(id);
        get.Status.Should().Be(200);
        using var request = new HttpRequestMessage(HttpMethod.Get, api.Item(id));
        request.Headers.TryAddWithoutValidation("Authorization", Api.Basic(api.P));
        using var response = await api.Http.SendAsync(request);
        response.Content.Headers.ContentLocation.Should().Be(api.Item(id));
        (await api.Get(Guid.NewGuid().ToString())).Headers.Location.Should().BeNull();
    }

    [Test]
    public async Task The_reason_phrase_is_unusual_and_the_status_code_is_what_counts()
    {
        await using var server = await Start(quirks: [HttpFreedomQuirks.ReasonPhrase]);
        var api = new Api(server, Servers.Http);
        var id = (await api.Create(api.Valid())).Str(ResponseFields.Id)!;
        foreach (var (method, url, status, phrase) in new[]
                 {
                     (HttpMethod.Get, api.Item(id), 200, HttpFreedomQuirks.SuccessPhrase),
                     (HttpMethod.Get, api.Item(Guid.NewGuid().ToString()), 404, HttpFreedomQuirks.OtherPhrase),
                     (HttpMethod.Delete, api.Item(id), 204, HttpFreedomQuirks.SuccessPhrase),
                 })
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.TryAddWithoutValidation("Authorization", Api.Basic(api.P));
            using var response = await api.Http.SendAsync(request);
            ((int)response.StatusCode).Should().Be(status);
            response.ReasonPhrase.Should().Be(phrase);
        }
    }

    [Test]
    public async Task Several_challenges_hold_basic_among_them_and_the_401_is_unchanged()
    {
        await using var server = await Start(quirks: [HttpFreedomQuirks.SeveralChallenges]);
        var api = new Api(server, Servers.Http);
        foreach (var authorization in new string?[] { null, Api.BasicOf(api.P.ProjectId + ":wrong"), "Bearer x" })
        {
            var a = await api.Create(api.Valid(), authorization);
            a.Status.Should().Be(401);
            a.Text.Should().Be($"{{\"error\":\"{C.UnauthorizedError}\"}}");
            a.Headers.GetValues("WWW-Authenticate").Should().Equal(HttpFreedomQuirks.Challenges);
            a.Headers.WwwAuthenticate.Select(h => h.Scheme).Should().Contain(s => s.Equals("Basic", StringComparison.OrdinalIgnoreCase));
        }
        (await api.Create(api.Valid())).Headers.Contains("WWW-Authenticate").Should().BeFalse();
    }

    [Test]
    public async Task Every_new_quirk_together_with_the_strict_ones_still_answers_the_contract()
    {
        string[] quirks = [.. QuirkCatalogue.All.Where(q => q.Area is "strict-text" or "rate-limit" or "http").Select(q => q.Id)];
        quirks.Should().HaveCount(13);
        await using var server = await Start(ServerVariant.Alternative, quirks);
        using var http = Servers.NewRetryingClient(TimeSpan.FromSeconds(30));
        var api = new Api(server, http);
        for (var i = 0; i < 10; i++) await ShouldBeStoredExactly(api, Baseline(api, server.CallerId));
        await ShouldBeRefused(api, Baseline(api, server.CallerId).Also(b => b[FieldNames.SendAs] = "Bonnie O'Keefe"), FieldNames.SendAs);
        (await CorrectServerTests.ListedIds(api)).Should().HaveCount(10);
    }

    // ---- strict-text faults -----------------------------------------------------------------

    public static IEnumerable<TestCaseData> FaultCases() =>
    [
        new(StrictTextFaults.UsernameLowercased, FieldNames.Username, "Alice_Smith", "alice_smith"),
        new(StrictTextFaults.SendAsTrimmed, FieldNames.SendAs, " front_desk ", "front_desk"),
        new(StrictTextFaults.CallerIdNanpPlusDropped, FieldNames.CallerId, "+15557654321", "15557654321"),
        new(StrictTextFaults.CutAt32, FieldNames.Username, new string('u', 40), new string('u', 32)),
        new(StrictTextFaults.CutAt32, FieldNames.SendAs, new string('s', 64), new string('s', 32)),
    ];

    [TestCaseSource(nameof(FaultCases))]
    public async Task A_strict_text_fault_stores_other_text_than_it_took(string faultId, string field, string sent, string stored)
    {
        await using var server = await Start(faults: [faultId]);
        var api = new Api(server, Servers.Http);
        var body = Baseline(api).Also(b => b[field] = sent);
        var a = await api.Create(body);
        a.Status.Should().Be(200, a.ToString());
        a.EndpointStr(field).Should().Be(stored);
        (await api.Get(a.Str(ResponseFields.Id)!)).Text.Should().Be(a.Text, "what is stored is read back");

        // It is a strict server otherwise: the baseline is stored exactly, a space is refused.
        await ShouldBeStoredExactly(api, Baseline(api));
        await ShouldBeRefused(api, Baseline(api).Also(b => b[FieldNames.SendAs] = "front desk"), FieldNames.SendAs);

        // The correct strict server stores the same text exactly (or, for the trimmed one, refuses it).
        await using var correct = await Start(quirks: [StrictTextQuirks.SipSafeText]);
        var c = new Api(correct, Servers.Http);
        var fine = await c.Create(Baseline(c).Also(b => b[field] = sent));
        if (faultId == StrictTextFaults.SendAsTrimmed) fine.Status.Should().Be(422);
        else fine.EndpointStr(field).Should().Be(sent);
    }

    [Test]
    public void The_strict_text_faults_are_must_faults_of_the_echo_and_string_rules()
    {
        var faults = FaultCatalogue.All.Where(f => f.Area == "strict-text").ToList();
        faults.Select(f => f.Id).Should().BeEquivalentTo(
            [StrictTextFaults.UsernameLowercased, StrictTextFaults.SendAsTrimmed, StrictTextFaults.CallerIdNanpPlusDropped, StrictTextFaults.CutAt32]);
        faults.Should().OnlyContain(f => f.Level == FaultLevel.Must && f.MinimumProfile == null);
        faults.Select(f => f.Rule).Should().BeSubsetOf(["CREATE-ECHO-001", "CREATE-ECHO-002", "CREATE-ECHO-003", "CREATE-STR-002"]);
    }
}
