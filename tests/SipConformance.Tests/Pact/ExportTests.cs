using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Pact;
using SipConformance.Pact.Consumer;
using SipConformance.Pact.Engine;
using SipConformance.Pact.Model;
using SipConformance.Target;

namespace SipConformance.Tests.Pact;

public class ExportTests
{
    private const string ProjectId = "11111111-2222-4333-8444-555555555555";
    private const string Token = "tok-very-secret-0001";
    private static readonly SipContract C = SipContract.Default;
    private string _dir = null!;
    private string _file = null!;
    private JsonObject _pact = null!;

    private static SuiteSettings Settings => new() { Seed = 1, ProjectId = ProjectId, ApiToken = new Secret(Token) };

    [OneTimeSetUp]
    public async Task Export()
    {
        _dir = Path.Combine(Path.GetTempPath(), "sipconf-export-" + Guid.NewGuid().ToString("N"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _file = await PactWorkflow.ExportAsync(Settings, SipContract.Default, _dir, CancellationToken.None);
        TestContext.Progress.WriteLine($"export: {clock.ElapsedMilliseconds} ms");
        _pact = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(_file))!;
    }

    [OneTimeTearDown]
    public void Clean() => Directory.Delete(_dir, recursive: true);

    private JsonObject Interaction(string description) =>
        (JsonObject)((JsonArray)_pact["interactions"]!).Single(i => i!["description"]!.GetValue<string>() == description)!;

    [Test]
    public void The_file_is_a_v4_pact_named_after_consumer_and_provider()
    {
        Path.GetFileName(_file).Should().Be("sip-endpoint-client-signalwire-fabric-api.json");
        _pact["metadata"]!["pactSpecification"]!["version"]!.GetValue<string>().Should().Be("4.0");
        _pact["consumer"]!["name"]!.GetValue<string>().Should().Be("sip-endpoint-client");
        _pact["provider"]!["name"]!.GetValue<string>().Should().Be("signalwire-fabric-api");
    }

    [Test]
    public void Every_interaction_is_in_the_file()
    {
        var expected = SipPact.Interactions(C).Select(i => i.Description).ToList();
        var actual = ((JsonArray)_pact["interactions"]!).Select(i => i!["description"]!.GetValue<string>()).ToList();
        actual.Should().BeEquivalentTo(expected);
        foreach (var handler in C.CallHandlers) actual.Should().Contain(d => d.Contains($"call_handler {handler} ") && !d.Contains("null"));
        foreach (var encryption in C.Encryptions) actual.Should().Contain(d => d.Contains($"encryption {encryption}"));
        ((JsonArray)_pact["interactions"]!).Select(i => i!["response"]!["status"]!.GetValue<int>()).Should().Contain([200, 401, 422]);
    }

    [Test]
    public void Every_enum_value_appears_in_some_request()
    {
        var bodies = ((JsonArray)_pact["interactions"]!).Select(i => i!["request"]!["body"]?["content"]).OfType<JsonObject>().ToList();
        foreach (var cipher in C.Ciphers) bodies.Should().Contain(b => ((JsonArray)b["ciphers"]!).Any(x => x!.GetValue<string>() == cipher), cipher);
        foreach (var codec in C.Codecs) bodies.Should().Contain(b => ((JsonArray)b["codecs"]!).Any(x => x!.GetValue<string>() == codec), codec);
    }

    [Test]
    public void The_bodies_carry_matchers_not_just_literals()
    {
        var create = Interaction("a create with call_handler default and encryption required");
        var request = create["request"]!["matchingRules"]!;
        request["header"]!["Authorization"]!["matchers"]![0]!["regex"]!.GetValue<string>().Should().Be(SipPact.AuthorizationPattern);
        request["body"]!["$.id"]!["matchers"]![0]!["regex"]!.GetValue<string>().Should().Be(Match.UuidPattern);
        request["body"]!["$.username"]!["matchers"]![0]!["match"]!.GetValue<string>().Should().Be("type");
        request["body"]!["$.ciphers"]!["matchers"]![0]!["min"]!.GetValue<int>().Should().Be(1);
        request["body"]!["$.ciphers[*]"]!["matchers"]![0]!["regex"]!.GetValue<string>().Should().Be(Match.OneOfPattern(C.Ciphers));
        request["body"]!["$.codecs[*]"]!["matchers"]![0]!["regex"]!.GetValue<string>().Should().Be(Match.OneOfPattern(C.Codecs));

        var response = create["response"]!["matchingRules"]!["body"]!;
        response["$.created_at"]!["matchers"]![0]!["regex"]!.GetValue<string>().Should().Be(Match.Rfc3339Pattern);
        response["$.project_id"]!["matchers"]![0]!["regex"]!.GetValue<string>().Should().Be(Match.UuidPattern);
        response["$.sip_endpoint.ciphers"]!["matchers"]![0]!["match"]!.GetValue<string>().Should().Be("arrayContains");
        create["response"]!["matchingRules"]!["header"]!["Content-Type"]!["matchers"]![0]!["regex"]!.GetValue<string>().Should().Be(SipPact.JsonMediaTypePattern);
        // Exact echoes stay literal.
        create["response"]!["body"]!["content"]!["sip_endpoint"]!["username"]!.GetValue<string>().Should().Be(create["request"]!["body"]!["content"]!["username"]!.GetValue<string>());
    }

    [Test]
    public void The_resource_interaction_takes_its_id_from_the_provider_state()
    {
        var resource = ((JsonArray)_pact["interactions"]!).Single(i => i!["providerStates"] is JsonArray states && states.Any(x => x!["name"]!.GetValue<string>() == SipPact.ResourceState))!;
        resource["providerStates"]!.AsArray().Select(x => x!["name"]!.GetValue<string>()).Should().BeEquivalentTo([SipPact.CallerIdState, SipPact.ResourceState]);
        var callerId = resource["request"]!["generators"]!["body"]!["$.caller_id"]!;
        callerId["type"]!.GetValue<string>().Should().Be("ProviderState");
        callerId["expression"]!.GetValue<string>().Should().Be("${caller_id}");
        var generator = resource["request"]!["generators"]!["body"]!["$.calling_handler_resource_id"]!;
        generator["type"]!.GetValue<string>().Should().Be("ProviderState");
        generator["expression"]!.GetValue<string>().Should().Be("${resource_id}");
    }

    [Test]
    public void The_error_interactions_are_as_the_contract_says()
    {
        var unauthorized = Interaction("a create without credentials");
        unauthorized["response"]!["status"]!.GetValue<int>().Should().Be(401);
        unauthorized["response"]!["body"]!["content"]!.ToJsonString().Should().Be("""{"error":"Unauthorized"}""");
        ((JsonObject?)unauthorized["request"]!["headers"])?.ContainsKey("Authorization").Should().BeFalse();

        var noId = Interaction("a create with call_handler resource and a null calling_handler_resource_id");
        noId["response"]!["status"]!.GetValue<int>().Should().Be(422);
        noId["request"]!["body"]!["content"]!["calling_handler_resource_id"].Should().BeNull();

        var outside = Interaction("a create with an encryption value outside its enum");
        outside["response"]!["status"]!.GetValue<int>().Should().Be(422);
        C.Encryptions.Should().NotContain(outside["request"]!["body"]!["content"]!["encryption"]!.GetValue<string>());
    }

    [Test]
    public void No_credential_reaches_the_file_only_the_placeholder()
    {
        var text = File.ReadAllText(_file);
        text.Should().NotContain(Token);
        new Redactor([new Secret(Token)], [ProjectId]).Leaks(text).Should().BeFalse();
        text.Should().NotContain(AuthHeader.Base64($"{ProjectId}:{Token}"));
        text.Should().Contain(SipPact.PlaceholderAuthorization);
        // Every Authorization example in the file is the placeholder.
        foreach (var i in ((JsonArray)_pact["interactions"]!).OfType<JsonObject>())
            if (i["request"]!["headers"]?["Authorization"] is JsonArray values)
                values.Select(v => v!.GetValue<string>()).Should().OnlyContain(v => v == SipPact.PlaceholderAuthorization);
    }

    [Test]
    public async Task The_same_contract_gives_the_same_file()
    {
        var other = Path.Combine(Path.GetTempPath(), "sipconf-export-" + Guid.NewGuid().ToString("N"));
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var again = await PactWorkflow.ExportAsync(Settings, SipContract.Default, other, CancellationToken.None);
            TestContext.Progress.WriteLine($"export (engine and contract loaded): {clock.ElapsedMilliseconds} ms");
            (await File.ReadAllTextAsync(again)).Should().Be(await File.ReadAllTextAsync(_file));
        }
        finally { Directory.Delete(other, true); }
    }

