using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.ReferenceServer;
using Server = SipConformance.ReferenceServer.ReferenceServer;

namespace SipConformance.Tests.ReferenceServerTests;

/// <summary>The correct server (Primary variant) answers the contract: a representative sample, by plain HTTP.</summary>
[TestFixture]
public class CorrectServerTests
{
    private Server _server = null!;
    private Api _api = null!;

    private static SipContract C => SipContract.Default;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await Servers.Start();
        _api = new Api(_server, Servers.Http);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private int Count => _server.EndpointCount(_server.Primary.ProjectId);

    [Test]
    public async Task Create_answers_200_json_that_validates_and_echoes_the_request()
    {
        var body = _api.Valid();
        var a = await _api.Create(body);

        a.Status.Should().Be(200, a.ToString());
        a.MediaType.Should().Be("application/json");
        C.Validate(SchemaNames.EndpointResponse, a.Text).Errors.Should().BeEmpty();
        Api.Echoes(a, body).Should().BeTrue(a.ToString());
        a.Str("type").Should().Be(C.ResourceType);
        a.Str("project_id").Should().Be(_server.Primary.ProjectId);
        a.Str("display_name").Should().Be(body["send_as"]!.GetValue<string>());
        a.EndpointStr("id").Should().Be(body["id"]!.GetValue<string>(), "Primary keeps the client's id in sip_endpoint.id");
        a.Str("id").Should().NotBe(body["id"]!.GetValue<string>()).And.Match(id => UuidText.IsValid(id));
        a.Str("created_at").Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$").And.Be(a.Str("updated_at"));
        Rfc3339.TryParse(a.Str("created_at"), out var created).Should().BeTrue();
        created.ToDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
    }

    [Test]
    public async Task The_echoed_endpoint_lists_the_contract_fields_in_order()
    {
        var a = await _api.Create(_api.Valid());
        a.Endpoint.Select(p => p.Key).Should().Equal(C.CreateFields.Select(f => f.Name));
    }

    [Test]
    public async Task Get_answers_the_same_body_and_delete_removes_it()
    {
        var created = await _api.Create(_api.ValidResource());
        var id = created.Str("id")!;

        var read = await _api.Get(id);
        read.Status.Should().Be(200);
        read.Text.Should().Be(created.Text);
        (await _api.Get(id.ToUpperInvariant())).Text.Should().Be(created.Text, "UUIDs compare case-insensitively");

        (await ListedIds(_api)).Should().Contain(id);
        var deleted = await _api.Delete(id);
        deleted.Status.Should().Be(204);
        deleted.Bytes.Should().BeEmpty();
        (await _api.Get(id)).Status.Should().Be(404);
        (await ListedIds(_api)).Should().NotContain(id, "a deleted endpoint leaves the list");
        var again = await _api.Delete(id);
        again.Status.Should().Be(404);
        again.Text.Should().Be($"{{\"error\":\"{C.NotFoundError}\"}}");
    }

