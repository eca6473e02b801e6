using SipConformance.Contract;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Findings;
using SipConformance.ReferenceServer;
using SipConformance.Rules;
using SipConformance.Running;
using SipConformance.Running.Probes;
using SipConformance.SelfTests.Safety;

namespace SipConformance.SelfTests.PropertySamples;

/// <summary>
/// A SHOULD that only generated payloads break reaches the run's findings as NON-STRICT (it used
/// to be judged into a throwaway findings object and lost). The run sends nothing but the
/// property probe's samples, against a server that breaks a SHOULD of the 200 answer.
/// </summary>
[TestFixture]
public sealed class PropertyShouldTests
{
    [Test]
    public async Task A_SHOULD_broken_by_generated_payloads_only_is_NON_STRICT_in_the_run()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Faults = ["display-name-empty"] });
        var artifacts = Directory.CreateTempSubdirectory("sipconf-prop-should-").FullName;
        await using var run = new SuiteRun(SafetyRun.Settings(artifacts, iterations: 3), SafetyRun.Target(server), SipContract.Default, probes: [new PropertyProbe()]);

        await run.RunAllAsync();
        await run.CleanupAsync();

        var should = run.Findings[Success.DisplayNameNotEmpty];
        TestContext.Out.WriteLine(should.Explain());
        should.Check.Level.Should().Be(Level.Should);
        should.Outcome.Should().Be(Outcome.NonStrict, "every generated sample got an empty display_name");
        should.ViolationCount.Should().Be(3, "one verdict per drawn sample, none from shrinking");
        should.Violations.Should().OnlyContain(v => v.Case.StartsWith("a generated", StringComparison.Ordinal));
        run.Findings[SipConformance.Rules.Properties.ValidAccepted].Outcome.Should().Be(Outcome.Pass, "a broken SHOULD does not fail the property");
        run.Findings.FailsRun(strict: false).Should().BeFalse();
        run.Findings.FailsRun(strict: true).Should().BeTrue();
    }
}