    [Test]
    public void Every_example_satisfies_the_contract() =>
        FluentActions.Invoking(() => SipPactContractCheck.Check(C, SipPact.Interactions(C))).Should().NotThrow();

    [Test]
    public async Task A_request_the_mock_server_did_not_expect_means_no_file_and_a_readable_redacted_error()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sipconf-export-" + Guid.NewGuid().ToString("N"));
        // The suite's client always posts to the collection; this interaction waits elsewhere.
        var elsewhere = PactInteraction.Describe("a create sent to the wrong path")
            .WithRequest("POST", "/api/fabric/resources/somewhere_else")
            .WithRequestHeader("Authorization", Match.Regex(SipPact.AuthorizationPattern, SipPact.PlaceholderAuthorization))
            .WithJsonBody("""{"username": "x"}""")
            .WillRespondWith(401)
            .WithResponseJsonBody("""{"error": "Unauthorized"}""");
        var act = () => PactExporter.ExportAsync(Settings, C, [elsewhere], dir, CancellationToken.None);
        var e = (await act.Should().ThrowAsync<PactMismatchException>()).Which;
        e.Message.Should().Contain("the pact was not written").And.Contain("/api/fabric/resources/sip_endpoints").And.Contain("somewhere_else");
        e.Message.Should().NotContain(Token);
        Directory.Exists(dir).Should().BeFalse("nothing may be written when an interaction did not match");
    }
}

