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
/// Every fault of the catalogue really changes the answer: for each, a probe (an input the fault
/// concerns and a test of the answer) says "broken" against a server with that fault alone, and
/// "fine" against the correct server.
/// </summary>
[TestFixture]
public partial class FaultCatalogueTests
{
    private Server _correct = null!;

    private static SipContract C => SipContract.Default;

    [OneTimeSetUp]
    public async Task Start() => _correct = await Servers.Start();

    [OneTimeTearDown]
    public async Task Stop() => await _correct.DisposeAsync();

    [Test]
    public void The_catalogue_has_at_least_40_well_formed_faults()
    {
        var all = FaultCatalogue.All;
        all.Should().HaveCountGreaterThanOrEqualTo(40);
        all.Select(f => f.Id).Should().OnlyHaveUniqueItems().And.OnlyContain(id => Ids.KebabCase().IsMatch(id));
        all.Should().OnlyContain(f => f.Description.Length > 0 && f.Area.Length > 0);
        all.Select(f => f.MinimumProfile).Where(p => p != null).Should().OnlyContain(p => new[] { "smoke", "pairwise", "threewise", "exhaustive" }.Contains(p));
        FaultCatalogue.Get("combo-pair").MinimumProfile.Should().Be("pairwise");
        FluentActions.Invoking(() => FaultCatalogue.Get("nope")).Should().Throw<KeyNotFoundException>();
    }

    [GeneratedRegex("^(CREATE-[A-Z]+)-[0-9]{3}$")]
    private static partial Regex CheckId();

    /// <summary>
    /// Each fault names the check ID of the rule it breaks: an ID of one of the suite's check areas
    /// (the suite may not have the check yet), and, where the suite has it, a check of the fault's
    /// level (a Should fault breaks a SHOULD check; a Must fault a MUST or "either" check).
    /// </summary>
    [Test]
    public void Each_fault_names_a_check_of_its_level()
    {
        var checks = SipConformance.Rules.RuleBook.All.ToDictionary(c => c.Id);
        var areas = checks.Keys.Select(id => CheckId().Match(id).Groups[1].Value).ToHashSet();
        foreach (var f in FaultCatalogue.All)
        {
            var id = CheckId().Match(f.Rule);
            id.Success.Should().BeTrue("fault {0} names '{1}'", f.Id, f.Rule);
            areas.Should().Contain(id.Groups[1].Value, "fault {0} names a check of a known area", f.Id);
            if (!checks.TryGetValue(f.Rule, out var check)) continue;
            (check.Level == SipConformance.Rules.Level.Should).Should().Be(f.Level == FaultLevel.Should,
                "fault {0} ({1}) breaks {2}", f.Id, f.Level, check);
        }
        FaultCatalogue.All.Select(f => f.Rule).Where(checks.ContainsKey).Should().HaveCountGreaterThanOrEqualTo(FaultCatalogue.All.Count / 2,
            "most faults break a rule the suite already checks");
    }

    [Test]
    public void The_enum_values_faults_name_exist_in_the_contract()
    {
        FluentActions.Invoking(() => FaultCatalogue.CheckReferencedValues(C, FaultCatalogue.All.Select(f => f.Id))).Should().NotThrow();
        FaultCatalogue.ReferencedValues.Should().NotBeEmpty();
        // The same contract without the call_handler value combo-pair names.
        using var stream = typeof(SipContract).Assembly.GetManifestResourceStream($"contract/sip-endpoints.{SipContract.DefaultRevision}.openapi.yaml")!;
        var yaml = new StreamReader(stream).ReadToEnd();
        var trimmed = SipContract.Load(yaml.Replace("        - block-pstn\n", "", StringComparison.Ordinal), "test");
        trimmed.CallHandlers.Should().NotContain("block-pstn");
        FluentActions.Invoking(() => FaultCatalogue.CheckReferencedValues(trimmed, ["combo-pair"]))
            .Should().Throw<InvalidOperationException>().WithMessage("*block-pstn*");
    }

    [Test]
    public void Every_fault_has_a_probe()
    {
        Probes.Keys.Should().BeEquivalentTo(FaultCatalogue.All.Select(f => f.Id));
    }

