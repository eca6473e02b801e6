using SipConformance.Contract;
using System.Text;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Generation.Combinatorics;
using SipConformance.Running;
using SipConformance.Running.Probes;
using SipConformance.Tests.Rules;

namespace SipConformance.Tests.Sharding;

/// <summary>
/// The cases of a sharded run are the unsharded run's, each in exactly one shard: combination rows,
/// property samples, negative cases and the stimulus cases (strings, auth, malformed).
/// No HTTP: the cases are built, not sent.
/// </summary>
[TestFixture]
public sealed class ShardPartitionTests
{
    private const string Token = "PTshard-partition-token-0001";

    private static SuiteRun Run(Shard shard, Profile profile = Profile.Pairwise) => new(
        new SuiteSettings
        {
            Seed = 777, SeedGiven = true, RunMarker = "shardtest", Profile = profile, Shard = shard, PropertyIterations = 10,
            ArtifactsDirectory = Directory.CreateTempSubdirectory("sipconf-shard-").FullName,
        },
        Targets.Embedded(new Uri("http://127.0.0.1:9/"), Exchanges.ProjectId, Token, Guid.NewGuid().ToString(), "5e2d9a61-0c1b-4f0e-9d55-3a1c2b3d4e5f", Token + "2"), SipContract.Default);

    /// <summary>Every case a shard sends, as (stream, key) with the key holding the bytes and the rule.</summary>
    private static List<string> Cases(SuiteRun run)
    {
        var keys = new List<string>();
        var plan = CombinationPlan.For(run.Contract, run.Settings.EffectiveProfile);
        keys.AddRange(CombinationProbe.SentRows(run, plan, run.Shard).Select(r => $"row {r.Index}: {CombinationProbe.Case(run, r, r.Ciphers, r.Codecs).Describe()}"));
        keys.AddRange(NegativeProbe.Cases(run).Select(c => $"negative {c.Rule.Id}: {c.Field}: {c.Describe()}"));
        foreach (var probe in StandardProbes.All().OfType<StimulusProbe>())
            keys.AddRange(run.StimulusCases(probe.Name, [.. probe.Sections]).Select(c => $"{probe.Name} {c.Rule.Id}: {c.Describe()}: {c.Auth}: {c.ContentType}"));
        foreach (var (property, stream) in PropertyProbe.Streams)
            keys.AddRange(PropertyProbe.Seeds(run, property, stream, run.Shard).Select(s => $"{property.Id} sample {s}"));
        return keys;
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(7)]
    public async Task Every_case_of_the_unsharded_run_is_in_exactly_one_of_n_shards(int n)
    {
        await using var whole = Run(Shard.Whole);
        var all = Cases(whole);
        all.Should().Contain(k => k.StartsWith("row ", StringComparison.Ordinal)).And.Contain(k => k.StartsWith("negative ", StringComparison.Ordinal))
            .And.Contain(k => k.StartsWith("strings ", StringComparison.Ordinal)).And.Contain(k => k.StartsWith("auth ", StringComparison.Ordinal))
            .And.Contain(k => k.StartsWith("malformed ", StringComparison.Ordinal)).And.Contain(k => k.Contains(" sample ", StringComparison.Ordinal));

        var parts = new List<List<string>>();
        for (var i = 1; i <= n; i++)
        {
            await using var shard = Run(new Shard(i, n));
            parts.Add(Cases(shard));
        }
        parts.SelectMany(p => p).Should().BeEquivalentTo(all, "together the shards send every case of the unsharded run, none twice");
        parts.Sum(p => p.Count).Should().Be(all.Count, "none twice");
        parts.Should().OnlyContain(p => p.Count > 0, "every shard has a share of the work");
        (parts.Max(p => p.Count) - parts.Min(p => p.Count)).Should().BeLessThanOrEqualTo(7, "each kind of case is split evenly (at most one more per kind and shard)");
    }

    [Test]
    public async Task The_banner_and_the_replay_line_say_the_shard()
    {
        await using var run = Run(new Shard(2, 3));
        var banner = run.Banner();
        banner.Should().Contain("shard 2/3").And.Contain("the one-off probes run in shard 1").And.Contain("SIPCONF_SHARD=2/3");
        banner.Should().NotContain(Token);
        await using var whole = Run(Shard.Whole);
        whole.Banner().Should().NotContain("SIPCONF_SHARD").And.NotContain("shard 1/");
    }
}
