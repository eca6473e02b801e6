using FluentAssertions;
using NUnit.Framework;
using SipConformance.Rules;
using SipConformance.Findings;
using SipConformance.Running;
using SipConformance.ReferenceServer;

namespace SipConformance.SelfTests.Safety;

/// <summary>
/// Certificate validation stays on: a staging server with a self-signed certificate is refused
/// with a message that says why and what to do, and is accepted only with SIPCONF_INSECURE_TLS=true.
/// </summary>
[TestFixture]
public sealed class TlsTests
{
    [Test]
    public async Task A_self_signed_server_is_refused_by_default_with_a_clear_FAIL_and_nothing_reaches_it()
    {
        using var cert = LoopbackCertificate.Create();
        await using var server = await SafetyRun.ServerAsync();
        await using var proxy = await ForwardingProxy.StartAsync(server.BaseUrl, cert);
        var settings = SafetyRun.Settings(SafetyRun.TempDirectory("tls-refused"), timeout: TimeSpan.FromSeconds(5));
        settings.InsecureTls.Should().BeFalse("validation is on unless asked");
        var target = Targets.Embedded(proxy.BaseUrl, server.Primary.ProjectId, server.Primary.ApiToken, server.Primary.ResourceId, server.Secondary.ProjectId, server.Secondary.ApiToken);

        var outcome = await SafetyRun.RunAsync(settings, target, "self-signed, validation on");
        await using var run = outcome.Run;

        var complete = outcome[Http.CompleteAnswer];
        complete.Outcome.Should().Be(Outcome.Fail);
        complete.Violations[0].Message.Should().Contain("the TLS handshake with 127.0.0.1:").And.Contain("certificate").And.Contain("SIPCONF_INSECURE_TLS=true");
        run.Findings.All.Where(r => r.Outcome == Outcome.Pass).Should().BeEmpty("nothing was answered, so nothing passed");
        proxy.Requests.Should().Be(0, "no request (and no credential) went over a connection whose certificate was refused");
        server.RequestCount.Should().Be(0);
    }

    [Test]
    public async Task With_SIPCONF_INSECURE_TLS_the_same_server_is_accepted_and_the_run_passes()
    {
        using var cert = LoopbackCertificate.Create();
        await using var server = await SafetyRun.ServerAsync();
        await using var proxy = await ForwardingProxy.StartAsync(server.BaseUrl, cert);
        var settings = SafetyRun.Settings(SafetyRun.TempDirectory("tls-insecure")) with { InsecureTls = true };
        var target = Targets.Embedded(proxy.BaseUrl, server.Primary.ProjectId, server.Primary.ApiToken, server.Primary.ResourceId, server.Secondary.ProjectId, server.Secondary.ApiToken);

        var outcome = await SafetyRun.RunAsync(settings, target, "self-signed, SIPCONF_INSECURE_TLS=true");
        await using var run = outcome.Run;

        outcome.Failing.Select(r => r.Explain()).Should().BeEmpty();
        outcome[Http.CompleteAnswer].Outcome.Should().Be(Outcome.Pass);
        outcome[Success.Status].Outcome.Should().Be(Outcome.Pass);
        proxy.Requests.Should().BeGreaterThan(100);
        server.EndpointCount(server.Primary.ProjectId).Should().Be(0);
    }
}