    public static IEnumerable<TestCaseData> Faults() =>
        FaultCatalogue.All.Select(f => new TestCaseData(f.Id).SetArgDisplayNames(f.Id));

    [TestCaseSource(nameof(Faults))]
    public async Task The_fault_changes_the_answer_to_an_input_it_concerns(string faultId)
    {
        var probe = Probes[faultId];
        await using var faulty = await Servers.Start(faultId);

        using var correctHttp = Servers.NewClient(probe.Timeout);
        (await probe.IsBroken(new Api(_correct, correctHttp))).Should().BeFalse("the correct server passes the probe of {0}", faultId);

        using var faultyHttp = Servers.NewClient(probe.Timeout);
        (await probe.IsBroken(new Api(faulty, faultyHttp))).Should().BeTrue("the probe must see fault {0}", faultId);
    }

    /// <summary>
    /// A fault fires only on the inputs it concerns: against a neutral sample (a plain valid create
    /// and its read-back, a request without credentials, a create without codecs) each fault
    /// disturbs exactly the parts it is about.
    /// </summary>
    [TestCaseSource(nameof(Faults))]
    public async Task The_fault_leaves_unrelated_answers_alone(string faultId)
    {
        var fault = FaultCatalogue.Get(faultId);
        string[] expected = fault.Area is "shape" or "transport" || (fault.Area == "read-back" && faultId != ReadBackFaults.GetUnknown200) ? ["create"]
            : faultId is AuthFaults.MissingAccepted or AuthFaults.MessageBody or AuthFaults.NoWwwAuthenticate ? ["unauthorized"]
            : faultId is ValidationFaults.Status400 or ValidationFaults.ErrorObject or ValidationFaults.NoAttribute ? ["invalid"]
            : [];

        await using var server = await Servers.Start(faultId);
        using var http = Servers.NewClient(TimeSpan.FromSeconds(3));
        var api = new Api(server, http);
        var disturbed = new List<string>();
        if (!await NeutralCreateHolds(api, strict: fault.Area == "strict-text")) disturbed.Add("create");

        var refused = await new Api(server, Servers.Http).Create(api.Valid(), null);
        if (refused.Status != 401 || refused.Text != $"{{\"error\":\"{C.UnauthorizedError}\"}}" || refused.Headers.WwwAuthenticate.Count != 1)
            disturbed.Add("unauthorized");

        var invalid = await new Api(server, Servers.Http).Create(Neutral(api).Also(b => b.Remove("codecs")));
        if (invalid.Status != 422 || !C.Validate(SchemaNames.ValidationError, invalid.Text).IsValid || !invalid.ErrorAttributes.Contains("codecs"))
            disturbed.Add("invalid");

        disturbed.Should().BeEquivalentTo(expected);
    }

