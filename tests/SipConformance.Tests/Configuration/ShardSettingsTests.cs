using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;

namespace SipConformance.Tests.Configuration;

/// <summary>SIPCONF_SHARD, SIPCONF_PROFILE=auto and SIPCONF_RUN_BUDGET's durations, as the loader reads them.</summary>
[TestFixture]
public sealed class ShardSettingsTests
{
    private static SuiteSettings Load(Dictionary<string, string?>? env = null, Dictionary<string, string?>? parameters = null) =>
        SettingsLoader.Load(name => (env ?? []).GetValueOrDefault(name), parameters ?? []);

    [TestCase("1/1", 1, 1)]
    [TestCase("1/3", 1, 3)]
    [TestCase("3/3", 3, 3)]
    [TestCase(" 2 / 5 ", 2, 5)]
    public void A_shard_is_i_of_n(string text, int i, int n)
    {
        var s = Load(new() { [SettingsLoader.Shard] = text });
        s.Shard.Should().Be(new Shard(i, n));
        s.Shard.ToString().Should().Be($"{i}/{n}");
    }

    [Test]
    public void A_shard_can_come_from_a_runsettings_parameter_and_the_environment_wins()
    {
        Load(parameters: new() { [SettingsLoader.Shard] = "2/4" }).Shard.Should().Be(new Shard(2, 4));
        Load(new() { [SettingsLoader.Shard] = "3/4" }, new() { [SettingsLoader.Shard] = "2/4" }).Shard.Should().Be(new Shard(3, 4));
    }

    [Test]
    public void Unset_the_run_is_whole_and_the_banner_says_no_shard()
    {
        var s = Load();
        s.Shard.Should().Be(Shard.Whole);
        s.Shard.IsWhole.Should().BeTrue();
        s.DescribeRun().Should().NotContain("shard");
        Load(new() { [SettingsLoader.Shard] = "2/3" }).DescribeRun().Should().Contain("shard 2/3");
    }

    [TestCase("0/3")]
    [TestCase("4/3")]
    [TestCase("1/0")]
    [TestCase("0/0")]
    [TestCase("-1/3")]
    [TestCase("2")]
    [TestCase("2/")]
    [TestCase("/3")]
    [TestCase("a/b")]
    [TestCase("1/3/5")]
    [TestCase("1.5/3")]
    public void A_bad_shard_is_a_configuration_error_naming_the_variable(string text)
    {
        var act = () => Load(new() { [SettingsLoader.Shard] = text });
        act.Should().Throw<SettingsException>().WithMessage($"*{SettingsLoader.Shard}*1 <= i <= n*'{text}'*");
    }

    [Test]
    public void Every_case_index_lands_in_exactly_one_shard_of_n()
    {
        for (var n = 1; n <= 12; n++)
        {
            var shards = Enumerable.Range(1, n).Select(i => new Shard(i, n)).ToList();
            for (long index = 0; index < 5000; index++)
                shards.Count(s => s.Owns(index)).Should().Be(1, $"case {index} of {n} shards");
            // ... and the parts are as even as they can be.
            var sizes = shards.Select(s => Enumerable.Range(0, 5000).Count(i => s.Owns(i))).ToList();
            (sizes.Max() - sizes.Min()).Should().BeLessThanOrEqualTo(1);
            sizes[0].Should().Be(sizes.Max(), "shard 1 is the largest (auto predicts it)");
        }
        Shard.Whole.Owns(123456789).Should().BeTrue();
        new Shard(1, 3).RunsOneOffs.Should().BeTrue();
        new Shard(2, 3).RunsOneOffs.Should().BeFalse();
    }

    [TestCase("600", 600)]
    [TestCase("600s", 600)]
    [TestCase("10m", 600)]
    [TestCase("1.5m", 90)]
    [TestCase("1h", 3600)]
    [TestCase(" 10M ", 600)]
    public void The_run_budget_is_seconds_or_a_duration(string text, double seconds) =>
        Load(new() { [SettingsLoader.RunBudget] = text }).RunBudget.Should().Be(TimeSpan.FromSeconds(seconds));

    [TestCase("10x")]
    [TestCase("m")]
    [TestCase("0m")]
    [TestCase("-5s")]
    [TestCase("ten minutes")]
    public void A_bad_run_budget_is_a_configuration_error(string text)
    {
        var act = () => Load(new() { [SettingsLoader.RunBudget] = text });
        act.Should().Throw<SettingsException>().WithMessage($"*{SettingsLoader.RunBudget}*600s, 10m or 1h*");
    }

    [Test]
    public void Auto_profile_is_read_and_leaves_the_choice_to_the_run()
    {
        var s = Load(new() { [SettingsLoader.Profile] = "auto", [SettingsLoader.MaxRps] = "5", [SettingsLoader.RunBudget] = "10m" });
        s.AutoProfile.Should().BeTrue();
        s.Profile.Should().BeNull("the run chooses it before its first request");
        s.RunBudget.Should().Be(TimeSpan.FromMinutes(10));
        Load(new() { [SettingsLoader.Profile] = "AUTO", [SettingsLoader.MaxRps] = "5" }).AutoProfile.Should().BeTrue();
        Load(new() { [SettingsLoader.Profile] = "pairwise" }).AutoProfile.Should().BeFalse();
    }

    [Test]
    public void Auto_profile_without_a_rate_is_a_configuration_error_on_this_machine_but_not_remotely()
    {
        var local = () => Load(new() { [SettingsLoader.Profile] = "auto" });
        local.Should().Throw<SettingsException>().WithMessage($"*auto*{SettingsLoader.MaxRps}*");
        var remote = Load(new()
        {
            [SettingsLoader.Profile] = "auto", [SettingsLoader.BaseUrl] = "https://example.signalwire.com",
            [SettingsLoader.ProjectId] = "p", [SettingsLoader.ApiToken] = "PTsecret-shard-token",
        });
        remote.EffectiveMaxRequestsPerSecond.Should().Be(5, "a remote target's default cap is the rate auto assumes");
        remote.AutoProfile.Should().BeTrue();
    }
}
