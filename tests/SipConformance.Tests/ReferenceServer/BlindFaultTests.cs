using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.ReferenceServer;
using Server = SipConformance.ReferenceServer.ReferenceServer;

namespace SipConformance.Tests.ReferenceServerTests;

/// <summary>
/// The blind faults (written from the contract and from real stacks' behaviour): each fires on the
/// inputs the real stack mis-handles, and on none of the inputs that stack refuses; the correct
/// server answers the same inputs as the contract says. The races fire on requests that overlap in
/// time and never on the same requests sent one after another.
/// </summary>
[TestFixture]
public class BlindFaultTests
{
    private Server _correct = null!;

    private static SipContract C => SipContract.Default;

    /// <summary>A resource id whose groups have leading zeros, so that every stack's short forms exist.</summary>
    private const string Resource = "00000a0b-0001-0002-0003-00000000abcd";

    /// <summary>The primary project of every server here, the correct one too: the same header means the same credentials.</summary>
    private static readonly ProjectCredentials Primary = new("7d1c5e2a-4b3f-4c6d-9e8f-0a1b2c3d4e5f", "PTa1b2c3d4e5f6a7b8c9d0", Resource);

    [OneTimeSetUp]
    public async Task Start() => _correct = await Server.StartAsync(new ReferenceServerOptions { PrimaryProject = Primary });

    [OneTimeTearDown]
    public async Task Stop() => await _correct.DisposeAsync();

    private static Task<Server> StartWith(string fault) => Server.StartAsync(new ReferenceServerOptions
    {
        Faults = [fault],
        PrimaryProject = Primary,
    });

    private static Api ApiOf(Server server) => new(server, Servers.Http);

    /// <summary>The first character of a UUID in its full-width form (U+FF10.. digits, U+FF41.. letters).</summary>
    internal static string FullWidthFirst(string id) =>
        (char.IsAsciiDigit(id[0]) ? (char)('\uFF10' + (id[0] - '0')) : (char)('\uFF41' + (char.ToLowerInvariant(id[0]) - 'a'))) + id[1..];

    // ---------------------------------------------------------------- UUID fields

    private static readonly string Hex = Resource.Replace("-", "", StringComparison.Ordinal);

    /// <summary>Forms of <see cref="Resource"/> that are no UUID of the contract, and the stacks whose parser takes each.</summary>
    public static IEnumerable<TestCaseData> UuidForms()
    {
        var forms = new (string Form, string[] Stacks)[]
        {
            ("{" + Resource + "}", [UuidParserFaults.DotNet, UuidParserFaults.Python, UuidParserFaults.Go]),
            ("(" + Resource + ")", [UuidParserFaults.DotNet, UuidParserFaults.Go]),
            (Hex, [UuidParserFaults.DotNet, UuidParserFaults.Python, UuidParserFaults.Go]),
            (" " + Resource + " ", [UuidParserFaults.DotNet, UuidParserFaults.Go]),
            ("{0x00000a0b,0x0001,0x0002,{0x00,0x03,0x00,0x00,0x00,0x00,0xab,0xcd}}", [UuidParserFaults.DotNet]),
            ("urn:uuid:" + Resource, [UuidParserFaults.Python, UuidParserFaults.Go]),
            ("URN:UUID:" + Resource, [UuidParserFaults.Go]),
            ("urn:uuid:{" + Resource + "}", [UuidParserFaults.Python]),
            ("{{" + Resource + "}}", [UuidParserFaults.Python]),
            ("0x" + Hex[2..], [UuidParserFaults.Python]),
            ("+" + Hex[1..], [UuidParserFaults.Python]),
            ("0000-0a0b-0001-0002-0003-0000-0000-abcd", [UuidParserFaults.Python]),
            ("x" + Resource + "y", [UuidParserFaults.Go]),
            ("a0b-1-2-3-abcd", [UuidParserFaults.Java]),
            ("+a0b-1-2-3-abcd", [UuidParserFaults.Java]),
            (FullWidthFirst(Resource), [UuidParserFaults.Java, UuidParserFaults.Python]),
            ("\uff10" + Resource[1..8] + "-0001-0002-0003-00000000ａｂｃｄ", [UuidParserFaults.Java]),
            // No stack takes these.
            (Resource + "0", []),
            (Resource[..35], []),
            ("{" + Resource, [UuidParserFaults.Python]), // strip('{}') strips an unmatched brace too
            ("resource", []),
        };
        foreach (var fault in new[] { UuidParserFaults.DotNet, UuidParserFaults.Python, UuidParserFaults.Go, UuidParserFaults.Java })
            foreach (var (form, stacks) in forms)
                yield return new TestCaseData(fault, form, stacks.Contains(fault)).SetArgDisplayNames(fault, form.Replace("\uff10", "(fw0)"), stacks.Contains(fault) ? "taken" : "refused");
    }

    [TestCaseSource(nameof(UuidForms))]
    public async Task A_lenient_uuid_parser_takes_its_stacks_forms_and_stores_the_canonical_uuid(string fault, string form, bool taken)
    {
        await using var server = await StartWith(fault);
        var api = ApiOf(server);
        var body = api.ValidResource().Also(b => b["calling_handler_resource_id"] = form);
        var a = await api.Create(body);
        if (taken)
        {
            a.Status.Should().Be(200, a.ToString());
            a.EndpointStr("calling_handler_resource_id").Should().Be(Resource, "the stack stores its canonical form");
        }
        else a.Status.Should().Be(422, a.ToString());

        var correct = ApiOf(_correct);
        (await correct.Create(correct.ValidResource().Also(b => b["calling_handler_resource_id"] = form))).Status
            .Should().Be(422, "a malformed UUID is 422");
    }