    /// <summary>A create that touches no fault's special input: lower-case ASCII, no '+', defaults, one cipher and codec.</summary>
    private static JsonObject Neutral(Api api) => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["username"] = "neutral-" + Guid.NewGuid().ToString("N")[..8],
        ["caller_id"] = "15550001111",
        ["send_as"] = "",
        ["ciphers"] = new JsonArray(C.Ciphers[0]),
        ["codecs"] = new JsonArray(C.Codecs[0]),
        ["encryption"] = C.Field(FieldNames.Encryption).Default,
        ["call_handler"] = C.CallHandlers[0],
        ["calling_handler_resource_id"] = null,
    };

    /// <summary>strict: a server that keeps to the contract's baseline (an E.164 caller_id, outside +1).</summary>
    private static async Task<bool> NeutralCreateHolds(Api api, bool strict = false)
    {
        var body = Neutral(api);
        body["send_as"] = body["username"]!.GetValue<string>();
        if (strict) body["caller_id"] = "+4930901820";
        Answer a;
        try
        {
            a = await api.Create(body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
        if (a.Status != 200 || a.MediaType != "application/json" || a.Bytes.Length > 1 << 20
            || !System.Text.Unicode.Utf8.IsValid(a.Bytes) || a.Json is null || !C.Validate(SchemaNames.EndpointResponse, a.Text).IsValid)
            return false;
        if (!Api.Echoes(a, body) || a.Str("type") != C.ResourceType || !UuidText.IsValid(a.Str("id"))
            || a.Str("project_id") != api.P.ProjectId || a.Str("display_name") is not { Length: > 0 })
            return false;
        if (!Rfc3339.TryParse(a.Str("created_at"), out var created) || !Rfc3339.TryParse(a.Str("updated_at"), out var updated)
            || updated < created || (DateTimeOffset.UtcNow - created.ToDateTimeOffset()).Duration() > TimeSpan.FromMinutes(5))
            return false;
        var read = await new Api(api.Server, Servers.Http).Get(a.Str("id")!);
        return read.Status == 200 && read.Text == a.Text;
    }

    /// <summary>A Should fault leaves the MUSTs alone: a sample of them still holds.</summary>
    [TestCaseSource(nameof(ShouldFaults))]
    public async Task A_should_fault_keeps_the_must_sample(string faultId)
    {
        await using var server = await Servers.Start(faultId);
        var api = new Api(server, Servers.Http);
        var body = api.ValidResource();
        var created = await api.Create(body);
        created.Status.Should().Be(200);
        C.Validate(SchemaNames.EndpointResponse, created.Text).Errors.Should().BeEmpty();
        Api.Echoes(created, body).Should().BeTrue();
        (await api.Get(created.Str("id")!)).Text.Should().Be(created.Text);
        var refused = await api.Create(api.Valid(), null);
        refused.Status.Should().Be(401);
        refused.Text.Should().Be($"{{\"error\":\"{C.UnauthorizedError}\"}}");
        var invalid = await api.Create(api.Valid(b => b.Remove("codecs")));
        invalid.Status.Should().Be(422);
        C.Validate(SchemaNames.ValidationError, invalid.Text).Errors.Should().BeEmpty();
    }

    public static IEnumerable<TestCaseData> ShouldFaults() =>
        FaultCatalogue.All.Where(f => f.Level == FaultLevel.Should).Select(f => new TestCaseData(f.Id).SetArgDisplayNames(f.Id));

    [TestCase(TransportFaults.HugeBody)]
    [TestCase(TransportFaults.Abort)]
    [TestCase(TransportFaults.InvalidUtf8)]
    [TestCase(TransportFaults.HtmlBody)]
    [TestCase(TransportFaults.Empty200)]
    [TestCase(TransportFaults.SlowDrip)]
    [TestCase(TransportFaults.NeverAnswer)]
    public async Task A_transport_fault_stores_the_endpoint_and_leaves_list_get_and_delete_working(string faultId)
    {
        await using var server = await Servers.Start(faultId);
        using var quick = Servers.NewClient(TimeSpan.FromSeconds(1.5));
        var api = new Api(server, quick);
        try
        {
            await api.Create(api.Valid());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
        }
        var list = await new Api(server, Servers.Http).List();
        list.Status.Should().Be(200);
        var id = list.Object["data"]!.AsArray().Should().ContainSingle().Subject!["id"]!.GetValue<string>();
        (await new Api(server, Servers.Http).Get(id)).Status.Should().Be(200);
        (await new Api(server, Servers.Http).Delete(id)).Status.Should().Be(204);
        server.EndpointCount(server.Primary.ProjectId).Should().Be(0);
    }

    /// <summary>A fault's probe: true when the answer shows the fault.</summary>
    private sealed record Probe(Func<Api, Task<bool>> IsBroken, double TimeoutSeconds = 20)
    {
        public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
    }

    /// <summary>A create that must be answered 200 and echoed: broken when it is not.</summary>
    private static Probe EchoOf(Func<Api, JsonObject> body) => new(async api =>
    {
        var request = body(api);
        return !Api.Echoes(await api.Create(request), request);
    });

    /// <summary>A create that must be refused: broken when it is answered 200.</summary>
    private static Probe AcceptedFor(Action<JsonObject, Api> change) => new(async api =>
    {
        var request = api.Valid();
        change(request, api);
        return (await api.Create(request)).Status == 200;
    });

    /// <summary>A valid create whose answer must pass a test: broken when it does not.</summary>
    private static Probe CreatedWhere(Func<Answer, Api, bool> broken) => new(async api => broken(await api.Create(api.Valid()), api));

    /// <summary>A valid create with another Authorization: broken when the answer passes the test.</summary>
    private static Probe WithAuth(Func<Api, string?> header, Func<Answer, bool> broken) =>
        new(async api => broken(await api.Create(api.Valid(), header(api))));

    private static bool Not401(Answer a) => a.Status != 401;

    /// <summary>An answer that is not a 200 with a body a client can use: times out, aborts, or is not the endpoint JSON.</summary>
    private static Probe Transport(double timeoutSeconds = 20) => new(async api =>
    {
        try
        {
            var a = await api.Create(api.Valid());
            return a.Status != 200 || !System.Text.Unicode.Utf8.IsValid(a.Bytes) || a.Bytes.Length > 1 << 20
                   || !C.Validate(SchemaNames.EndpointResponse, a.Text).IsValid;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return true;
        }
    }, timeoutSeconds);

    private static JsonObject With(Api api, string name, JsonNode? value) => api.Valid(b => b[name] = value);

    /// <summary>A valid body whose text a SIP-safe server takes, with one field changed.</summary>
    private static JsonObject SipSafe(Api api, string name, JsonNode? value) => api.Valid(b =>
    {
        b["send_as"] = "Alice_Liddell";
        b["caller_id"] = "+4930901820";
        b[name] = value;
    });

    private static readonly Dictionary<string, Probe> Probes = new()
    {
        // shape
        [ShapeFaults.Status201] = CreatedWhere((a, _) => a.Status != 200),
        [ShapeFaults.TextPlain] = CreatedWhere((a, _) => a.MediaType != "application/json"),
        [ShapeFaults.DisplayNameMissing] = CreatedWhere((a, _) => a.Object["display_name"] is null),
        [ShapeFaults.TypeWrong] = CreatedWhere((a, _) => a.Str("type") != C.ResourceType),
        [ShapeFaults.IdNotUuid] = CreatedWhere((a, _) => !UuidText.IsValid(a.Str("id"))),
        [ShapeFaults.FlatIdNotUuid] = CreatedWhere((a, _) => !UuidText.IsValid(a.Str("id"))),
        [ShapeFaults.ProjectIdForeign] = CreatedWhere((a, api) => a.Str("project_id") != api.P.ProjectId),
        [ShapeFaults.CreatedAtNotRfc3339] = CreatedWhere((a, _) => !Rfc3339.TryParse(a.Str("created_at"), out var _)),
        [ShapeFaults.UpdatedBeforeCreated] = CreatedWhere((a, _) =>
            Rfc3339.TryParse(a.Str("created_at"), out var c) && Rfc3339.TryParse(a.Str("updated_at"), out var u) && u < c),
        [ShapeFaults.CreatedAtHourOld] = CreatedWhere((a, _) =>
            Rfc3339.TryParse(a.Str("created_at"), out var c) && (DateTimeOffset.UtcNow - c.ToDateTimeOffset()).Duration() > TimeSpan.FromMinutes(5)),
        [ShapeFaults.DisplayNameEmpty] = CreatedWhere((a, _) => a.Str("display_name") == ""),

        // echo
        [EchoFaults.UsernameLowercased] = EchoOf(api => With(api, "username", "Alice.SMITH")),
        [EchoFaults.CallerIdPlusDropped] = EchoOf(api => With(api, "caller_id", "+15557654321")),
        [EchoFaults.SendAsIsUsername] = EchoOf(api => With(api, "send_as", "The Front Desk")),
        [EchoFaults.EncryptionAlwaysDefault] = EchoOf(api => With(api, "encryption", "optional")),
        [EchoFaults.PassthroughAsDefault] = EchoOf(api => With(api, "call_handler", "passthrough")),
        [EchoFaults.CiphersDropLast] = EchoOf(api => With(api, "ciphers", new JsonArray(C.Ciphers[0], C.Ciphers[3]))),
        [EchoFaults.CodecsDropVideo] = EchoOf(api => With(api, "codecs", new JsonArray("PCMU", "VP8", "H264"))),
        [EchoFaults.ResourceIdNull] = EchoOf(api => api.ValidResource()),
        [EchoFaults.ResourceIdKept] = EchoOf(api => With(api, "calling_handler_resource_id", api.P.ResourceId)),

        // read-back and delete
        [ReadBackFaults.GetUnknown200] = new(async api => (await api.Get(Guid.NewGuid().ToString())).Status != 404),
        [DeleteFaults.Noop] = new(async api =>
        {
            var id = (await api.Create(api.Valid())).Str("id")!;
            (await api.Delete(id)).Status.Should().Be(204);
            return (await api.Get(id)).Status != 404;
        }),
        [DeleteFaults.Unknown204] = new(async api => (await api.Delete(Guid.NewGuid().ToString())).Status != 404),
        [ReadBackFaults.Get404] = new(async api => (await api.Get((await api.Create(api.Valid())).Str("id")!)).Status != 200),
        [ReadBackFaults.GetCallerIdDiffers] = new(async api =>
        {
            var created = await api.Create(api.Valid());
            return (await api.Get(created.Str("id")!)).EndpointStr("caller_id") != created.EndpointStr("caller_id");
        }),

        // call-handler
        [CallHandlerFaults.WithoutIdAccepted] = AcceptedFor((b, _) =>
        {
            b["call_handler"] = CallHandlerValues.Resource;
            b.Remove("calling_handler_resource_id");
        }),
        [CallHandlerFaults.NullIdAccepted] = AcceptedFor((b, _) => b["call_handler"] = CallHandlerValues.Resource),
        [CallHandlerFaults.UnknownIdAccepted] = AcceptedFor((b, _) =>
        {
            b["call_handler"] = CallHandlerValues.Resource;
            b["calling_handler_resource_id"] = Guid.NewGuid().ToString();
        }),
        [CallHandlerFaults.ForeignIdAccepted] = AcceptedFor((b, api) =>
        {
            b["call_handler"] = CallHandlerValues.Resource;
            b["calling_handler_resource_id"] = api.Q.ResourceId;
        }),
        [CallHandlerFaults.MalformedIdAccepted] = AcceptedFor((b, _) =>
        {
            b["call_handler"] = CallHandlerValues.Resource;
            b["calling_handler_resource_id"] = "resource-42";
        }),

        // validation
        [ValidationFaults.MissingUsernameAccepted] = AcceptedFor((b, _) => b.Remove("username")),
        [ValidationFaults.MissingCallHandlerDefault] = AcceptedFor((b, _) => b.Remove("call_handler")),
        [ValidationFaults.UnknownCipherDropped] = AcceptedFor((b, _) => b["ciphers"] = new JsonArray(C.Ciphers[0], "ROT13")),
        [ValidationFaults.EnumCaseInsensitive] = AcceptedFor((b, _) => b["codecs"] = new JsonArray("pcmu")),
        [ValidationFaults.NumberUsernameCoerced] = AcceptedFor((b, _) => b["username"] = 42),
        [ValidationFaults.ListAsStringAccepted] = AcceptedFor((b, _) => b["codecs"] = "PCMU"),
        [ValidationFaults.NullEncryptionDefault] = AcceptedFor((b, _) => b["encryption"] = null),
        [ValidationFaults.DuplicatesEchoed] = new(async api =>
        {
            var a = await api.Create(With(api, "ciphers", new JsonArray(C.Ciphers[1], C.Ciphers[1])));
            return a.Status == 200 && a.EndpointList("ciphers").Length != 1;
        }),
        [ValidationFaults.Status400] = new(async api => (await api.Create(api.Valid(b => b.Remove("username")))).Status != 422),
        [ValidationFaults.ErrorObject] = new(async api =>
            !C.Validate(SchemaNames.ValidationError, (await api.Create(api.Valid(b => b.Remove("username")))).Text).IsValid),
        [ValidationFaults.NoAttribute] = new(async api =>
            !(await api.Create(api.Valid(b => b.Remove("username")))).ErrorAttributes.Contains("username")),
        [ValidationFaults.MissingIdAccepted] = AcceptedFor((b, _) => b.Remove("id")),
        [ValidationFaults.EmptyUsernameAccepted] = AcceptedFor((b, _) => b["username"] = ""),
        [ValidationFaults.PlausibleEnumAccepted] = AcceptedFor((b, _) => b["encryption"] = C.Encryptions[1] + " "),
        [ValidationFaults.PlausibleEnumItemAccepted] = AcceptedFor((b, _) => b["codecs"] = new JsonArray(C.Codecs[0] + "@48000H@20I")),
        [ValidationFaults.ResponsePropertyHonoured] = new(async api =>
            (await api.Create(With(api, ResponseFields.ProjectId, api.Q.ProjectId))).Str(ResponseFields.ProjectId) != api.P.ProjectId),

        // auth
        [AuthFaults.MissingAccepted] = WithAuth(_ => null, Not401),
        [AuthFaults.WrongTokenAccepted] = WithAuth(api => Api.BasicOf(api.P.ProjectId + ":wrong-token"), Not401),
        [AuthFaults.UnknownProjectAccepted] = WithAuth(api => Api.BasicOf($"{Guid.NewGuid()}:{api.P.ApiToken}"), Not401),
        [AuthFaults.BearerAccepted] = WithAuth(api => "Bearer " + api.P.ApiToken, Not401),
        [AuthFaults.MessageBody] = WithAuth(_ => null, a => a.Text != $"{{\"error\":\"{C.UnauthorizedError}\"}}"),
        [AuthFaults.WrongToken403] = WithAuth(api => Api.BasicOf(api.P.ProjectId + ":wrong-token"), a => a.Status == 403),
        [AuthFaults.BasicCaseSensitive] = WithAuth(api => Api.Basic(api.P, "basic"), a => a.Status == 401),
        [AuthFaults.NoWwwAuthenticate] = WithAuth(_ => null, a => a.Headers.WwwAuthenticate.Count == 0),
        [AuthFaults.WrongTokenCreates] = new(async api =>
        {
            var before = api.Server.EndpointCount(api.P.ProjectId);
            var a = await api.Create(api.Valid(), Api.BasicOf(api.P.ProjectId + ":wrong-token"));
            return a.Status != 401 || api.Server.EndpointCount(api.P.ProjectId) != before;
        }),
        [AuthFaults.EmptyCredentials500] = WithAuth(_ => Api.BasicOf(":"), a => a.Status >= 500),
        [AuthFaults.MalformedAccepted] = WithAuth(_ => "Basic !!not*base64!!", Not401),
        [AuthFaults.NearMissTokenAccepted] = WithAuth(api => Api.BasicOf($"{api.P.ProjectId}:{api.P.ApiToken}x"), Not401),

        // isolation
        [IsolationFaults.GetForeign] = new(async api => (await api.Get((await api.Create(api.Valid())).Str("id")!, api.Q)).Status != 404),
        [IsolationFaults.DeleteForeign] = new(async api => (await api.Delete((await api.Create(api.Valid())).Str("id")!, api.Q)).Status != 404),

        // persistence
        [PersistenceFaults.RejectedCreateStored] = new(async api =>
        {
            var before = api.Server.EndpointCount(api.P.ProjectId);
            var a = await api.Create(api.Valid(b => b["ciphers"] = new JsonArray("ROT13")));
            return a.Status != 422 || api.Server.EndpointCount(api.P.ProjectId) != before;
        }),

        // server-error
        [ServerErrorFaults.MalformedJson500] = new(async api => (await api.CreateRaw("{\"username\": ")).Status >= 500),
        [ServerErrorFaults.ArrayBody500] = new(async api => (await api.CreateRaw("[]")).Status >= 500),
        [ServerErrorFaults.LongUsername500] = new(async api => (await api.Create(With(api, "username", new string('u', 300)))).Status >= 500),
        [ServerErrorFaults.UnknownProperty500] = new(async api => (await api.Create(With(api, "voicemail", true))).Status >= 500),
        [ServerErrorFaults.DuplicateUsername5xx] = new(async api =>
        {
            var body = api.Valid();
            (await api.Create(body)).Status.Should().Be(200);
            return (await api.Create(body)).Status >= 500;
        }),
        [ServerErrorFaults.ListOrder5xx] = new(async api => (await api.Create(With(api, "codecs", new JsonArray(C.Codecs[1], C.Codecs[0])))).Status >= 500),
        [ServerErrorFaults.LargeBody5xx] = new(async api => (await api.Create(With(api, "padding", new string('x', 1 << 20)))).Status >= 500),
        [ServerErrorFaults.Nesting5xx] = new(async api => (await api.CreateRaw(new string('[', 65) + new string(']', 65))).Status >= 500),

        // strings
        [StringFaults.UsernameTruncated64] = EchoOf(api => With(api, "username", "user-" + new string('x', 95))),
        [StringFaults.Mojibake] = EchoOf(api => With(api, "caller_id", "José Müller")),
        [StringFaults.Nfc] = EchoOf(api => With(api, "send_as", "Jose\u0301")),
        [StringFaults.AstralDropped] = EchoOf(api => With(api, "username", "alice\ud83d\ude00")),
        [StringFaults.CutAtUnusualChar] = EchoOf(api => With(api, "caller_id", "+1555\u2028123")),

        // strict-text: a SIP-safe body (the correct server stores it as sent), the one field the fault mangles
        [StrictTextFaults.UsernameLowercased] = EchoOf(api => SipSafe(api, "username", "Alice_SMITH")),
        [StrictTextFaults.SendAsTrimmed] = EchoOf(api => SipSafe(api, "send_as", " front_desk ")),
        [StrictTextFaults.CallerIdNanpPlusDropped] = EchoOf(api => SipSafe(api, "caller_id", "+15557654321")),
        [StrictTextFaults.CutAt32] = EchoOf(api => SipSafe(api, "username", "user_" + new string('x', 40))),

        // content-type
        [ContentTypeFaults.TextPlainAccepted] = new(async api => (await api.Create(api.Valid(), "", "text/plain")).Status == 200),

        // combinations
        [ComboFaults.Pair] = new(async api => (await api.Create(api.Valid(b =>
        {
            b["encryption"] = "required";
            b["call_handler"] = "block-pstn";
        }))).Status >= 500),
        [ComboFaults.Triple] = new(async api => (await api.Create(api.Valid(b =>
        {
            b["encryption"] = "optional";
            b["call_handler"] = "passthrough";
            b["ciphers"] = new JsonArray("AES_CM_128_HMAC_SHA1_32");
        }))).Status >= 500),
        [ComboFaults.FourWay] = new(async api => (await api.Create(api.Valid(b =>
        {
            b["encryption"] = "optional";
            b["call_handler"] = "block-pstn";
            b["ciphers"] = new JsonArray("AES_CM_128_HMAC_SHA1_80", "AES_256_CM_HMAC_SHA1_32");
            b["codecs"] = new JsonArray("H264", "G722", "OPUS");
        }))).Status >= 500),
        [ComboFaults.AllCodecs] = new(async api =>
            (await api.Create(With(api, "codecs", new JsonArray(C.Codecs.Select(c => (JsonNode)c).ToArray())))).Status >= 500),

        // transport
        // rate limit: a non-ASCII username is never let through
        [RateLimitFaults.NeverClears] = EchoOf(api => With(api, FieldNames.Username, "rené." + Guid.NewGuid().ToString("N")[..8])),

        [TransportFaults.HugeBody] = Transport(),
        [TransportFaults.SlowDrip] = Transport(timeoutSeconds: 2),
        [TransportFaults.Abort] = Transport(),
        [TransportFaults.InvalidUtf8] = Transport(),
        [TransportFaults.HtmlBody] = Transport(),
        [TransportFaults.Empty200] = Transport(),
        [TransportFaults.RedirectLoop] = Transport(),
        [TransportFaults.NeverAnswer] = Transport(timeoutSeconds: 2),

        // list and rate limiting
        [ListFaults.WrappedInArray] = new(async api => (await api.List()).Text.TrimStart().StartsWith('[')),
        [ListFaults.LeaksOtherProjects] = new(async api =>
        {
            var theirs = (await api.Create(api.Valid(), Api.Basic(api.Q))).Str("id")!;
            return (await CorrectServerTests.ListedIds(api)).Contains(theirs);
        }),
        [ListFaults.NextLoops] = new(async api =>
        {
            await api.Create(api.Valid());
            var count = System.Text.Json.JsonDocument.Parse((await api.List("?page_size=1000")).Text).RootElement.GetProperty("data").GetArrayLength();
            // The last page of one item each: a correct list has no next link there.
            return (await api.List($"?page_size=1&page_number={count - 1}")).Text.Contains("\"next\"", StringComparison.Ordinal);
        }),
    };
}