    /// <summary>Every id the list holds for a project, walking links.next.</summary>
    internal static async Task<List<string>> ListedIds(Api api, ProjectCredentials? project = null)
    {
        var ids = new List<string>();
        Uri? next = new(api.Collection + "?page_size=1000");
        while (next is not null)
        {
            var page = await api.Get(next, project);
            page.Status.Should().Be(200, page.ToString());
            ids.AddRange(page.Object["data"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
            next = page.Object["links"]!["next"] is { } n ? new Uri(n.GetValue<string>()) : null;
        }
        return ids;
    }

    [Test]
    public async Task The_list_holds_only_the_authenticated_projects_endpoints()
    {
        await using var server = await Server.StartAsync(new ReferenceServerOptions { PageSize = 2 });
        var api = new Api(server, Servers.Http);
        var mine = new List<string>();
        var theirs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            mine.Add((await api.Create(api.Valid())).Str("id")!);
            theirs.Add((await api.Create(api.Valid(), Api.Basic(api.Q))).Str("id")!);
        }
        (await ListedIds(api)).Should().Equal(mine);
        (await ListedIds(api, api.Q)).Should().Equal(theirs);
        var page = await api.List("?page_size=1000", api.Q);
        page.Object["data"]!.AsArray().Should().OnlyContain(d => d!["project_id"]!.GetValue<string>() == api.Q.ProjectId);
    }

    [Test]
    public async Task Get_and_delete_of_an_id_that_no_longer_exists_answer_404_also_for_the_other_project()
    {
        var id = (await _api.Create(_api.Valid())).Str("id")!;
        (await _api.Delete(id)).Status.Should().Be(204);
        foreach (var project in new[] { _api.P, _api.Q })
        {
            (await _api.Get(id, project)).Status.Should().Be(404);
            (await _api.Delete(id, project)).Status.Should().Be(404);
        }
    }

    /// <summary>The properties the response defines but the create request does not, each with a value the server would not write.</summary>
    public static IEnumerable<TestCaseData> ResponseProperties()
    {
        static TestCaseData Case(string name, Func<Api, JsonNode> value) => new TestCaseData(name, value).SetArgDisplayNames(name);
        yield return Case("project_id", a => a.Q.ProjectId);
        yield return Case("type", _ => "sip_credential");
        yield return Case("display_name", _ => "Chosen By The Client");
        yield return Case("created_at", _ => "2001-02-03T04:05:06Z");
        yield return Case("updated_at", _ => "2001-02-03T04:05:06Z");
    }

    [TestCaseSource(nameof(ResponseProperties))]
    public async Task A_response_property_sent_in_a_create_is_ignored(string name, Func<Api, JsonNode> value)
    {
        var plain = await _api.Create(_api.Valid());
        var a = await _api.Create(_api.Valid(b => b[name] = value(_api)));
        a.Status.Should().Be(200, a.ToString());
        a.Str("project_id").Should().Be(_api.P.ProjectId);
        a.Str("type").Should().Be(C.ResourceType);
        a.Str("display_name").Should().Be(plain.Str("display_name"), "the server's own display_name (the send_as)");
        foreach (var stamp in new[] { "created_at", "updated_at" })
        {
            Rfc3339.TryParse(a.Str(stamp), out var t).Should().BeTrue();
            t.ToDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), stamp);
        }
        (await _api.Get(a.Str("id")!)).Text.Should().Be(a.Text);
    }

    [Test]
    public async Task A_username_the_project_already_has_makes_a_second_endpoint()
    {
        var body = _api.Valid();
        var first = await _api.Create(body);
        var second = await _api.Create(body.Also(b => b["id"] = Guid.NewGuid().ToString()));
        second.Status.Should().Be(200, second.ToString());
        second.Str("id").Should().NotBe(first.Str("id"));
        second.EndpointStr("username").Should().Be(first.EndpointStr("username"));
        (await ListedIds(_api)).Should().Contain([first.Str("id")!, second.Str("id")!]);
    }

    [TestCase("not-a-uuid")]
    [TestCase("00000000-0000-0000-0000-000000000000")]
    public async Task Get_and_delete_of_an_unknown_or_malformed_id_answer_404(string id)
    {
        var get = await _api.Get(id);
        get.Status.Should().Be(404);
        get.Object["error"]!.GetValue<string>().Should().Be(C.NotFoundError);
        (await _api.Delete(id)).Status.Should().Be(404);
    }

    [Test]
    public async Task The_list_pages_with_absolute_links_until_next_is_absent()
    {
        await using var server = await Server.StartAsync(new ReferenceServerOptions { PageSize = 2 });
        var api = new Api(server, Servers.Http);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add((await api.Create(api.Valid())).Str("id")!);

        var seen = new List<string>();
        var pages = 0;
        Uri? next = api.Collection;
        while (next is not null)
        {
            var page = await api.Get(next);
            page.Status.Should().Be(200);
            C.Validate(SchemaNames.ListResponse, page.Text).Errors.Should().BeEmpty();
            var links = page.Object["links"]!;
            links["self"]!.GetValue<string>().Should().StartWith(server.BaseUrl.GetLeftPart(UriPartial.Authority) + C.CollectionPath);
            links["first"]!.GetValue<string>().Should().Contain("page_number=0");
            (links["prev"] is null).Should().Be(pages == 0);
            seen.AddRange(page.Object["data"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
            next = links["next"] is { } n ? new Uri(n.GetValue<string>()) : null;
            pages++;
        }
        pages.Should().Be(3);
        seen.Should().Equal(ids, "oldest first, each once");

        var big = await api.List("?page_size=10");
        big.Object["data"]!.AsArray().Should().HaveCount(5);
        big.Object["links"]!["next"].Should().BeNull();
        (await api.List("?page_number=7")).Object["data"]!.AsArray().Should().BeEmpty();
        (await api.List("?page_size=0")).Status.Should().Be(422);
        (await api.List("?page_number=x")).Status.Should().Be(422);
    }

    public static IEnumerable<TestCaseData> Unauthorized()
    {
        static TestCaseData Case(string name, Func<Api, string?> header) => new TestCaseData(header).SetArgDisplayNames(name);
        yield return Case("no header", _ => null);
        yield return Case("wrong token", a => Api.BasicOf($"{a.P.ProjectId}:wrong"));
        yield return Case("other project's token", a => Api.BasicOf($"{a.P.ProjectId}:{a.Q.ApiToken}"));
        yield return Case("unknown project", a => Api.BasicOf($"{Guid.NewGuid()}:{a.P.ApiToken}"));
        yield return Case("Bearer token", a => "Bearer " + a.P.ApiToken);
        yield return Case("Bearer with Basic credentials", a => Api.Basic(a.P, "Bearer"));
        yield return Case("Digest", a => Api.Basic(a.P, "Digest"));
        yield return Case("not base64", _ => "Basic %%%not-base64%%%");
        yield return Case("no colon", a => Api.BasicOf(a.P.ProjectId + a.P.ApiToken));
        yield return Case("Basic alone", _ => "Basic");
        yield return Case("Basic and a space", _ => "Basic ");
        yield return Case("empty pair", _ => Api.BasicOf(":"));
        yield return Case("empty token", a => Api.BasicOf(a.P.ProjectId + ":"));
        yield return Case("empty id", a => Api.BasicOf(":" + a.P.ApiToken));
        yield return Case("invalid UTF-8", _ => "Basic " + Convert.ToBase64String([0xFF, 0x3A, 0xFE]));
        yield return Case("token with a trailing space", a => Api.BasicOf($"{a.P.ProjectId}:{a.P.ApiToken} "));
    }

    [TestCaseSource(nameof(Unauthorized))]
    public async Task Refused_credentials_answer_401_with_the_contract_body_and_a_Basic_challenge(Func<Api, string?> header)
    {
        var before = Count;
        foreach (var a in new[]
                 {
                     await _api.Create(_api.Valid(), header(_api)),
                     await _api.Send(HttpMethod.Get, _api.Collection, header(_api)),
                     await _api.Send(HttpMethod.Delete, _api.Item(Guid.NewGuid().ToString()), header(_api)),
                 })
        {
            a.Status.Should().Be(401, a.ToString());
            a.Text.Should().Be($"{{\"error\":\"{C.UnauthorizedError}\"}}");
            a.MediaType.Should().Be("application/json");
            a.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Basic");
        }
        Count.Should().Be(before, "a rejected request creates nothing");
    }

    [TestCase("basic")]
    [TestCase("BASIC")]
    [TestCase("Basic")]
    public async Task The_scheme_name_is_case_insensitive(string scheme)
    {
        (await _api.Create(_api.Valid(), Api.Basic(_server.Primary, scheme))).Status.Should().Be(200);
    }

    [Test]
    public async Task The_secondary_project_works_and_cannot_read_or_delete_the_primarys_endpoints()
    {
        var mine = (await _api.Create(_api.Valid())).Str("id")!;
        var theirs = await _api.Create(_api.Valid(b => b["calling_handler_resource_id"] = null), Api.Basic(_server.Secondary));
        theirs.Status.Should().Be(200);
        theirs.Str("project_id").Should().Be(_server.Secondary.ProjectId);

        (await _api.Get(mine, _server.Secondary)).Status.Should().Be(404);
        (await _api.Delete(mine, _server.Secondary)).Status.Should().Be(404);
        (await _api.Get(mine)).Status.Should().Be(200, "the failed foreign delete left it alone");
        var list = await _api.List("?page_size=1000", _server.Secondary);
        list.Object["data"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()).Should().NotContain(mine);
    }

    /// <summary>Every 422 family: the mutation, and the attribute the error must name.</summary>
    public static IEnumerable<TestCaseData> Invalid()
    {
        static TestCaseData Case(string name, string attribute, Action<JsonObject, Api> change) =>
            new TestCaseData(change, attribute).SetArgDisplayNames(name);
        foreach (var f in C.CreateFields.Where(f => f.Required && f.Default is null))
            yield return Case($"{f.Name} missing", f.Name, (b, _) => b.Remove(f.Name));
        foreach (var f in C.CreateFields.Where(f => !f.Nullable))
            yield return Case($"{f.Name} null", f.Name, (b, _) => b[f.Name] = null);
        yield return Case("username a number", "username", (b, _) => b["username"] = 42);
        yield return Case("caller_id a bool", "caller_id", (b, _) => b["caller_id"] = true);
        yield return Case("send_as an object", "send_as", (b, _) => b["send_as"] = new JsonObject());
        yield return Case("id a number", "id", (b, _) => b["id"] = 7);
        yield return Case("ciphers a string", "ciphers", (b, _) => b["ciphers"] = C.Ciphers[0]);
        yield return Case("codecs an object", "codecs", (b, _) => b["codecs"] = new JsonObject());
        yield return Case("codecs holding a number", "codecs", (b, _) => b["codecs"] = new JsonArray(C.Codecs[0], 1));
        yield return Case("ciphers holding null", "ciphers", (b, _) => b["ciphers"] = new JsonArray(C.Ciphers[0], null));
        yield return Case("encryption an array", "encryption", (b, _) => b["encryption"] = new JsonArray("required"));
        yield return Case("unknown cipher", "ciphers", (b, _) => b["ciphers"] = new JsonArray(C.Ciphers[0], "ROT13"));
        yield return Case("codec in the wrong case", "codecs", (b, _) => b["codecs"] = new JsonArray(C.Codecs[0].ToLowerInvariant()));
        yield return Case("encryption in the wrong case", "encryption", (b, _) => b["encryption"] = "REQUIRED");
        yield return Case("unknown call_handler", "call_handler", (b, _) => b["call_handler"] = "voicemail");
        yield return Case("malformed id", "id", (b, _) => b["id"] = "1234");
        yield return Case("id without hyphens", "id", (b, _) => b["id"] = Guid.NewGuid().ToString("N"));
        yield return Case("id in braces", "id", (b, _) => b["id"] = Guid.NewGuid().ToString("B"));
        yield return Case("malformed resource id", "calling_handler_resource_id", (b, a) =>
        {
            b["call_handler"] = CallHandlerValues.Resource;
            b["calling_handler_resource_id"] = "resource-1";
        });
        yield return Case("resource without resource id", "calling_handler_resource_id", (b, _) =>
        {
            b["call_handler"] = CallHandlerValues.Resource;
            b.Remove("calling_handler_resource_id");
        });
        yield return Case("resource with null resource id", "calling_handler_resource_id", (b, _) => b["call_handler"] = CallHandlerValues.Resource);
        yield return Case("resource with an unknown resource", "calling_handler_resource_id", (b, _) =>
        {
            b["call_handler"] = CallHandlerValues.Resource;
            b["calling_handler_resource_id"] = Guid.NewGuid().ToString();
        });
        yield return Case("resource with the other project's resource", "calling_handler_resource_id", (b, a) =>
        {
            b["call_handler"] = CallHandlerValues.Resource;
            b["calling_handler_resource_id"] = a.Q.ResourceId;
        });
        yield return Case("username empty", "username", (b, _) => b["username"] = "");
        yield return Case("username of 256 code units", "username", (b, _) => b["username"] = new string('u', 256));
        yield return Case("send_as of 256 code units", "send_as", (b, _) => b["send_as"] = new string('s', 256));
    }

    [TestCaseSource(nameof(Invalid))]
    public async Task An_invalid_create_answers_422_naming_the_attribute_and_stores_nothing(Action<JsonObject, Api> change, string attribute)
    {
        var before = Count;
        var body = _api.Valid();
        change(body, _api);
        var a = await _api.Create(body);

        a.Status.Should().Be(422, a.ToString());
        C.Validate(SchemaNames.ValidationError, a.Text).Errors.Should().BeEmpty();
        a.ErrorAttributes.Should().Contain(attribute);
        a.Object["errors"]!.AsArray().Should().OnlyContain(e => e!["type"]!.GetValue<string>() == "validation_error"
            && e["code"]!.GetValue<string>().Length > 0 && e["message"]!.GetValue<string>().Length > 0 && e["url"] != null);
        Count.Should().Be(before);
    }

    [Test]
    public async Task Primary_takes_the_lenient_either_answers()
    {
        var noEncryption = _api.Valid(b => b.Remove("encryption"));
        (await _api.Create(noEncryption)).EndpointStr("encryption").Should().Be(C.Field(FieldNames.Encryption).Default);

        var empty = await _api.Create(_api.Valid(b => { b["ciphers"] = new JsonArray(); b["codecs"] = new JsonArray(); }));
        empty.Status.Should().Be(200);
        empty.EndpointList("ciphers").Should().BeEmpty();

        var twice = await _api.Create(_api.Valid(b => b["codecs"] = new JsonArray(C.Codecs[2], C.Codecs[0], C.Codecs[2])));
        twice.EndpointList("codecs").Should().Equal(C.Codecs[2], C.Codecs[0]);

        var extra = await _api.Create(_api.Valid(b => b["voicemail"] = true));
        extra.Status.Should().Be(200);
        extra.Endpoint.ContainsKey("voicemail").Should().BeFalse();

        var stray = await _api.Create(_api.Valid(b => b["calling_handler_resource_id"] = _api.P.ResourceId));
        stray.Status.Should().Be(200);
        stray.Endpoint["calling_handler_resource_id"].Should().BeNull();

        var array = await _api.CreateRaw("[1,2]");
        array.Status.Should().Be(422);
        C.Validate(SchemaNames.ValidationError, array.Text).Errors.Should().BeEmpty();
        (await _api.CreateRaw("\"text\"")).Status.Should().Be(422);
    }

    [Test]
    public async Task A_resource_handler_with_the_projects_resource_echoes_the_id_as_sent()
    {
        var body = _api.Valid(b =>
        {
            b["call_handler"] = CallHandlerValues.Resource;
            b["calling_handler_resource_id"] = _api.P.ResourceId.ToUpperInvariant();
        });
        var a = await _api.Create(body);
        a.Status.Should().Be(200);
        a.EndpointStr("calling_handler_resource_id").Should().Be(_api.P.ResourceId.ToUpperInvariant());
    }

    /// <summary>Unicode text a server must store and echo exactly, code point for code point (or refuse with 422).</summary>
    public static IEnumerable<TestCaseData> Texts()
    {
        static TestCaseData Case(string name, string text) => new TestCaseData(text).SetArgDisplayNames(name);
        yield return Case("plain", "alice");
        yield return Case("composed", "Jos\u00e9 M\u00fcller");
        yield return Case("decomposed", "Jose\u0301 Mu\u0308ller");
        yield return Case("emoji and ZWJ", "\ud83d\udc69\u200d\ud83d\udcbb dev \ud83d\ude00");
        yield return Case("right-to-left", "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627");
        yield return Case("controls and NUL", "a\u0000b\tc\u001f\u007f\u2028");
        yield return Case("leading and trailing spaces", "  padded  ");
        yield return Case("quotes and backslashes", "\"\\/<script>");
        yield return Case("noncharacter", "x\uFFFEy\uFFFF");
        yield return Case("Arabic-block noncharacters", "a\uFDD0b\uFDEFc");
        yield return Case("bidi controls", "\u202Eabc\u202C \u200E\u200F \u2066x\u2069");
        yield return Case("line and paragraph separators", "line\u2028next\u2029para\u0085nel");
        yield return Case("zero-width and BOM", "a\u200Bb\u200Cc\u200Dd\uFEFFe\u2060");
        yield return Case("combining marks only", "\u0301\u0308\u20DD");
        yield return Case("Hangul jamo and compatibility forms", "\u1100\u1161\u11A8 \uFB01 \u2126 \u212B");
        yield return Case("case-sensitive letters", "I\u0130i\u0131 \u00DF\u1E9E \u03A3\u03C3\u03C2");
    }

    [TestCaseSource(nameof(Texts))]
    public async Task Strings_are_stored_and_echoed_exactly(string text)
    {
        var body = _api.Valid(b =>
        {
            b["username"] = text;
            b["caller_id"] = text;
            b["send_as"] = text;
        });
        var a = await _api.Create(body);
        a.Status.Should().Be(200, a.ToString());
        Api.Echoes(a, body).Should().BeTrue(a.ToString());
        a.EndpointStr("username").Should().Be(text);
        (await _api.Get(a.Str("id")!)).EndpointStr("send_as").Should().Be(text);
    }

    [Test]
    public async Task Strings_of_255_code_units_are_kept_and_empty_caller_id_and_send_as_are_accepted()
    {
        var longest = string.Concat(Enumerable.Repeat("\ud83d\ude00", 127)) + "x"; // 255 UTF-16 code units
        var a = await _api.Create(_api.Valid(b =>
        {
            b["username"] = longest;
            b["caller_id"] = "";
            b["send_as"] = "";
        }));
        a.Status.Should().Be(200, a.ToString());
        a.EndpointStr("username").Should().Be(longest);
        a.EndpointStr("caller_id").Should().BeEmpty();
        a.Str("display_name").Should().Be(longest, "display_name falls back to the username");
    }

    [Test]
    public async Task A_lone_surrogate_escape_is_refused_with_422()
    {
        var json = _api.Valid(b => b["caller_id"] = "PLACEHOLDER").ToJsonString()
            .Replace("\"PLACEHOLDER\"", "\"\\ud800\"", StringComparison.Ordinal);
        json.Should().Contain("\\ud800");
        var a = await _api.CreateRaw(json);
        a.Status.Should().Be(422);
        a.ErrorAttributes.Should().Contain("caller_id");
    }

    [TestCase("{\"username\": ", "truncated")]
    [TestCase("", "empty")]
    [TestCase("{'username': 'single quotes'}", "single quotes")]
    [TestCase("{\"a\":1}{\"b\":2}", "two documents")]
    [TestCase("{\"a\":01}", "leading zero")]
    public async Task Malformed_json_answers_400_invalid_json(string body, string _)
    {
        var a = await _api.CreateRaw(body);
        a.Status.Should().Be(400);
        a.Object["errors"]![0]!["code"]!.GetValue<string>().Should().Be("invalid_json");
    }

    [Test]
    public async Task Invalid_utf8_answers_400_and_a_bom_is_ignored()
    {
        var valid = Encoding.UTF8.GetBytes(_api.Valid().ToJsonString().Replace("Alice Liddell", "Alice\u00e9", StringComparison.Ordinal));
        var broken = valid.ToArray();
        var at = Array.IndexOf(broken, (byte)0xC3);
        broken[at] = 0xFF;
        (await _api.CreateRaw(broken)).Status.Should().Be(400);
        (await _api.CreateRaw([0xEF, 0xBB, 0xBF, .. valid])).Status.Should().Be(200);
    }

    [TestCase("application/json", 200)]
    [TestCase("application/json; charset=utf-8", 200)]
    [TestCase("APPLICATION/JSON", 200)]
    [TestCase("application/vnd.signalwire+json", 200)]
    [TestCase("application/merge-patch+json; charset=utf-8", 200)]
    [TestCase("text/plain", 415)]
    [TestCase("application/x-www-form-urlencoded", 415)]
    [TestCase("application/jsonp", 415)]
    [TestCase(null, 415)]
    public async Task The_create_wants_a_json_content_type(string? contentType, int status)
    {
        var a = await _api.CreateRaw(Encoding.UTF8.GetBytes(_api.Valid().ToJsonString()), "", contentType);
        a.Status.Should().Be(status, a.ToString());
        if (status == 415) a.Object["errors"]!.AsArray().Should().NotBeEmpty();
    }

    [TestCase(1)]
    [TestCase(3)]
    public async Task A_body_over_one_mebibyte_answers_413(int mebibytes)
    {
        var before = Count;
        var huge = _api.Valid(b => b["padding"] = new string('x', mebibytes << 20)).ToJsonString();
        (await _api.CreateRaw(huge)).Status.Should().Be(413);
        Count.Should().Be(before);
    }

    [Test]
    public async Task A_chunked_body_of_a_few_mebibytes_answers_413()
    {
        var huge = Encoding.UTF8.GetBytes(_api.Valid(b => b["padding"] = new string('x', 3 << 20)).ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, _api.Collection) { Content = new StreamContent(new MemoryStream(huge)) };
        request.Headers.TryAddWithoutValidation("Authorization", Api.Basic(_api.P));
        request.Headers.TransferEncodingChunked = true;
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var response = await _api.Http.SendAsync(request);
        ((int)response.StatusCode).Should().Be(413);
    }

    /// <summary>JSON nested deeper than the server reads: at the top, inside a field, and far deeper.</summary>
    [TestCase(65, false)]
    [TestCase(65, true)]
    [TestCase(100_000, false)]
    [TestCase(100_000, true)]
    public async Task Deeply_nested_json_answers_400(int depth, bool insideAField)
    {
        var nested = new string('[', depth) + new string(']', depth);
        var body = insideAField
            ? _api.Valid(b => b["username"] = "PLACEHOLDER").ToJsonString().Replace("\"PLACEHOLDER\"", nested[1..^1], StringComparison.Ordinal)
            : nested;
        var a = await _api.CreateRaw(body);
        a.Status.Should().Be(400, a.ToString());
        a.Object["errors"]![0]!["code"]!.GetValue<string>().Should().Be("invalid_json");
    }

    [Test]
    public async Task Json_nested_within_the_limit_is_read_and_refused_for_its_type()
    {
        var body = _api.Valid(b => b["username"] = "PLACEHOLDER").ToJsonString()
            .Replace("\"PLACEHOLDER\"", new string('[', 60) + new string(']', 60), StringComparison.Ordinal);
        var a = await _api.CreateRaw(body);
        a.Status.Should().Be(422, a.ToString());
        a.ErrorAttributes.Should().Contain("username");
    }

    [Test]
    public async Task Unknown_paths_answer_404_and_wrong_methods_405()
    {
        (await _api.Send(HttpMethod.Get, new Uri(_server.BaseUrl, "/api/fabric/resources/other"))).Status.Should().Be(404);
        var put = await _api.Send(HttpMethod.Put, _api.Collection, "", "{}"u8.ToArray(), "application/json");
        put.Status.Should().Be(405);
        (await _api.Send(HttpMethod.Patch, _api.Item(Guid.NewGuid().ToString()))).Status.Should().Be(405);
    }

    /// <summary>No input gets a 5xx: random JSON values, and random mutations of a valid body.</summary>
    [Test]
    public async Task Random_bodies_never_get_a_5xx()
    {
        var random = new Random(20260318);
        var statuses = new HashSet<int>();
        for (var i = 0; i < 300; i++)
        {
            JsonNode? body;
            if (i % 3 == 0) body = RandomJson(random, 3);
            else
            {
                var valid = _api.Valid();
                var name = C.CreateFields[random.Next(C.CreateFields.Count)].Name;
                if (random.Next(4) == 0) valid.Remove(name);
                else valid[name] = RandomJson(random, 2);
                body = valid;
            }
            var a = await _api.CreateRaw(body?.ToJsonString() ?? "null");
            a.Status.Should().BeOneOf([200, 400, 404, 422], $"body {body?.ToJsonString()}: {a}");
            statuses.Add(a.Status);
        }
        statuses.Should().Contain([200, 422]);
    }

    private static JsonNode? RandomJson(Random r, int depth) => r.Next(depth > 0 ? 9 : 6) switch
    {
        0 => null,
        1 => JsonValue.Create(r.Next(2) == 0),
        2 => JsonValue.Create(r.Next(-1000, 1000) / (r.Next(3) + 1.0)),
        3 => JsonValue.Create(C.Ciphers.Concat(C.Codecs).Concat(C.CallHandlers).ElementAt(r.Next(16))),
        4 => JsonValue.Create(Guid.NewGuid().ToString()),
        5 => JsonValue.Create(new string((char)r.Next(32, 0xD7FF), r.Next(0, 300))),
        6 or 7 => new JsonArray(Enumerable.Range(0, r.Next(4)).Select(_ => RandomJson(r, depth - 1)).ToArray()),
        _ => new JsonObject(Enumerable.Range(0, r.Next(4))
            .Select(i => KeyValuePair.Create(C.CreateFields[r.Next(C.CreateFields.Count)].Name + i.ToString(CultureInfo.InvariantCulture), RandomJson(r, depth - 1)))),
    };

    [Test]
    public async Task Concurrent_creates_are_all_stored_once()
    {
        await using var server = await Servers.Start();
        var api = new Api(server, Servers.Http);
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var mine = new List<string>();
            for (var i = 0; i < 50; i++) mine.Add((await api.Create(api.Valid())).Str("id")!);
            return mine;
        }));
        ids.SelectMany(x => x).Should().OnlyHaveUniqueItems().And.HaveCount(400);
        server.EndpointCount(server.Primary.ProjectId).Should().Be(400);
        server.Usernames(server.Primary.ProjectId).Should().HaveCount(400).And.OnlyContain(u => u.StartsWith("Alice-", StringComparison.Ordinal));
        server.EndpointCount("no-such-project").Should().Be(0);
    }
}