    [Test]
    public async Task A_lenient_uuid_parser_leaves_contract_uuids_alone_and_reads_the_id_field_too()
    {
        await using var server = await StartWith(UuidParserFaults.Python);
        var api = ApiOf(server);
        var upper = await api.Create(api.ValidResource().Also(b => b["calling_handler_resource_id"] = Resource.ToUpperInvariant()));
        upper.EndpointStr("calling_handler_resource_id").Should().Be(Resource.ToUpperInvariant(), "a contract UUID is stored as sent");
        (await api.Create(api.Valid(b => b["id"] = "urn:uuid:" + Guid.NewGuid()))).Status.Should().Be(200);
        (await ApiOf(_correct).Create(ApiOf(_correct).Valid(b => b["id"] = "urn:uuid:" + Guid.NewGuid()))).Status.Should().Be(422);
        (await api.Create(api.ValidResource().Also(b => b["calling_handler_resource_id"] = "urn:uuid:" + Guid.NewGuid()))).Status
            .Should().Be(422, "a canonical UUID that names no resource is still refused");
    }

    [TestCase(UuidParserFaults.DotNet, "00000a0b-0001-0002-0003-00000000abcd", ExpectedResult = "00000a0b-0001-0002-0003-00000000abcd")]
    [TestCase(UuidParserFaults.Python, " 0000a0b00010002000300000000abcd ", ExpectedResult = null)] // 34 characters
    // Python cases checked against CPython 3.11 uuid.UUID; Java cases against OpenJDK 17 UUID.fromString.
    [TestCase(UuidParserFaults.Python, "0_000a0b00010002000300000000abcd", ExpectedResult = Resource)]
    [TestCase(UuidParserFaults.Python, "0__00a0b00010002000300000000abcd", ExpectedResult = null)]
    [TestCase(UuidParserFaults.Python, "\u06600000a0b00010002000300000000abcd", ExpectedResult = Resource)] // ARABIC-INDIC DIGIT ZERO
    [TestCase(UuidParserFaults.Python, " 0000a0b00010002000300000000abc ", ExpectedResult = "000000a0-b000-1000-2000-300000000abc")]
    [TestCase(UuidParserFaults.Python, "0x_00a0b00010002000300000000abcd", ExpectedResult = Resource)]
    [TestCase(UuidParserFaults.Python, "00000a0b00010002_00300000000abcd", ExpectedResult = "000000a0-b000-1000-2003-00000000abcd")]
    [TestCase(UuidParserFaults.Python, "_0000a0b00010002000300000000abcd", ExpectedResult = null)]
    [TestCase(UuidParserFaults.Python, "-0000a0b00010002000300000000abcd", ExpectedResult = null)]
    [TestCase(UuidParserFaults.Go, "urn:uuid:00000a0b-0001-0002-0003-00000000abcd", ExpectedResult = "00000a0b-0001-0002-0003-00000000abcd")]
    [TestCase(UuidParserFaults.Go, "urn:uuiX:00000a0b-0001-0002-0003-00000000abcd", ExpectedResult = null)]
    [TestCase(UuidParserFaults.Go, "00000a0b+0001-0002-0003-00000000abcd", ExpectedResult = null)]
    [TestCase(UuidParserFaults.Java, "1-2-3-4-5", ExpectedResult = "00000001-0002-0003-0004-000000000005")]
    [TestCase(UuidParserFaults.Java, "123456789-2-3-4-5", ExpectedResult = "23456789-0002-0003-0004-000000000005")] // masked to 32 bits
    [TestCase(UuidParserFaults.Java, "1-2-3-4", ExpectedResult = null)]
    [TestCase(UuidParserFaults.Java, "1--3-4-5", ExpectedResult = null)]
    [TestCase(UuidParserFaults.Java, "1-2-3-4-5-6", ExpectedResult = null)]
    [TestCase(UuidParserFaults.Java, "00000000000000001-2-3-4-5", ExpectedResult = "00000001-0002-0003-0004-000000000005")]
    [TestCase(UuidParserFaults.Java, "10000000000000000-2-3-4-5", ExpectedResult = null)] // Long.parseLong overflows
    [TestCase(UuidParserFaults.Java, "1-2-3-4-+5", ExpectedResult = "00000001-0002-0003-0004-000000000005")]
    [TestCase(UuidParserFaults.Java, "0x1-2-3-4-5", ExpectedResult = null)]
    [TestCase(UuidParserFaults.Java, "{00000a0b-0001-0002-0003-00000000abcd}", ExpectedResult = null)] // too large
    public string? The_parsers_follow_their_stacks(string parser, string text) => UuidParserFaults.Parse(parser, text);

    [TestCase(UuidParserFaults.Go, "{00000a0b-0001-0002-0003-00000000abcd}", ExpectedResult = Resource)]
    [TestCase(UuidParserFaults.Go, "\"00000a0b-0001-0002-0003-00000000abcd\"", ExpectedResult = Resource)] // 38 bytes: the first and last are never read
    [TestCase(UuidParserFaults.Go, "\u00e900000a0b-0001-0002-0003-00000000abcd", ExpectedResult = null)] // 38 bytes, but é is two: the hyphens are off by one
    [TestCase(UuidParserFaults.Go, "00000a0b00010002000300000000abcd", ExpectedResult = Resource)]
    [TestCase(UuidParserFaults.Go, "0000a0b00010002000300000000abcd", ExpectedResult = null)]
    public string? The_go_parser_counts_bytes(string parser, string text) => UuidParserFaults.Parse(parser, text);

