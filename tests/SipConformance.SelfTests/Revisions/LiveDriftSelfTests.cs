using SipConformance.SelfTests.Safety;
using System.Diagnostics;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Cli;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Reporting;
using SipConformance.ReferenceServer;

namespace SipConformance.SelfTests.Revisions;

/// <summary>
/// `sipconf drift --live` end to end against reference servers in this process (smoke profile, a few
/// seconds a server): the one speaking 2026-03-18 is named as implementing 2026-03-18 and not
/// 2026-08-21, the one speaking 2026-08-21 the other way round, and one that mixes them (speaking
/// 2026-03-18 but taking the OPUS@... codecs only 2026-08-21 has: fault plausible-enum-item-accepted)
/// implements neither, with the check that splits named beside the contract change behind it.
/// </summary>
[TestFixture]
[Category("Revisions")]
[Parallelizable(ParallelScope.None)]
public sealed class LiveDriftSelfTests
{
    private const string March = ContractRevisions.March2026, August = ContractRevisions.August2026;

    private sealed record Result(int Code, string Out, string Err, string Artifacts, TimeSpan Took)
    {
        public string Markdown => File.ReadAllText(Path.Combine(Artifacts, LiveDrift.MarkdownFileName));
    }

    private static async Task<Result> LiveDriftAsync(ReferenceServer.ReferenceServer server)
    {
        var artifacts = Path.Combine(Path.GetTempPath(), "sipconf-live-drift-" + Guid.NewGuid().ToString("N")[..8]);
        var env = TargetVariables.Of(server);
        env[SettingsLoader.Seed] = "20261206";
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var clock = Stopwatch.StartNew();
        var code = await CommandLine.RunAsync(["drift", "--live", "--profile", "smoke", "--artifacts", artifacts, "--progress", "0"], stdout, stderr,
            name => env.TryGetValue(name, out var v) ? v : null);
        var result = new Result(code, stdout.ToString(), stderr.ToString(), artifacts, clock.Elapsed);
        TestContext.Out.WriteLine($"$ sipconf drift --live --profile smoke  -> exit {code} in {result.Took.TotalSeconds:0.0} s\n{result.Out}");
        // Every run cleans up, every file lands in its place, and nothing it prints or writes holds a token.
        foreach (var revision in new[] { March, August })
        {
            File.Exists(Path.Combine(artifacts, revision, Reports.FindingsFileName)).Should().BeTrue($"the run held to {revision} reports into its own folder");
            result.Err.Should().Contain($"reports: {Path.Combine(artifacts, revision)}");
        }
        File.Exists(Path.Combine(artifacts, LiveDrift.HtmlFileName)).Should().BeTrue();
        result.Markdown.Should().Be(result.Out[..result.Markdown.Length], "stdout carries the report written to the artifacts folder");
        var everything = result.Out + result.Err + string.Concat(Directory.EnumerateFiles(artifacts, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        foreach (var token in new[] { server.Primary.ApiToken, server.Secondary.ApiToken })
            everything.Should().NotContain(token, "no token reaches what drift --live prints or writes");
        System.Text.RegularExpressions.Regex.Matches(result.Err, @"cleanup: deleted \d+ leftover endpoint\(s\), 0 deletion\(s\) failed").Count
            .Should().Be(2, "each run cleans up after itself, as `sipconf run` does");
        return result;
    }

    [TestCase(March, August)]
    [TestCase(August, March)]
    public async Task The_reference_server_speaking_one_revision_is_named_as_implementing_it_and_not_the_other(string speaks, string other)
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Contract = SipContract.Of(speaks) });

        var result = await LiveDriftAsync(server);

        result.Code.Should().Be(CommandLine.Ok, result.Err);
        result.Out.Should().Contain($"this target implements {speaks}, not {other} (no check FAILs under {speaks};");
        result.Out.Should().Contain($"- FAIL under {speaks}: none");
        result.Out.Should().MatchRegex($@"- FAIL under {other} \(\d+\): .*CREATE-");
        result.Took.Should().BeLessThan(TimeSpan.FromMinutes(2), "the smoke profile keeps a live drift cheap");
    }

    [Test]
    public async Task A_server_mixing_the_revisions_implements_neither_and_the_checks_that_split_are_named()
    {
        // Speaks 2026-03-18 (the sip_endpoint answer), yet takes the OPUS@... codecs of 2026-08-21.
        var fault = FaultCatalogue.Get("plausible-enum-item-accepted");
        fault.AppliesIn(March).Should().BeTrue("the premise: the fault deviates from 2026-03-18");
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Contract = SipContract.Of(March), Faults = [fault.Id] });

        var result = await LiveDriftAsync(server);

        result.Code.Should().Be(CommandLine.Failed, "a target that implements neither revision exits 1");
        result.Out.Should().Contain($"this target implements neither {March} nor {August}");
        result.Out.Should().MatchRegex($@"- FAIL under {March} \(\d+\): .*{fault.Rule}");
        // The check that splits on the codecs: FAIL under 2026-03-18, PASS under 2026-08-21, and the enum change behind it.
        result.Out.Should().Contain($"- **{fault.Rule}** [MUST]").And.Contain($"FAIL under {March}, PASS under {August}");
        result.Out.Should().Contain("`codecs` gains `OPUS@48000H@20I`");
        result.Out.Should().Contain($"| {fault.Rule} | MUST | **FAIL** | **PASS** |");
        result.Out.Should().Contain(Rules.Success.FlatSchema.Id, "and the shape that keeps it from 2026-08-21 is named too");
    }
}
