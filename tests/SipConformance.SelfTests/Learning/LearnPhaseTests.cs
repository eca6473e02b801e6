using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.ReferenceServer;
using SipConformance.Reporting;
using SipConformance.Rules;
using SipConformance.Running.Probes;
using SipConformance.SelfTests.Safety;

namespace SipConformance.SelfTests.Learning;

/// <summary>
/// The learning phase against the reference server: what a strict server mangles is judged (a FAIL of
/// CREATE-STR-004, the learned cell "mangled"), and the shards of one run learn one table, which merges.
/// </summary>
[TestFixture]
public sealed class LearnPhaseTests
{
    [Test]
    public async Task Text_a_strict_server_mangles_is_learned_as_mangled_and_fails_the_exact_text_rule()
    {
        await using var server = await SafetyRun.ServerAsync("strict-username-lowercased");
        await using var run = (await SafetyRun.RunAsync(SafetyRun.Settings(SafetyRun.TempDirectory("learn-mangled")), SafetyRun.Target(server), "learn-mangled")).Run;

        var username = run.LearnedTable!.Fields.Single(f => f.Field == FieldNames.Username);
        username.Classes.Single(c => c.Class == "upper-case letters").Verdict.Should().Be(LearnedEntry.Mangled, "the server stores ABCXYZ as abcxyz");
        username.Classes.Single(c => c.Class == "lower-case letters").Verdict.Should().Be(LearnedEntry.Stored);
        var exact = run.Findings[Strings.Exact];
        exact.Outcome.Should().Be(Outcome.Fail);
        exact.Violations.Should().Contain(v => v.Case.Contains("learning username: upper-case letters", StringComparison.Ordinal), "the learning phase's answer reached the rules");
    }

    [Test]
    public async Task The_shards_of_one_run_learn_the_same_table_and_merge()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Quirks = ["sip-safe-text"] });
        var docs = new List<ShardFindings>();
        for (var i = 1; i <= 2; i++)
        {
            var settings = SafetyRun.Settings(SafetyRun.TempDirectory($"learn-shard-{i}")) with { Shard = new Shard(i, 2) };
            var outcome = await SafetyRun.RunAsync(settings, SafetyRun.Target(server), $"learn-shard-{i}");
            await using var run = outcome.Run;
            run.ProbeRequests[LearnProbe.PhaseName].Should().BePositive($"shard {i} runs the learning phase itself");
            docs.Add(new ShardFindings($"shard-{i}", RunDocument.Of(run, outcome.Cleanup)));
        }
        docs[0].Document.Learned!.Differences(docs[1].Document.Learned!).Should().BeEmpty("the phase is deterministic for a seed and a target");
        docs[0].Document.Learned!.Creates.Should().Be(60 + 2 * 23, "60, and the 23 characters of the five punctuation groups username and send_as refuse, each alone");
        Merge.Documents(docs).Learned.Should().BeEquivalentTo(docs[0].Document.Learned);
    }
}