    // Checked against CPython 3.11 base64.b64decode (validate=False).
    [TestCase("!!aWQ6dG9r!!", ExpectedResult = "id:tok")]
    [TestCase("aWQ6dG9rZW4=QUJD", ExpectedResult = "id:token")]
    [TestCase("aWQ6dG9rZW4", ExpectedResult = null)] // Incorrect padding
    [TestCase("a-_.WQ6dG9rZW4=", ExpectedResult = "id:token")]
    [TestCase("aWQ6d==G9r", ExpectedResult = "id:tok")]
    [TestCase("=aWQ6dG9r", ExpectedResult = "id:tok")]
    [TestCase("aWQ6dG9rZ", ExpectedResult = null)] // 1 more than a multiple of 4
    [TestCase("aWQ6dG9rZW==4=", ExpectedResult = "id:toke")]
    public string? Python_base64_decoding_follows_binascii(string text) =>
        CredentialFaults.PythonB64Decode(text) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    // Checked against CPython 3.11 urllib.parse.unquote and OpenJDK 17 URLDecoder.decode(s, UTF_8) ("!" for IllegalArgumentException).
    [TestCase("100%25 sure %C3%A9%zz%", "100% sure \u00e9%zz%", "!")]
    [TestCase("bad %C3 byte", "bad \ufffd byte", "bad \ufffd byte")]
    [TestCase("%C3%A9%C3", "\u00e9\ufffd", "\u00e9\ufffd")]
    [TestCase("%e2%82%ac+", "\u20ac+", "\u20ac ")]
    [TestCase("a%2", "a%2", "!")]
    [TestCase("100%zz", "100%zz", "!")]
    public void Percent_decoding_follows_python_and_java(string text, string python, string java)
    {
        DecodingFaults.PythonUnquote(text).Should().Be(python);
        if (java == "!") FluentActions.Invoking(() => DecodingFaults.JavaUrlDecode(text)).Should().Throw<Exception>();
        else DecodingFaults.JavaUrlDecode(text).Should().Be(java);
    }

    // ---------------------------------------------------------------- path ids

    [Test]
    public async Task Path_id_guid_route_finds_an_endpoint_by_any_guid_form()
    {
        await using var server = await StartWith(UuidParserFaults.PathGuid);
        var api = ApiOf(server);
        var id = (await api.Create(api.Valid())).Str("id")!;
        var g = Guid.Parse(id);
        foreach (var form in new[] { g.ToString("N"), g.ToString("B"), g.ToString("P"), " " + id + " ", g.ToString("X") })
        {
            (await api.Get(form)).Status.Should().Be(200, form);
            (await ApiOf(_correct).Get(form)).Status.Should().BeOneOf([404, 400, 422], "a path id that is no UUID");
        }
        (await api.Get(id)).Status.Should().Be(200);
        (await api.Get(Guid.NewGuid().ToString("N"))).Status.Should().Be(404, "no such endpoint in any form");
        (await api.Get("not-a-uuid")).Status.Should().Be(404);
        (await api.Delete(g.ToString("B"))).Status.Should().Be(204);
        (await api.Get(id)).Status.Should().Be(404);
    }

    [Test]
    public async Task Path_id_postgres_cast_answers_500_for_what_uuid_in_refuses_and_finds_what_it_takes()
    {
        await using var server = await StartWith(UuidParserFaults.PathPostgres);
        var api = ApiOf(server);
        var id = (await api.Create(api.Valid())).Str("id")!;
        var hex = id.Replace("-", "", StringComparison.Ordinal);
        var grouped = string.Join('-', Enumerable.Range(0, 8).Select(k => hex.Substring(k * 4, 4)));
        foreach (var form in new[] { hex, "{" + id + "}", grouped, id.ToUpperInvariant() })
            (await api.Get(form)).Status.Should().Be(200, form);
        foreach (var form in new[] { "not-a-uuid", id + "}", "(" + id + ")", id[..35], "-" + hex })
        {
            (await api.Get(form)).Status.Should().Be(500, form);
            (await api.Delete(form)).Status.Should().Be(500, form);
            (await ApiOf(_correct).Get(form)).Status.Should().BeOneOf([404, 400, 422], form);
        }
        (await api.Get(Guid.NewGuid().ToString())).Status.Should().Be(404);
    }

    // ---------------------------------------------------------------- credentials

    private static string Pair(Api api, string token, string? id = null) => Api.BasicOf($"{id ?? api.P.ProjectId}:{token}");

