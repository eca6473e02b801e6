using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.ReferenceServer;
using Server = SipConformance.ReferenceServer.ReferenceServer;

namespace SipConformance.Tests.ReferenceServerTests;

/// <summary>
/// Every quirk really shows in the answers (and the plain server shows none of them), and a
/// server with quirks, alone or all together, in either variant, still answers the contract.
/// </summary>
[TestFixture]
public partial class QuirkTests
{
    private Server _plain = null!;

    private static SipContract C => SipContract.Default;

    [OneTimeSetUp]
    public async Task Start() => _plain = await Servers.Start();

    [OneTimeTearDown]
    public async Task Stop() => await _plain.DisposeAsync();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}\+05:30$")]
    private static partial Regex OffsetStamp();

    private static Task<Server> StartWith(ServerVariant variant, params string[] quirks) =>
        Server.StartAsync(new ReferenceServerOptions { Quirks = quirks, Variant = variant });

    public static IEnumerable<TestCaseData> Quirks() =>
        QuirkCatalogue.All.Select(q => new TestCaseData(q.Id).SetArgDisplayNames(q.Id));

    [Test]
    public void The_catalogue_has_well_formed_quirks_apart_from_the_faults()
    {
        var all = QuirkCatalogue.All;
        all.Should().HaveCountGreaterThanOrEqualTo(10);
        all.Select(q => q.Id).Should().OnlyHaveUniqueItems().And.OnlyContain(id => Ids.KebabCase().IsMatch(id))
            .And.NotIntersectWith(FaultCatalogue.All.Select(f => f.Id));
        all.Should().OnlyContain(q => q.Description.Length > 0 && q.Area.Length > 0);
        QuirkCatalogue.Get(WireQuirks.Chunked).Area.Should().Be("wire");
        FluentActions.Invoking(() => QuirkCatalogue.Get("nope")).Should().Throw<KeyNotFoundException>();
    }

    [Test]
    public void Every_quirk_has_a_probe() => Shows.Keys.Should().BeEquivalentTo(QuirkCatalogue.All.Select(q => q.Id));

    [TestCaseSource(nameof(Quirks))]
    public async Task The_quirk_really_shows_in_the_answers(string quirkId)
    {
        var shows = Shows[quirkId];
        (await shows(new Api(_plain, Servers.Http))).Should().BeFalse("the plain server does not show {0}", quirkId);
        await using var quirky = await StartWith(ServerVariant.Primary, quirkId);
        (await shows(new Api(quirky, Servers.Http))).Should().BeTrue("the server with {0} shows it", quirkId);
    }

    public static IEnumerable<TestCaseData> Servers_with_quirks()
    {
        foreach (var q in QuirkCatalogue.All)
            yield return new TestCaseData(ServerVariant.Primary, new[] { q.Id }).SetArgDisplayNames(q.Id);
        var all = QuirkCatalogue.All.Select(q => q.Id).ToArray();
        yield return new TestCaseData(ServerVariant.Primary, all).SetArgDisplayNames("all quirks, primary");
        yield return new TestCaseData(ServerVariant.Alternative, all).SetArgDisplayNames("all quirks, alternative");
    }

    /// <summary>A sample of the contract, as a client that waits out 429s sees it.</summary>
    [TestCaseSource(nameof(Servers_with_quirks))]
    public async Task A_server_with_quirks_still_answers_the_contract(ServerVariant variant, string[] quirks)
    {
        await using var server = await StartWith(variant, quirks);
        using var http = Servers.NewRetryingClient(TimeSpan.FromSeconds(20));
        var api = new Api(server, http);

        var body = Baseline(api, quirks, api.ValidResource());
        var a = await api.Create(body);
        a.Status.Should().Be(200, a.ToString());
        a.MediaType.Should().BeEquivalentTo("application/json", "media types are case-insensitive (RFC 9110 §8.3.1)");
        C.Validate(SchemaNames.EndpointResponse, a.Text).Errors.Should().BeEmpty();
        Api.Echoes(a, body).Should().BeTrue(a.ToString());
        a.Str(ResponseFields.Type).Should().Be(C.ResourceType);
        UuidText.SameUuid(a.Str(ResponseFields.ProjectId), api.P.ProjectId).Should().BeTrue();
        var id = a.Str(ResponseFields.Id)!;
        UuidText.IsValid(id).Should().BeTrue();
        Rfc3339.TryParse(a.Str(ResponseFields.CreatedAt), out var created).Should().BeTrue();
        Rfc3339.TryParse(a.Str(ResponseFields.UpdatedAt), out var updated).Should().BeTrue();
        updated.Should().BeGreaterThanOrEqualTo(created);
        created.ToDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));

        (await api.Get(id)).Text.Should().Be(a.Text);
        (await api.Get(id.ToLowerInvariant())).Text.Should().Be(a.Text, "UUIDs in either case find it");
        (await CorrectServerTests.ListedIds(api)).Should().Contain(id);

        var refused = await api.Create(api.Valid(), null);
        refused.Status.Should().Be(401);
        JsonNode.DeepEquals(refused.Json, JsonNode.Parse($"{{\"error\":\"{C.UnauthorizedError}\"}}")).Should().BeTrue(refused.ToString());
        var invalid = await api.Create(api.Valid(b => b.Remove(FieldNames.Codecs)));
        invalid.Status.Should().Be(422);
        C.Validate(SchemaNames.ValidationError, invalid.Text).Errors.Should().BeEmpty();

        (await api.Delete(id.ToLowerInvariant())).Status.Should().Be(204);
        (await api.Get(id)).Status.Should().Be(404);
        (await CorrectServerTests.ListedIds(api)).Should().NotContain(id);
    }

    [Test]
    public async Task A_429_without_retry_after_comes_every_nth_request_as_the_option_says()
    {
        await using var server = await Server.StartAsync(new ReferenceServerOptions { Quirks = [WireQuirks.RateLimitWithoutRetryAfter], RateLimitEvery = 2 });
        var api = new Api(server, Servers.Http);
        var answers = new List<Answer>();
        for (var i = 0; i < 4; i++) answers.Add(await api.List());
        answers.Select(a => a.Status).Should().Equal(200, 429, 200, 429);
        answers.Where(a => a.Status == 429).Should().OnlyContain(a => a.Headers.RetryAfter == null);
    }

    [Test]
    public async Task Chunked_bodies_frame_every_answer_with_a_body_and_no_content_length()
    {
        await using var server = await StartWith(ServerVariant.Primary, WireQuirks.Chunked);
        var api = new Api(server, Servers.Http);
        var id = (await api.Create(api.Valid())).Str(ResponseFields.Id)!;
        foreach (var path in new[] { C.ItemPath(id), C.ItemPath(Guid.NewGuid().ToString()), C.CollectionPath })
        {
            var raw = await Raw(server, path, keepAlive: false);
            raw.Header("Transfer-Encoding").Should().Be("chunked", path);
            raw.Header("Content-Length").Should().BeNull(path);
            JsonNode.Parse(Dechunk(raw.Body)).Should().NotBeNull();
        }
    }

    [Test]
    public void The_command_line_takes_quirks_and_lists_them()
    {
        var parsed = CommandLine.Parse(["--quirk", $"{WireQuirks.Chunked},{ListQuirks.PagesOfOne}", $"--quirk={WireQuirks.Chunked}"], null, BodyQuirks.UpperCaseUuids);
        parsed.Options.Quirks.Should().BeEquivalentTo([BodyQuirks.UpperCaseUuids, WireQuirks.Chunked, ListQuirks.PagesOfOne]);
        CommandLine.Parse(["--list-quirks"], null).ListQuirks.Should().BeTrue();
        FluentActions.Invoking(() => CommandLine.Parse(["--quirk", "nope"], null)).Should().Throw<FormatException>().WithMessage("*nope*");
        FluentActions.Invoking(() => CommandLine.Parse([], null, "nope")).Should().Throw<FormatException>();

        var table = CommandLine.QuirkTable().Split(Environment.NewLine);
        table.Should().HaveCount(QuirkCatalogue.All.Count);
        foreach (var q in QuirkCatalogue.All)
            table.Should().Contain(l => l.StartsWith(q.Id + " ", StringComparison.Ordinal) && l.Contains(q.Description, StringComparison.Ordinal)
                && (q.Revisions == null || l.EndsWith($"[revision {string.Join(", ", q.Revisions)}]", StringComparison.Ordinal)));
    }

    [Test]
    public async Task Unknown_quirks_are_refused_and_the_banner_names_the_quirks()
    {
        await FluentActions.Awaiting(() => Server.StartAsync(new ReferenceServerOptions { Quirks = ["no-such-quirk"] }))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*no-such-quirk*");
        var options = new ReferenceServerOptions { Quirks = [BodyQuirks.KeysReordered] };
        await using var server = await Server.StartAsync(options);
        CommandLine.Banner(server, options).Should().Contain("quirks: " + BodyQuirks.KeysReordered);
    }

    /// <summary>Each quirk's probe: true when the answers show it.</summary>
    private static readonly Dictionary<string, Func<Api, Task<bool>>> Shows = new()
    {
        [WireQuirks.Chunked] = async api =>
        {
            await api.Create(api.Valid());
            var raw = await Raw(api.Server, C.CollectionPath, keepAlive: false);
            return raw.Header("Transfer-Encoding") == "chunked" && raw.Header("Content-Length") is null
                && JsonNode.Parse(Dechunk(raw.Body))?["data"] is JsonArray { Count: 1 };
        },
        [WireQuirks.ConnectionClose] = async api =>
        {
            var raw = await Raw(api.Server, C.CollectionPath, keepAlive: true);
            return raw.Closed && raw.Header("Connection") == "close";
        },
        [WireQuirks.ExtraHeaders] = async api =>
        {
            var a = await api.Create(api.Valid());
            return a.Headers.TryGetValues(WireQuirks.RequestIdHeader, out var ids) && UuidText.IsValid(ids.Single())
                && a.Headers.CacheControl?.NoStore == true;
        },
        [WireQuirks.RateLimitWithoutRetryAfter] = async api =>
        {
            var answers = new List<Answer>();
            for (var i = 0; i < WireQuirks.DefaultRateLimitEvery * 2; i++) answers.Add(await api.List());
            return answers.Count(a => a.Status == 429) == 2 && answers.Where(a => a.Status == 429).All(a => a.Headers.RetryAfter == null);
        },
        [BodyQuirks.UpperCaseUuids] = async api =>
        {
            var a = await api.Create(api.ValidResource());
            string?[] uuids = [a.Str(ResponseFields.Id), a.Str(ResponseFields.ProjectId), a.EndpointStr(FieldNames.Id), a.EndpointStr(FieldNames.CallingHandlerResourceId)];
            return uuids.All(u => UuidText.IsValid(u) && u == u!.ToUpperInvariant() && u != u.ToLowerInvariant());
        },
        [BodyQuirks.OffsetTimestamps] = async api =>
        {
            var a = await api.Create(api.Valid());
            return OffsetStamp().IsMatch(a.Str(ResponseFields.CreatedAt)!) && OffsetStamp().IsMatch(a.Str(ResponseFields.UpdatedAt)!);
        },
        [BodyQuirks.KeysReordered] = async api =>
        {
            var a = await api.Create(api.Valid());
            var list = await api.List();
            return a.Endpoint.Select(p => p.Key).SequenceEqual(C.CreateFields.Select(f => f.Name).Reverse())
                && a.Object.First().Key == ResponseFields.SipEndpoint && a.Object.Last().Key == ResponseFields.Id
                && list.Object.First().Key == "links";
        },
        [BodyQuirks.ListsReordered] = async api =>
        {
            var a = await api.Create(api.Valid(b => b[FieldNames.Codecs] = new JsonArray(C.Codecs[0], C.Codecs[2], C.Codecs[5])));
            return a.EndpointList(FieldNames.Codecs).SequenceEqual([C.Codecs[5], C.Codecs[2], C.Codecs[0]])
                && a.EndpointList(FieldNames.Ciphers).SequenceEqual([C.Ciphers[1], C.Ciphers[0]]);
        },
        [BodyQuirks.ExtraProperties] = async api =>
        {
            var a = await api.Create(api.Valid());
            var schema = C.SchemaObject(SchemaNames.EndpointResponse)["properties"]!.AsObject().Select(p => p.Key);
            var fields = C.CreateFields.Select(f => f.Name);
            return a.Object.Select(p => p.Key).Except(schema).Any() && a.Endpoint.Select(p => p.Key).Except(fields).Any()
                && (await api.List()).Object.Count > 2;
        },
        [ListQuirks.PagesOfOne] = async api =>
        {
            await api.Create(api.Valid());
            await api.Create(api.Valid());
            var page = await api.List("?page_size=1000");
            return page.Object["data"]!.AsArray().Count == 1 && page.Object["links"]!["next"] is not null;
        },
    };

    /// <summary>One raw HTTP/1.1 GET: the head's headers, the bytes after it, and whether the server closed the connection.</summary>
    private sealed record RawAnswer(IReadOnlyList<(string Name, string Value)> Headers, byte[] Body, bool Closed)
    {
        public string? Header(string name) =>
            Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
    }

    /// <summary>
    /// Sends a GET on its own connection and reads until the server closes it, or (keep-alive)
    /// a quiet second and a half passes.
    /// </summary>
    private static async Task<RawAnswer> Raw(Server server, string path, bool keepAlive)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseUrl.Host, server.BaseUrl.Port);
        var stream = tcp.GetStream();
        var request = $"GET {path} HTTP/1.1\r\nHost: {server.BaseUrl.Authority}\r\nAuthorization: {Api.Basic(server.Primary)}\r\n"
                      + $"Connection: {(keepAlive ? "keep-alive" : "close")}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var received = new MemoryStream();
        var chunk = new byte[8192];
        var closed = false;
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        try
        {
            int n;
            while ((n = await stream.ReadAsync(chunk, quiet.Token)) > 0) received.Write(chunk, 0, n);
            closed = true;
        }
        catch (OperationCanceledException)
        {
        }
        var bytes = received.ToArray();
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        end.Should().BePositive("an HTTP answer arrived");
        var headers = Encoding.ASCII.GetString(bytes, 0, end).Split("\r\n").Skip(1)
            .Select(l => l.Split(':', 2)).Select(p => (p[0].Trim(), p[1].Trim())).ToList();
        return new RawAnswer(headers, bytes[(end + 4)..], closed);
    }

    /// <summary>The body of a chunked transfer coding (RFC 9112 §7.1); throws on a malformed one.</summary>
    private static byte[] Dechunk(byte[] framed)
    {
        using var body = new MemoryStream();
        var at = 0;
        while (true)
        {
            var line = framed.AsSpan(at).IndexOf("\r\n"u8);
            if (line <= 0) throw new FormatException("no chunk size line");
            var size = Convert.ToInt32(Encoding.ASCII.GetString(framed, at, line).Split(';')[0], 16);
            at += line + 2;
            if (size == 0) return body.ToArray();
            body.Write(framed, at, size);
            at += size + 2;
        }
    }
}
