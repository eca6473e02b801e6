using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Pact;
using SipConformance.Pact.Interop;
using SipConformance.Pact.Provider;
using SipConformance.Target;

namespace SipConformance.Tests.Pact;

/// <summary>
/// Verification against a small provider started in the test (<see cref="MiniProvider"/>), which
/// records every Authorization value it receives and echoes ciphers in reverse order: the real
/// credential (never the placeholder) must arrive on every interaction that sends one, none on the
/// 401 interaction, and the order of a list must not matter. The reference server's verification
/// tests are in <see cref="ReferenceServerVerificationTests"/>.
/// </summary>
public class VerificationTests : ExportedPactFixture
{
    private static SuiteSettings Settings => new() { Seed = 1, RequestTimeout = TimeSpan.FromSeconds(5), Cleanup = false };

    private static Redactor RedactorFor(MiniProvider p) => new([new Secret(p.Token)], [p.ProjectId]);

    private Task<CheckResult> Verify(MiniProvider p, string? resourceId, Uri? stateChangeUrl) =>
        PactWorkflow.VerifyAsync(Settings, SipContract.Default, p.BaseUrl, p.ProjectId, new Secret(p.Token), resourceId, stateChangeUrl, PactFile, RedactorFor(p), CancellationToken.None);

    [Test]
    public async Task A_correct_provider_passes_and_receives_the_real_credential_not_the_placeholder()
    {
        await using var provider = await MiniProvider.StartAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var check = await Verify(provider, resourceId: null, provider.StateChangeUrl);
        TestContext.Progress.WriteLine($"verify: {clock.ElapsedMilliseconds} ms");

        check.Check.Id.Should().Be("CREATE-PACT-001");
        check.Outcome.Should().Be(Outcome.Pass, check.Explain());
        check.Passes.Should().Be(InteractionCount);
        var real = "Basic " + AuthHeader.Base64($"{provider.ProjectId}:{provider.Token}");
        var seen = provider.Seen.ToList();
        seen.Should().HaveCount(InteractionCount);
        seen.Where(s => s.Username != SipPact.UsernamePrefix + "no_credentials").Should().OnlyContain(s => s.Authorization == real);
        seen.Single(s => s.Username == SipPact.UsernamePrefix + "no_credentials").Authorization.Should().BeNull("the 401 interaction runs without the custom header");
        seen.Should().NotContain(s => s.Authorization == SipPact.PlaceholderAuthorization);
        provider.StateCalls.Should().Contain(c => c["state"]!.GetValue<string>() == SipPact.ResourceState);
    }

    [Test]
    public async Task Against_a_target_without_a_state_endpoint_the_suite_serves_the_resource_id_itself()
    {
        await using var provider = await MiniProvider.StartAsync();
        var verification = await PactVerifier.VerifyAsync(Settings, new VerificationTarget(provider.BaseUrl, provider.ProjectId, new Secret(provider.Token), provider.ResourceId, null, SipContract.Default),
            PactFile, RedactorFor(provider), CancellationToken.None);
        verification.Check.Outcome.Should().Be(Outcome.Pass, verification.Check.Explain());
        verification.StateChanges.Should().Contain(c => c.State == SipPact.ResourceState && c.Action == "setup");
        provider.StateCalls.Should().BeEmpty("the provider's own endpoint was not used");
        verification.Runs.Select(r => r.Label).Should().Equal("with credentials", "without credentials");
    }

    [Test]
    public async Task Without_a_resource_the_resource_interaction_is_skipped_not_failed()
    {
        await using var provider = await MiniProvider.StartAsync();
        var check = await Verify(provider, resourceId: null, stateChangeUrl: null);
        check.Outcome.Should().Be(Outcome.Pass, check.Explain());
        check.Passes.Should().Be(InteractionCount - 1);
        check.SkipReasons.Should().ContainSingle().Which.Should().Contain(SettingsLoader.ResourceId);
    }

    [Test]
    public async Task A_provider_that_is_down_fails_readably()
    {
        MiniProvider down;
        await using (down = await MiniProvider.StartAsync()) { }
        var check = await Verify(down, null, null);
        check.Outcome.Should().Be(Outcome.Fail);
        check.Violations.Should().NotBeEmpty();
        check.Explain().Should().Contain("error sending request").And.NotContain(down.Token);
    }

    [Test]
    public async Task The_verifiers_own_copy_of_its_report_never_reaches_stdout()
    {
        await using var provider = await MiniProvider.StartAsync(ProviderFault.ResponseShape);
        string Reaching(bool divert)
        {
            StdoutDiversion.Enabled = divert;
            try
            {
                using var outer = StdoutDiversion.TryBegin() ?? throw new InconclusiveException("cannot redirect stdout here");
                Verify(provider, null, provider.StateChangeUrl).GetAwaiter().GetResult();
                return outer.Captured();
            }
            finally { StdoutDiversion.Enabled = true; }
        }

        Reaching(divert: false).Should().Contain("Verifying a pact between", "the engine prints its report to stdout by itself");
        Reaching(divert: true).Should().NotContain("Verifying a pact between");
    }
}
