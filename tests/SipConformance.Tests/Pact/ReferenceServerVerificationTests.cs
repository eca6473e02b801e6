using System.Net;
using System.Text;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Pact;
using SipConformance.Pact.Provider;
using SipConformance.ReferenceServer;
using SipConformance.Target;

namespace SipConformance.Tests.Pact;

/// <summary>
/// The exported pact against the embedded reference server. The server answers 401 to the
/// placeholder credential the pact records, so a passing verification proves that the custom
/// Authorization header replaced it (pact-reference #430 reports cases where it does not).
/// </summary>
public class ReferenceServerVerificationTests : ExportedPactFixture
{
    private static SuiteSettings Settings(bool cleanup = true) => new() { Seed = 1, RequestTimeout = TimeSpan.FromSeconds(5), Cleanup = cleanup };

    private static Uri Hook(ReferenceServer.ReferenceServer s) => new(s.BaseUrl, "_pact/provider-states");

    private Task<CheckResult> Verify(ReferenceServer.ReferenceServer s, SuiteSettings settings, bool ownStateServer = false) =>
        PactWorkflow.VerifyAsync(settings, SipContract.Default, s.BaseUrl, s.Primary.ProjectId, new Secret(s.Primary.ApiToken),
            ownStateServer ? s.Primary.ResourceId : null, ownStateServer ? null : Hook(s), PactFile,
            new Redactor([new Secret(s.Primary.ApiToken)], [s.Primary.ProjectId]), CancellationToken.None);

    [Test]
    public async Task The_reference_server_refuses_the_placeholder_credential()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions());
        using var http = new HttpClient();
        var example = SipPact.Interactions(SipContract.Default)[0];
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl, SipContract.Default.CollectionPath))
        {
            Content = new StringContent(example.ExampleRequestBody!.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", SipPact.PlaceholderAuthorization);
        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "otherwise a passing verification would prove nothing about the header override");
    }

    [Test]
    public async Task The_correct_server_passes_every_interaction_and_the_created_endpoints_are_cleaned_up()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var check = await Verify(server, Settings(cleanup: true));
        TestContext.Progress.WriteLine($"verify against the reference server: {clock.ElapsedMilliseconds} ms");

        check.Outcome.Should().Be(Outcome.Pass, check.Explain());
        check.Passes.Should().Be(InteractionCount);
        server.EndpointCount(server.Primary.ProjectId).Should().Be(0, "the endpoints the verifier created are deleted afterwards");
    }

    [Test]
    public async Task Without_cleanup_the_verifiers_creates_stay_and_carry_the_suites_prefix()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions());
        var check = await Verify(server, Settings(cleanup: false));
        check.Outcome.Should().Be(Outcome.Pass, check.Explain());
        server.Usernames(server.Primary.ProjectId).Should().HaveCount(SipContract.Default.CallHandlers.Count)
            .And.OnlyContain(u => u.StartsWith(SipPact.UsernamePrefix));
    }

    [Test]
    public async Task A_remote_style_target_gets_the_suites_own_state_server()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions());
        var check = await Verify(server, Settings(), ownStateServer: true);
        check.Outcome.Should().Be(Outcome.Pass, check.Explain());
    }

    [Test]
    public async Task A_server_that_changes_the_response_shape_fails_with_path_expected_and_actual()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Faults = ["created-at-not-rfc3339", "type-wrong"] });
        var check = await Verify(server, Settings());
        TestContext.Out.WriteLine(check.Explain());

        check.Outcome.Should().Be(Outcome.Fail);
        check.ViolationCount.Should().Be(SipContract.Default.CallHandlers.Count, "every successful create is affected");
        check.Passes.Should().Be(InteractionCount - SipContract.Default.CallHandlers.Count);
        var evidence = check.Violations.First(v => v.Case == "a create with call_handler default and encryption required").Text;
        evidence.Should().Contain("$.created_at: Expected '").And.Contain("to match").And.Contain("(expected \"2026-03-18T12:00:00Z\", actual ");
        evidence.Should().Contain("$.type").And.Contain("sip_credential");
        var secret = server.Primary.ApiToken;
        check.Explain().Should().NotContain(secret).And.NotContain(AuthHeader.Base64($"{server.Primary.ProjectId}:{secret}"));
    }

    [Test]
    public async Task A_server_that_changes_a_status_code_fails_with_the_status_mismatch()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Faults = ["create-status-201"] });
        var check = await Verify(server, Settings());
        check.Outcome.Should().Be(Outcome.Fail);
        check.Violations.Should().HaveCount(SipContract.Default.CallHandlers.Count);
        check.Violations.Should().OnlyContain(v => v.Text!.Contains("status: expected 200 but was 201"));
        check.Violations.Select(v => v.Case).Should().Contain("a create with call_handler resource (the resource from the provider state) and encryption required");
        check.Explain().Should().Contain($"CREATE-PACT-001 [MUST] {SipConformance.Rules.Pact.Verification.Title}: FAIL");
    }
}
