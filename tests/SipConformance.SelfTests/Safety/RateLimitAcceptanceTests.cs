using FluentAssertions;
using NUnit.Framework;
using SipConformance.Rules;
using SipConformance.Findings;
using SipConformance.ReferenceServer;

namespace SipConformance.SelfTests.Safety;

/// <summary>
/// A 429 is not a finding: against a server that answers every seventh request 429 (Retry-After: 1),
/// a strict run passes whole, and leaves nothing behind.
/// </summary>
[TestFixture]
public sealed class RateLimitAcceptanceTests
{
    [Test]
    public async Task A_strict_run_against_a_server_that_rate_limits_every_seventh_request_passes_and_leaves_nothing()
    {
        var artifacts = SafetyRun.TempDirectory("ratelimit");
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { RateLimitEvery = 7, RetryAfterSeconds = 1 });
        var settings = SafetyRun.Settings(artifacts, strict: true);

        var outcome = await SafetyRun.RunAsync(settings, SafetyRun.Target(server), "rate-limited strict run");
        await using var run = outcome.Run;

        run.Findings.All.Where(r => r.Outcome is Outcome.Fail or Outcome.NonStrict).Select(r => r.Explain()).Should().BeEmpty();
        run.Findings.FailsRun(strict: true).Should().BeFalse();
        outcome[Http.RateLimit].Outcome.Should().Be(Outcome.Pass, "429s were met and waited out");
        outcome[Http.RateLimit].Passes.Should().BeGreaterThan(10);
        server.RequestCount.Should().BeGreaterThan(100);
        outcome.Cleanup.Failed.Should().Be(0);
        server.EndpointCount(server.Primary.ProjectId).Should().Be(0, string.Join(", ", server.Usernames(server.Primary.ProjectId).Take(10)));
        server.EndpointCount(server.Secondary.ProjectId).Should().Be(0);
    }
}