    public static IEnumerable<TestCaseData> CredentialCases()
    {
        TestCaseData Case(string fault, string name, Func<Api, string> header, bool accepted) =>
            new TestCaseData(fault, header, accepted).SetArgDisplayNames(fault, name, accepted ? "accepted" : "401");
        var t = "PTa1b2c3d4e5f6a7b8c9d0";
        yield return Case(CredentialFaults.MySqlCollation, "upper case", api => Pair(api, t.ToUpperInvariant()), true);
        yield return Case(CredentialFaults.MySqlCollation, "trailing spaces", api => Pair(api, t + "   "), true);
        yield return Case(CredentialFaults.MySqlCollation, "leading space", api => Pair(api, " " + t), false);
        yield return Case(CredentialFaults.MySqlCollation, "one character changed", api => Pair(api, t[..^1] + "1"), false);
        yield return Case(CredentialFaults.PartialCompare, "a prefix", api => Pair(api, t[..3]), true);
        yield return Case(CredentialFaults.PartialCompare, "one more character", api => Pair(api, t + "0"), false);
        yield return Case(CredentialFaults.PartialCompare, "a suffix", api => Pair(api, t[3..]), false);
        yield return Case(CredentialFaults.PythonBase64, "junk around", api => "Basic !!" + Api.Basic(api.P)[6..] + "!!", true);
        yield return Case(CredentialFaults.PythonBase64, "url-safe junk inside", api => "Basic " + Api.Basic(api.P)[6..10] + "-_." + Api.Basic(api.P)[10..], true);
        yield return Case(CredentialFaults.PythonBase64, "data after padding", api => Api.Basic(api.P) + "QUJD", true);
        yield return Case(CredentialFaults.PythonBase64, "padding cut", api => Api.Basic(api.P).TrimEnd('=') + "!", false);
        yield return Case(CredentialFaults.PythonBase64, "a wrong token in junk", api => "Basic !" + Pair(api, "nope")[6..], false);
        yield return Case(CredentialFaults.SplitDestructure, "token:more", api => Pair(api, t + ":more"), true);
        yield return Case(CredentialFaults.SplitDestructure, "token:", api => Pair(api, t + ":"), true);
        yield return Case(CredentialFaults.SplitDestructure, "tok:en", api => Pair(api, t[..4] + ":" + t[4..]), false);
        yield return Case(CredentialFaults.AnyProjectToken, "the other project's token", api => Pair(api, api.Q.ApiToken), true);
        yield return Case(CredentialFaults.AnyProjectToken, "no project's token", api => Pair(api, t + "x"), false);
        yield return Case(CredentialFaults.SchemeIgnored, "Bearer", api => Api.Basic(api.P, "Bearer"), true);
        yield return Case(CredentialFaults.SchemeIgnored, "Digest", api => Api.Basic(api.P, "Digest"), true);
        yield return Case(CredentialFaults.SchemeIgnored, "Basic with two spaces is split(' ')[1] == ''", api => "Digest  " + Api.Basic(api.P)[6..], false);
        yield return Case(CredentialFaults.SchemeIgnored, "Bearer with a wrong token", api => "Bearer " + Pair(api, "nope")[6..], false);
    }

    [TestCaseSource(nameof(CredentialCases))]
    public async Task A_loose_credential_reader_accepts_what_its_stack_accepts(string fault, Func<Api, string> header, bool accepted)
    {
        await using var server = await StartWith(fault);
        var api = ApiOf(server);
        var authorization = header(api);
        var a = await api.Create(api.Valid(), authorization);
        a.Status.Should().Be(accepted ? 200 : 401);
        if (accepted) a.Str("project_id").Should().Be(api.P.ProjectId);
        else server.EndpointCount(api.P.ProjectId).Should().Be(0);
        (await api.Create(api.Valid())).Status.Should().Be(200, "the real credentials still work");

        var correct = ApiOf(_correct);
        (await correct.Create(correct.Valid(), header(correct))).Status.Should().Be(401, "the correct server refuses every such header");
    }

    // ---------------------------------------------------------------- JSON readers

    private static string Body(Api api, string insert) => "{" + insert + api.Valid().ToJsonString()[1..];

    public static IEnumerable<TestCaseData> JsonSyntax()
    {
        TestCaseData Case(string fault, string name, string insert, bool accepted) =>
            new TestCaseData(fault, insert, accepted).SetArgDisplayNames(fault, name, accepted ? "200" : "400");
        yield return Case(ParserFaults.Newtonsoft, "block comment", "/* c */", true);
        yield return Case(ParserFaults.Newtonsoft, "line comment", "// c\n", true);
        yield return Case(ParserFaults.Newtonsoft, "single quotes", "'x': 'it''s',", false); // '' is no escape: the string ends
        yield return Case(ParserFaults.Newtonsoft, "single quotes and an escaped quote", "'x': 'it\\'s \"so\"',", true);
        yield return Case(ParserFaults.Newtonsoft, "unquoted name", "x: 1,", true);
        yield return Case(ParserFaults.Newtonsoft, "NaN and -Infinity", "\"x\": [NaN, -Infinity, +Infinity, undefined, 1e5, -2.5E-3],", true);
        yield return Case(ParserFaults.Newtonsoft, "trailing comma in an array", "\"x\": [1, 2,],", true);
        yield return Case(ParserFaults.Newtonsoft, "an unclosed comment", "/* c", false);
        yield return Case(ParserFaults.Newtonsoft, "a bare word value", "\"x\": nope,", false);
        yield return Case(ParserFaults.PythonConstants, "NaN", "\"x\": NaN,", true);
        yield return Case(ParserFaults.PythonConstants, "-Infinity", "\"x\": [Infinity, -Infinity],", true);
        yield return Case(ParserFaults.PythonConstants, "+Infinity", "\"x\": +Infinity,", false);
        yield return Case(ParserFaults.PythonConstants, "a comment", "/* c */", false);
        yield return Case(ParserFaults.PythonConstants, "nan", "\"x\": nan,", false);
        yield return Case(ParserFaults.StjCommentsCommas, "line comment", "// c\n", true);
        yield return Case(ParserFaults.StjCommentsCommas, "trailing comma in an array", "\"x\": [1,],", true);
        yield return Case(ParserFaults.StjCommentsCommas, "single quotes", "'x': 1,", false);
        yield return Case(ParserFaults.StjCommentsCommas, "NaN", "\"x\": NaN,", false);
    }