/// <summary>Bodies and matchers are checked before the engine sees them: it would take them silently.</summary>
public class DefinitionValidationTests
{
    [Test]
    public void Invalid_json_is_rejected_before_the_engine()
    {
        var act = () => PactInteraction.Describe("broken").WithJsonBody("""{"username": "x",}""");
        act.Should().Throw<PactDefinitionException>().WithMessage("*request body of 'broken': not valid JSON*");
    }

    [Test]
    public void An_unknown_matcher_name_is_rejected()
    {
        var i = PactInteraction.Describe("typo").WithRequest("POST", "/x")
            .WithJsonBody(new JsonObject { ["id"] = new JsonObject { [Match.MatcherKey] = "regexp", ["regex"] = "^a$", ["value"] = "a" } });
        i.Invoking(x => x.Validate()).Should().Throw<PactDefinitionException>().WithMessage("*$.id has an unknown matcher*regexp*");
    }

    [Test]
    public void An_example_that_contradicts_its_own_regex_is_rejected()
    {
        var i = PactInteraction.Describe("contradiction").WithRequest("POST", "/x")
            .WithJsonBody(new JsonObject { ["id"] = Match.Uuid("not-a-uuid") });
        i.Invoking(x => x.Validate()).Should().Throw<PactDefinitionException>().WithMessage("*the example 'not-a-uuid' does not match its own regex*");
    }

    [Test]
    public void An_enum_example_outside_the_enum_is_rejected() =>
        FluentActions.Invoking(() => Match.EachOneOf(["A", "B"], ["A", "C"])).Should().Throw<PactDefinitionException>().WithMessage("*'C' is not one of A, B*");

    [Test]
    public void A_provider_state_generator_needs_an_expression()
    {
        var generator = Match.Uuid(SipPact.ExampleUuid("x"));
        generator[Match.GeneratorKey] = "ProviderState";
        var i = PactInteraction.Describe("generator").WithRequest("POST", "/x").WithJsonBody(new JsonObject { ["id"] = generator });
        i.Invoking(x => x.Validate()).Should().Throw<PactDefinitionException>().WithMessage("*needs an expression*");
    }

    [Test]
    public void The_engine_never_sees_an_invalid_interaction()
    {
        using var pact = new PactModel("validation-consumer", "validation-provider");
        var i = PactInteraction.Describe("contradiction").WithRequest("POST", "/x").WithJsonBody(new JsonObject { ["id"] = Match.Uuid("nope") });
        pact.Invoking(p => p.Add(i)).Should().Throw<PactDefinitionException>();
    }

    [Test]
    public void Examples_are_the_matchers_values()
    {
        var body = new JsonObject
        {
            ["id"] = Match.Uuid("5425655b-5e3a-46e5-89a4-cc9051a8ff92"),
            ["list"] = Match.EachOneOf(["A", "B"], ["B", "A"]),
            ["set"] = Match.ContainsEach(["X", "Y"]),
            ["plain"] = 3,
        };
        PactJson.Example(body)!.ToJsonString().Should().Be("""{"id":"5425655b-5e3a-46e5-89a4-cc9051a8ff92","list":["B","A"],"set":["X","Y"],"plain":3}""");
    }

    [Test]
    public void Descriptions_become_an_exact_rust_regex() =>
        SipConformance.Pact.Provider.PactVerifier.DescriptionFilter(["a (b) c", "x|y"]).Should().Be(@"^(a \(b\) c|x\|y)$");
}
