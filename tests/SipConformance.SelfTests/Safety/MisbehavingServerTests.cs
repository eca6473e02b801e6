using FluentAssertions;
using NUnit.Framework;
using SipConformance.Rules;
using SipConformance.Findings;

namespace SipConformance.SelfTests.Safety;

/// <summary>
/// A server that misbehaves on the wire (on every successful create) makes one clear FAIL that
/// says what went wrong, and the run goes on: its other probes still get verdicts, and what the
/// run created is still cleaned up.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class MisbehavingServerTests
{
    public static IEnumerable<TestCaseData> Faults()
    {
        TestCaseData Case(string fault, Rule check, string[] says, double timeoutSeconds = 5) =>
            new TestCaseData(fault, check.Id, says, timeoutSeconds).SetName($"A server with {fault} fails {check.Id} and the run goes on");

        yield return Case("transport-50mb-body", Http.CompleteAnswer, ["larger than 1,048,576 bytes", "Content-Length: 52,428,800", "stopped reading"]);
        yield return Case("transport-slow-drip", Http.CompleteAnswer, ["no complete answer within 0.3 s", "the HTTP 200 headers arrived", "the body did not finish"], 0.3);
        yield return Case("transport-abort", Http.CompleteAnswer, ["the connection was closed or reset without a complete answer"]);
        yield return Case("transport-invalid-utf8", Http.JsonBody, ["not valid UTF-8"]);
        yield return Case("transport-html-body", Http.JsonBody, ["the body is not JSON"]);
        yield return Case("transport-empty-200", Success.Schema, ["the body is empty"]);
        yield return Case("transport-redirect-loop", Success.Status, ["answered 302", "the suite does not follow redirects"]);
    }

    [TestCaseSource(nameof(Faults))]
    public async Task Each_misbehaviour_is_one_clear_FAIL_and_the_run_goes_on(string fault, string checkId, string[] says, double timeoutSeconds)
    {
        var artifacts = SafetyRun.TempDirectory(fault);
        await using var server = await SafetyRun.ServerAsync(fault);
        var budget = TimeSpan.FromSeconds(45);
        var settings = SafetyRun.Settings(artifacts, timeout: TimeSpan.FromSeconds(timeoutSeconds), budget: budget);

        var outcome = await SafetyRun.RunAsync(settings, SafetyRun.Target(server), fault);
        await using var run = outcome.Run;

        outcome.Elapsed.Should().BeLessThan(budget + TimeSpan.FromSeconds(5), "the run ends within its budget");
        var named = outcome[RuleBook.Get(checkId)];
        named.Outcome.Should().Be(Outcome.Fail, named.Explain());
        var explained = named.Explain();
        foreach (var phrase in says) explained.Should().Contain(phrase);
        named.Violations.Should().OnlyContain(v => v.Exchanges.Count > 0 && v.Exchanges.All(x => x.Curl.StartsWith("curl ")), "every violation comes with its exchange");

        // The rest of the run still judged what it sent: the rejections never meet the fault.
        foreach (var check in new Rule[] { Authentication.NoHeader, Authentication.WrongToken, Authentication.UnknownProject, Authentication.Body, Validation.MissingRequired, Validation.WrongType })
            outcome[check].Outcome.Should().Be(Outcome.Pass, $"{check} does not depend on a successful create ({fault})");
        outcome.Cleanup.Failed.Should().Be(0, outcome.Cleanup.ToString());
        server.EndpointCount(server.Primary.ProjectId).Should().Be(0, "the end-of-run cleanup finds by marker what the client never learnt the id of");
        server.EndpointCount(server.Secondary.ProjectId).Should().Be(0);
    }
}