    [TestCaseSource(nameof(JsonSyntax))]
    public async Task A_lenient_json_reader_takes_its_stacks_syntax(string fault, string insert, bool accepted)
    {
        await using var server = await StartWith(fault);
        var api = ApiOf(server);
        var a = await api.CreateRaw(Body(api, insert));
        a.Status.Should().Be(accepted ? 200 : 400, a.ToString());
        (await ApiOf(_correct).CreateRaw(Body(ApiOf(_correct), insert))).Status.Should().BeOneOf([400, 422], "malformed JSON");
    }

    [Test]
    public async Task A_trailing_comma_in_the_object_is_read_by_newtonsoft()
    {
        await using var server = await StartWith(ParserFaults.Newtonsoft);
        var api = ApiOf(server);
        var json = api.Valid().ToJsonString();
        (await api.CreateRaw(json[..^1] + ",}")).Status.Should().Be(200);
        (await api.CreateRaw("{'username': 'o\"neil', " + api.Valid(b => b.Remove("username")).ToJsonString()[1..])).EndpointStr("username")
            .Should().Be("o\"neil");
    }

    [Test]
    public async Task Web_defaults_bind_names_case_insensitively()
    {
        await using var server = await StartWith(ParserFaults.WebNames);
        var api = ApiOf(server);
        var body = api.Valid();
        var renamed = new JsonObject();
        foreach (var (name, value) in body) renamed[name.ToUpperInvariant()] = value?.DeepClone();
        var a = await api.Create(renamed);
        a.Status.Should().Be(200, a.ToString());
        Api.Echoes(a, body).Should().BeTrue();
        (await ApiOf(_correct).Create(renamed)).Status.Should().Be(422, "required fields are missing");
        (await api.Create(api.Valid(b => b.Remove("username")))).Status.Should().Be(422, "still required");
    }

    [Test]
    public async Task The_stj_enum_converter_reads_integers_numeric_strings_and_any_case()
    {
        await using var server = await StartWith(ParserFaults.StjEnums);
        var api = ApiOf(server);
        var a = await api.Create(api.Valid(b =>
        {
            b["encryption"] = 1;
            b["call_handler"] = "2";
            b["ciphers"] = new JsonArray(0, C.Ciphers[1].ToLowerInvariant());
        }));
        a.Status.Should().Be(200, a.ToString());
        a.EndpointStr("encryption").Should().Be(C.Encryptions[1]);
        a.EndpointStr("call_handler").Should().Be(C.CallHandlers[2]);
        a.EndpointList("ciphers").Should().Equal(C.Ciphers[0], C.Ciphers[1]);
        (await api.Create(api.Valid(b => b["encryption"] = 99))).Status.Should().Be(422, "no member of that value");
        (await api.Create(api.Valid(b => b["encryption"] = 1.5))).Status.Should().Be(422);
        (await api.Create(api.Valid(b => b["encryption"] = "nope"))).Status.Should().Be(422);
        (await ApiOf(_correct).Create(ApiOf(_correct).Valid(b => b["encryption"] = 1))).Status.Should().Be(422);
    }

    [Test]
    public async Task Jackson_coerces_scalars_into_strings_and_ordinals_into_enums()
    {
        await using var server = await StartWith(ParserFaults.Jackson);
        var api = ApiOf(server);
        var a = await api.CreateRaw(api.Valid(b => b.Remove("username")).ToJsonString()[..^1] + ", \"username\": 1.50, \"send_as\": true}");
        a.Status.Should().Be(200, a.ToString());
        a.EndpointStr("username").Should().Be("1.50", "the token's text");
        a.EndpointStr("send_as").Should().Be("true");
        var ordinal = await api.Create(api.Valid(b => b["codecs"] = new JsonArray(3)));
        ordinal.EndpointList("codecs").Should().Equal(C.Codecs[3]);
        (await api.Create(api.Valid(b => b["encryption"] = "1"))).Status.Should().Be(422, "Jackson reads a numeric string as a name");
        (await api.Create(api.Valid(b => b["username"] = new JsonObject()))).Status.Should().Be(422);
        (await api.Create(api.Valid(b => b["username"] = new JsonArray("a")))).Status.Should().Be(422, "UNWRAP_SINGLE_VALUE_ARRAYS is off");
        (await ApiOf(_correct).Create(ApiOf(_correct).Valid(b => b["username"] = 7))).Status.Should().Be(422);
    }

