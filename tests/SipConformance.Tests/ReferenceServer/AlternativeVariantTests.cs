using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.ReferenceServer;
using Server = SipConformance.ReferenceServer.ReferenceServer;

namespace SipConformance.Tests.ReferenceServerTests;

/// <summary>The Alternative variant takes the strict "either" answers and still meets every MUST and SHOULD.</summary>
[TestFixture]
public class AlternativeVariantTests
{
    private Server _server = null!;
    private Api _api = null!;

    private static SipContract C => SipContract.Default;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await Servers.Start(ServerVariant.Alternative);
        _api = new Api(_server, Servers.Http);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [Test]
    public async Task Create_keeps_no_client_id_and_writes_whole_second_offsets()
    {
        var body = _api.ValidResource();
        var a = await _api.Create(body);
        a.Status.Should().Be(200, a.ToString());
        C.Validate(SchemaNames.EndpointResponse, a.Text).Errors.Should().BeEmpty();
        Api.Echoes(a, body).Should().BeTrue();
        a.EndpointStr("id").Should().Be(a.Str("id")).And.NotBe(body["id"]!.GetValue<string>());
        a.Str("created_at").Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$");
        (await _api.Get(a.Str("id")!)).Text.Should().Be(a.Text);
    }

    public static IEnumerable<TestCaseData> StrictAnswers()
    {
        static TestCaseData Case(string name, string attribute, Action<JsonObject, Api> change) =>
            new TestCaseData(change, attribute).SetArgDisplayNames(name);
        yield return Case("encryption missing", "encryption", (b, _) => b.Remove("encryption"));
        yield return Case("ciphers empty", "ciphers", (b, _) => b["ciphers"] = new JsonArray());
        yield return Case("codecs empty", "codecs", (b, _) => b["codecs"] = new JsonArray());
        yield return Case("duplicate codec", "codecs", (b, _) => b["codecs"] = new JsonArray(C.Codecs[0], C.Codecs[0]));
        yield return Case("unknown property", "voicemail", (b, _) => b["voicemail"] = true);
        yield return Case("resource id with another handler", "calling_handler_resource_id", (b, a) => b["calling_handler_resource_id"] = a.P.ResourceId);
        yield return Case("username empty", "username", (b, _) => b["username"] = "");
        yield return Case("resource without resource id", "calling_handler_resource_id", (b, _) =>
        {
            b["call_handler"] = CallHandlerValues.Resource;
            b.Remove("calling_handler_resource_id");
        });
    }

    [TestCaseSource(nameof(StrictAnswers))]
    public async Task Strict_either_answers_are_422_with_the_attribute(Action<JsonObject, Api> change, string attribute)
    {
        var body = _api.Valid();
        change(body, _api);
        var a = await _api.Create(body);
        a.Status.Should().Be(422, a.ToString());
        C.Validate(SchemaNames.ValidationError, a.Text).Errors.Should().BeEmpty();
        a.ErrorAttributes.Should().Contain(attribute);
    }

    [TestCaseSource(typeof(CorrectServerTests), nameof(CorrectServerTests.ResponseProperties))]
    public async Task A_response_property_sent_in_a_create_is_refused_with_422(string name, Func<Api, JsonNode> value)
    {
        var before = _server.EndpointCount(_server.Primary.ProjectId);
        var a = await _api.Create(_api.Valid(b => b[name] = value(_api)));
        a.Status.Should().Be(422, a.ToString());
        C.Validate(SchemaNames.ValidationError, a.Text).Errors.Should().BeEmpty();
        a.ErrorAttributes.Should().Contain(name);
        _server.EndpointCount(_server.Primary.ProjectId).Should().Be(before);
    }

    [Test]
    public async Task A_username_the_project_already_has_answers_409_until_it_is_deleted()
    {
        var username = _api.Valid()["username"]!.GetValue<string>();
        JsonObject Named(string name) => _api.Valid(b => b["username"] = name);
        var first = await _api.Create(Named(username));
        first.Status.Should().Be(200);
        var before = _server.EndpointCount(_server.Primary.ProjectId);

        var again = await _api.Create(Named(username));
        again.Status.Should().Be(409, again.ToString());
        C.Validate(SchemaNames.ValidationError, again.Text).Errors.Should().BeEmpty();
        again.ErrorAttributes.Should().Contain("username");
        _server.EndpointCount(_server.Primary.ProjectId).Should().Be(before, "a conflict stores nothing");

        (await _api.Create(Named(username.ToUpperInvariant()))).Status.Should().Be(200, "usernames compare exactly: another letter case is another username");
        (await _api.Create(Named(username), Api.Basic(_api.Q))).Status.Should().Be(200, "usernames are per project");

        (await _api.Delete(first.Str("id")!)).Status.Should().Be(204);
        (await _api.Create(Named(username))).Status.Should().Be(200, "the deleted endpoint's username is free again");
    }

    [Test]
    public async Task Concurrent_creates_of_one_username_store_it_once()
    {
        var body = _api.Valid();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ => (await _api.Create(body)).Status));
        statuses.Should().ContainSingle(s => s == 200).And.OnlyContain(s => s == 200 || s == 409);
        _server.Usernames(_server.Primary.ProjectId).Should().ContainSingle(u => u == body["username"]!.GetValue<string>());
    }

    [TestCaseSource(typeof(CorrectServerTests), nameof(CorrectServerTests.Texts))]
    public async Task Strings_are_stored_and_echoed_exactly(string text)
    {
        var body = _api.Valid(b =>
        {
            b["username"] = text + Guid.NewGuid().ToString("N")[..6];
            b["caller_id"] = text;
            b["send_as"] = text;
        });
        var a = await _api.Create(body);
        a.Status.Should().Be(200, a.ToString());
        Api.Echoes(a, body).Should().BeTrue(a.ToString());
        (await _api.Get(a.Str("id")!)).Text.Should().Be(a.Text);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_resource_that_is_not_the_projects_answers_404(bool otherProjects)
    {
        var before = _server.EndpointCount(_server.Primary.ProjectId);
        var a = await _api.Create(_api.Valid(b =>
        {
            b["call_handler"] = CallHandlerValues.Resource;
            b["calling_handler_resource_id"] = otherProjects ? _api.Q.ResourceId : Guid.NewGuid().ToString();
        }));
        a.Status.Should().Be(404);
        a.Text.Should().Be($"{{\"error\":\"{C.NotFoundError}\"}}");
        _server.EndpointCount(_server.Primary.ProjectId).Should().Be(before);
    }

    [Test]
    public async Task A_body_that_is_not_an_object_answers_400()
    {
        (await _api.CreateRaw("[]")).Status.Should().Be(400);
        (await _api.CreateRaw("42")).Status.Should().Be(400);
    }

    [Test]
    public async Task Long_strings_are_accepted_and_echoed_exactly()
    {
        var text = string.Concat(Enumerable.Repeat("ab\u00e9\ud83d\ude00", 5000));
        var body = _api.Valid(b => b["username"] = text);
        var a = await _api.Create(body);
        a.Status.Should().Be(200);
        a.EndpointStr("username").Should().Be(text);
    }

    [Test]
    public async Task Auth_and_isolation_are_the_same_as_primary()
    {
        (await _api.Create(_api.Valid(), null)).Status.Should().Be(401);
        (await _api.Create(_api.Valid(), Api.Basic(_api.P, "basic"))).Status.Should().Be(200);
        var id = (await _api.Create(_api.Valid())).Str("id")!;
        (await _api.Get(id, _api.Q)).Status.Should().Be(404);
    }
}