    [Test]
    public async Task Duplicate_names_are_validated_by_the_last_and_stored_from_the_first()
    {
        await using var server = await StartWith(ParserFaults.DuplicateSplit);
        var api = ApiOf(server);
        var a = await api.CreateRaw(Body(api, "\"encryption\": \"bogus\", \"codecs\": [\"ROT13\"], \"username\": \"first\","));
        a.Status.Should().Be(200, a.ToString());
        a.EndpointStr("encryption").Should().Be("bogus");
        a.EndpointList("codecs").Should().Equal("ROT13");
        a.EndpointStr("username").Should().Be("first");
        var refused = await api.CreateRaw(Body(api, "\"encryption\": \"required\",").Replace("\"encryption\":\"required\"", "\"encryption\":\"bogus\"", StringComparison.Ordinal));
        refused.Status.Should().Be(422, "the last one is validated");
        var plain = await api.Create(api.Valid());
        plain.EndpointStr("encryption").Should().Be("required", "no repeated name, nothing changes");

        var correct = await ApiOf(_correct).CreateRaw(Body(ApiOf(_correct), "\"encryption\": \"bogus\","));
        correct.Status.Should().Be(200);
        correct.EndpointStr("encryption").Should().Be("required", "the correct server keeps the last");
    }

    [Test]
    public async Task Python_json_answers_500_for_a_stored_lone_surrogate_only()
    {
        await using var server = await StartWith(ParserFaults.PythonSurrogate);
        var api = ApiOf(server);
        string With(string field, string escape) =>
            api.Valid(b => b[field] = "PLACEHOLDER").ToJsonString().Replace("PLACEHOLDER", "a" + escape, StringComparison.Ordinal);
        (await api.CreateRaw(With("username", "\\ud800"))).Status.Should().Be(500);
        (await api.CreateRaw(With("send_as", "\\udfff"))).Status.Should().Be(500);
        (await api.CreateRaw(With("send_as", "\\ud83d\\ude00"))).Status.Should().Be(200, "a pair is a character");
        (await api.CreateRaw(With("encryption", "\\ud800"))).Status.Should().Be(422, "an enum is compared, never encoded");
        (await api.CreateRaw(Body(api, "\"x\": \"\\ud800\","))).Status.Should().Be(200, "an ignored property is never encoded");
        (await ApiOf(_correct).CreateRaw(With("username", "\\ud800"))).Status.Should().Be(422);
    }

    [Test]
    public async Task Python_json_reads_deep_nesting_and_answers_500_past_its_recursion_limit()
    {
        await using var server = await StartWith(ParserFaults.PythonRecursion);
        var api = ApiOf(server);
        string Nested(int depth) => Body(api, "\"x\": " + new string('[', depth) + new string(']', depth) + ",");
        (await api.CreateRaw(Nested(500))).Status.Should().Be(200, "Python reads it; the property is ignored");
        (await api.CreateRaw(Nested(ParserFaults.PythonDepth + 10))).Status.Should().Be(500);
        (await api.CreateRaw("{\"username\": ")).Status.Should().Be(400, "plain malformed JSON is still 400");
        (await ApiOf(_correct).CreateRaw(Nested(ParserFaults.PythonDepth + 10))).Status.Should().Be(400);
    }

    // ---------------------------------------------------------------- text decoding and storage

    public static IEnumerable<TestCaseData> Changes()
    {
        TestCaseData Case(string fault, string field, string sent, string? stored) =>
            new TestCaseData(fault, field, sent, stored).SetArgDisplayNames(fault, field, Escape(sent));
        yield return Case(DecodingFaults.Strip, "send_as", " Front Desk\u00a0", "Front Desk");
        yield return Case(DecodingFaults.Strip, "caller_id", "+15551230000\u2028", "+15551230000");
        yield return Case(DecodingFaults.Strip, "send_as", "\u200bFront", "\u200bFront"); // ZERO WIDTH SPACE is no white space to Python
        yield return Case(DecodingFaults.Strip, "send_as", "Front  Desk", "Front  Desk");
        yield return Case(DecodingFaults.Nfkc, "username", "ｆｒｏｎｔ\ufb01\u00b2", "frontfi2");
        yield return Case(DecodingFaults.Nfkc, "send_as", "ｆｒｏｎｔ", "ｆｒｏｎｔ"); // only the username is normalised
        yield return Case(DecodingFaults.Nfkc, "username", "Jos\u00e9", "Jos\u00e9");
        yield return Case(DecodingFaults.HtmlEscape, "send_as", "Tom & Jerry's <b>\"x\"</b>", "Tom &amp; Jerry&#x27;s &lt;b&gt;&quot;x&quot;&lt;/b&gt;");
        yield return Case(DecodingFaults.HtmlEscape, "send_as", "Front Desk", "Front Desk");
        yield return Case(DecodingFaults.PercentDecode, "send_as", "100%25 sure %C3%A9%zz%", "100% sure é%zz%");
        yield return Case(DecodingFaults.PercentDecode, "send_as", "bad %C3 byte", "bad \ufffd byte");
        yield return Case(DecodingFaults.PercentDecode, "send_as", "a+b", "a+b");
        yield return Case(DecodingFaults.FormDecode, "send_as", "Sales+Support%21", "Sales Support!");
        yield return Case(DecodingFaults.FormDecode, "caller_id", "+15551230000", " 15551230000");
        yield return Case(DecodingFaults.FormDecode, "send_as", "100%", null); // IllegalArgumentException: 500
        yield return Case(DecodingFaults.FormDecode, "send_as", "100%zz", null);
        yield return Case(DecodingFaults.XmlNewlines, "send_as", "one\r\ntwo\rthree\nfour", "one\ntwo\nthree\nfour");
        yield return Case(StorageFaults.MySqlUtf8mb3, "send_as", "Desk \U0001F600 24/7", "Desk ");
        yield return Case(StorageFaults.MySqlUtf8mb3, "username", "caf\u00e9\u4e2d\U00020000x", "caf\u00e9\u4e2d");
        yield return Case(StorageFaults.MySqlUtf8mb3, "send_as", "caf\u00e9 \u4e2d\ufffd", "caf\u00e9 \u4e2d\ufffd");
        yield return Case(StorageFaults.CStringNul, "send_as", "Front\u0000Desk", "Front");
        yield return Case(StorageFaults.CStringNul, "username", "a\u0001b", "a\u0001b");
    }

    private static string Escape(string text) => string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}"));

    [TestCaseSource(nameof(Changes))]
    public async Task A_decoding_or_storage_step_changes_the_text_its_stack_changes(string fault, string field, string sent, string? stored)
    {
        await using var server = await StartWith(fault);
        var api = ApiOf(server);
        var a = await api.Create(api.Valid(b => b[field] = sent));
        if (stored is null)
        {
            a.Status.Should().Be(500);
            return;
        }
        a.Status.Should().Be(200, a.ToString());
        a.EndpointStr(field).Should().Be(stored);
        (await api.Get(a.Str("id")!)).EndpointStr(field).Should().Be(stored);

        var correct = await ApiOf(_correct).Create(ApiOf(_correct).Valid(b => b[field] = sent));
        correct.Status.Should().Be(200);
        correct.EndpointStr(field).Should().Be(sent, "the correct server stores the exact code points");
    }

    [Test]
    public async Task A_stored_nul_breaks_every_list_page_that_holds_it()
    {
        await using var server = await Server.StartAsync(new ReferenceServerOptions { Faults = [StorageFaults.JsonbNul], PageSize = 2 });
        var api = ApiOf(server);
        for (var k = 0; k < 3; k++) (await api.Create(api.Valid())).Status.Should().Be(200);
        (await api.List()).Status.Should().Be(200);
        var odd = await api.Create(api.Valid(b => b["send_as"] = "Front\u0000Desk"));
        odd.Status.Should().Be(200);
        odd.EndpointStr("send_as").Should().Be("Front\u0000Desk", "the json column keeps the text as sent");
        (await api.Get(odd.Str("id")!)).Status.Should().Be(200);
        (await api.List("?page_number=0")).Status.Should().Be(200, "the first page does not hold it");
        (await api.List("?page_number=1")).Status.Should().Be(500);
        (await api.List("?page_size=50")).Status.Should().Be(500);
        (await api.List("", api.Q)).Status.Should().Be(200, "the other project's list does not hold it");
        (await api.Delete(odd.Str("id")!)).Status.Should().Be(204);
        (await api.List("?page_size=50")).Status.Should().Be(200);
        (await api.Create(api.Valid(b => b["send_as"] = "Front\u2400Desk"))).Status.Should().Be(200);
        (await api.List("?page_size=50")).Status.Should().Be(200, "SYMBOL FOR NULL is no NUL");
    }

    [Test]
    public async Task Mass_assigned_project_id_lands_the_endpoint_in_a_real_project_only()
    {
        await using var server = await StartWith(StorageFaults.MassAssignProject);
        var api = ApiOf(server);
        var moved = await api.Create(api.Valid(b => b[ResponseFields.ProjectId] = api.Q.ProjectId));
        moved.Status.Should().Be(200);
        moved.Str(ResponseFields.ProjectId).Should().Be(api.Q.ProjectId);
        server.EndpointCount(api.Q.ProjectId).Should().Be(1);
        server.EndpointCount(api.P.ProjectId).Should().Be(0);
        (await api.Get(moved.Str("id")!, api.Q)).Status.Should().Be(200, "it lives in the other project");
        (await api.Get(moved.Str("id")!)).Status.Should().Be(404);

        var own = await api.Create(api.Valid(b => b[ResponseFields.ProjectId] = api.P.ProjectId.ToUpperInvariant()));
        own.Str(ResponseFields.ProjectId).Should().Be(api.P.ProjectId);
        var unknown = await api.Create(api.Valid(b => b[ResponseFields.ProjectId] = Guid.NewGuid().ToString()));
        unknown.Status.Should().Be(422);
        unknown.ErrorAttributes.Should().Contain(ResponseFields.ProjectId);
        (await api.Create(api.Valid(b => b[ResponseFields.ProjectId] = "2001-02-03T04:05:06Z"))).Status.Should().Be(422);
        (await api.Create(api.Valid())).Str(ResponseFields.ProjectId).Should().Be(api.P.ProjectId);

        var correct = ApiOf(_correct);
        var ignored = await correct.Create(correct.Valid(b => b[ResponseFields.ProjectId] = correct.Q.ProjectId));
        ignored.Status.Should().Be(200);
        ignored.Str(ResponseFields.ProjectId).Should().Be(correct.P.ProjectId, "the correct server ignores it");
    }

    // ---------------------------------------------------------------- races

    /// <summary>
    /// Up to <see cref="Attempts"/> tries of requests sent at the same moment (a busy machine may
    /// spread one try's requests further apart than the fault's window): true once one try fires.
    /// </summary>
    internal static async Task<bool> FiresWithin(Func<Task<bool>> attempt)
    {
        for (var k = 0; k < Attempts; k++)
            if (await attempt()) return true;
        return false;
    }

    private const int Attempts = 5;

    [Test]
    public async Task The_duplicate_username_race_needs_two_creates_at_once()
    {
        await using var server = await StartWith(ConcurrencyFaults.DuplicateRace);
        var api = ApiOf(server);
        var body = api.Valid();
        (await api.Create(body)).Status.Should().Be(200);
        (await api.Create(body)).Status.Should().Be(409, "one after another: the check sees it (an allowed answer)");
        (await FiresWithin(async () =>
        {
            var again = api.Valid();
            var answers = await Task.WhenAll(api.Create(again), api.Create(again));
            answers.Select(a => a.Status).Should().Contain(200).And.OnlyContain(x => x == 200 || x == 409 || x == 500);
            return answers.Any(a => a.Status == 500);
        })).Should().BeTrue();
        var different = await Task.WhenAll(api.Create(api.Valid()), api.Create(api.Valid()));
        different.Select(a => a.Status).Should().AllBeEquivalentTo(200, "different usernames never collide");

        var correct = ApiOf(_correct);
        var same = correct.Valid();
        (await Task.WhenAll(correct.Create(same), correct.Create(same))).Select(a => a.Status).Should().AllBeEquivalentTo(200);
    }

    [Test]
    public async Task The_unsafe_store_breaks_on_overlapping_creates_only()
    {
        await using var server = await StartWith(ConcurrencyFaults.UnsafeStore);
        var api = ApiOf(server);
        for (var k = 0; k < 4; k++) (await api.Create(api.Valid())).Status.Should().Be(200, "one after another");
        (await FiresWithin(async () =>
        {
            var answers = await Task.WhenAll(api.Create(api.Valid()), api.Create(api.Valid(), Api.Basic(api.Q)));
            answers.Select(a => a.Status).Should().Contain(200, "the first insert goes through");
            return answers.Any(a => a.Status == 500); // the other project's insert shares the collection
        })).Should().BeTrue();
        var stored = server.EndpointCount(api.P.ProjectId) + server.EndpointCount(api.Q.ProjectId);
        for (var k = 0; k < 4; k++) (await api.Create(api.Valid(), Api.Basic(api.Q))).Status.Should().Be(200, "one after another");
        (server.EndpointCount(api.P.ProjectId) + server.EndpointCount(api.Q.ProjectId)).Should().Be(stored + 4);
    }

    [Test]
    public async Task A_read_during_a_write_misses_and_a_read_after_it_does_not()
    {
        await using var server = await StartWith(ConcurrencyFaults.ReadDuringWrite);
        var api = ApiOf(server);
        var id = (await api.Create(api.Valid())).Str("id")!;
        for (var k = 0; k < 3; k++)
        {
            (await api.Create(api.Valid())).Status.Should().Be(200);
            (await api.Get(id)).Status.Should().Be(200, "the write is over");
        }
        (await FiresWithin(async () =>
        {
            var during = await Task.WhenAll(api.Get(id), api.Create(api.Valid()));
            during[1].Status.Should().Be(200);
            return during[0].Status == 404;
        })).Should().BeTrue();
        var other = await Task.WhenAll(api.Get(id), api.Create(api.Valid(), Api.Basic(api.Q)));
        other[0].Status.Should().Be(200, "a write of another project is no write of this one");
        (await api.Get(id)).Status.Should().Be(200);
    }

    [Test]
    public async Task A_delete_landing_during_a_list_leaves_it_in_later_lists()
    {
        await using var server = await StartWith(ConcurrencyFaults.StaleListCache);
        var api = ApiOf(server);
        for (var k = 0; k < 3; k++)
        {
            var id = (await api.Create(api.Valid())).Str("id")!;
            (await CorrectServerTests.ListedIds(api)).Should().Contain(id);
            (await api.Delete(id)).Status.Should().Be(204);
            (await CorrectServerTests.ListedIds(api)).Should().NotContain(id, "one after another the cache is emptied");
        }

        (await FiresWithin(async () =>
        {
            var id = (await api.Create(api.Valid())).Str("id")!;
            var list = api.List();
            await Task.Delay(10);
            var deleted = await api.Delete(id);
            await list;
            deleted.Status.Should().Be(204);
            (await api.Get(id)).Status.Should().Be(404);
            return (await CorrectServerTests.ListedIds(api)).Contains(id); // the list read before the delete was cached after it
        })).Should().BeTrue();
    }

    [Test]
    public async Task A_refused_create_is_saved_by_a_valid_create_at_the_same_moment_only()
    {
        await using var server = await StartWith(ConcurrencyFaults.SharedUnitOfWork);
        var api = ApiOf(server);
        JsonObject Refused() => api.Valid(b => b["ciphers"] = new JsonArray("ROT13"));
        for (var k = 1; k <= 3; k++)
        {
            (await api.Create(Refused())).Status.Should().Be(422);
            (await api.Create(api.Valid())).Status.Should().Be(200);
            server.EndpointCount(api.P.ProjectId).Should().Be(k, "one after another nothing is left tracked");
        }

        (await FiresWithin(async () =>
        {
            var before = server.EndpointCount(api.P.ProjectId);
            var refused = Refused();
            var pending = api.Create(refused);
            await Task.Delay(10);
            var valid = await api.Create(api.Valid());
            (await pending).Status.Should().Be(422);
            valid.Status.Should().Be(200);
            return server.Usernames(api.P.ProjectId).Contains(refused["username"]!.GetValue<string>())
                   && server.EndpointCount(api.P.ProjectId) == before + 2;
        })).Should().BeTrue();
    }
}
