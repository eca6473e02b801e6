using SipConformance.Contract;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Running;
using SipConformance.Tests.Rules;

namespace SipConformance.Tests.Sharding;

/// <summary>SIPCONF_PROFILE=auto: the arithmetic of the choice, and the prediction over a run's own cases.</summary>
[TestFixture]
public sealed class AutoProfileTests
{
    private static readonly Dictionary<Profile, long> Costs = new()
    {
        [Profile.Smoke] = 1000, [Profile.Pairwise] = 1100, [Profile.Threewise] = 1400, [Profile.Exhaustive] = 150_000,
    };

    [Test]
    public void The_time_of_a_prediction_is_its_requests_at_the_rate()
    {
        AutoProfile.TimeFor(3000, 5).Should().Be(TimeSpan.FromMinutes(10));
        AutoProfile.TimeFor(971, 5).Should().Be(TimeSpan.FromSeconds(194.2));
    }

    [Test]
    public void At_5_requests_per_second_in_10_minutes_auto_picks_threewise()
    {
        // 10 min x 5/s = 3000 requests; 80 % of it, 2400: exhaustive does not fit, threewise does.
        var asked = new List<Profile>();
        var choice = AutoProfile.Choose(p => { asked.Add(p); return Costs[p]; }, 5, TimeSpan.FromMinutes(10));
        choice.Chosen.Profile.Should().Be(Profile.Threewise);
        choice.Chosen.Requests.Should().Be(1400);
        choice.Chosen.Time.Should().Be(TimeSpan.FromSeconds(280));
        choice.Fits.Should().BeTrue();
        asked.Should().Equal(Profile.Exhaustive, Profile.Threewise);
        choice.Describe().Should().Contain("profile auto: threewise, predicted 1400 requests, 4.7 min at 5 requests/s").And.Contain("budget 10 min").And.Contain("exhaustive 150000 requests, 8.3 h");
    }

    [TestCase(1000, 1, Profile.Smoke)]        // 800 s planned at 1/s: not even smoke (1000 s) fits: the weakest
    [TestCase(1800, 1, Profile.Threewise)]    // 1440 s: threewise (1400 s) fits
    [TestCase(1400, 1, Profile.Pairwise)]     // 1120 s: pairwise (1100 s) fits, threewise (1400 s) does not
    [TestCase(200, 1000, Profile.Exhaustive)] // 160 s at 1000/s: 160,000 requests: exhaustive (150,000) fits
    [TestCase(100, 1000, Profile.Threewise)]  // 80 s: 80,000 requests: not exhaustive
    public void The_strongest_profile_that_fits_the_headroom_is_chosen(double budgetSeconds, double rate, Profile expected)
    {
        var choice = AutoProfile.Choose(p => Costs[p], rate, TimeSpan.FromSeconds(budgetSeconds));
        choice.Chosen.Profile.Should().Be(expected);
        choice.Fits.Should().Be(AutoProfile.TimeFor(Costs[expected], rate) <= TimeSpan.FromSeconds(budgetSeconds * AutoProfile.Headroom));
    }

    [Test]
    public void The_headroom_is_the_boundary()
    {
        // threewise: 1400 requests at 1/s = 1400 s; 1400 / 0.8 = 1750 s of budget is just enough.
        AutoProfile.Choose(p => Costs[p], 1, TimeSpan.FromSeconds(1750)).Chosen.Profile.Should().Be(Profile.Threewise);
        AutoProfile.Choose(p => Costs[p], 1, TimeSpan.FromSeconds(1749)).Chosen.Profile.Should().Be(Profile.Pairwise);
    }

    [Test]
    public void When_nothing_fits_smoke_is_chosen_and_the_banner_warns()
    {
        var choice = AutoProfile.Choose(p => Costs[p], 1, TimeSpan.FromSeconds(60));
        choice.Chosen.Profile.Should().Be(Profile.Smoke);
        choice.Fits.Should().BeFalse();
        choice.Predictions.Select(p => p.Profile).Should().Equal(AutoProfile.StrongestFirst);
        choice.Describe().Should().Contain("WARNING: even smoke does not fit").And.Contain(SettingsLoader.RunBudget).And.Contain(SettingsLoader.Shard);
    }

    [Test]
    public void A_rate_must_be_positive()
    {
        var act = () => AutoProfile.Choose(p => Costs[p], 0, TimeSpan.FromMinutes(1));
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    private static SuiteRun Run(SuiteSettings settings) => new(settings with { ArtifactsDirectory = Directory.CreateTempSubdirectory("sipconf-auto-").FullName },
        Targets.Embedded(new Uri("http://127.0.0.1:9/"), Exchanges.ProjectId, "PTauto-token-000111", Guid.NewGuid().ToString(), null, null), SipContract.Default);

    [Test]
    public async Task The_prediction_grows_with_the_profile_and_shards_split_it()
    {
        await using var run = Run(new SuiteSettings { Seed = 5, SeedGiven = true, Profile = Profile.Smoke, PropertyIterations = 40 });
        var whole = AutoProfile.StrongestFirst.Reverse().Select(p => AutoProfile.Predict(run, p, Shard.Whole)).ToList();
        whole.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        whole[^1].Should().BeGreaterThan(3 * 49_152 / 2, "exhaustive sends every row of the product, most of them created, read and deleted");

        var parts = Enumerable.Range(1, 3).Select(i => AutoProfile.Predict(run, Profile.Pairwise, new Shard(i, 3))).ToList();
        // Per shard beyond its cases: the cleanup's list reads, the list read after rejections of the negative and auth phases,
        // and the learning phase, which every shard runs whole (each learns the same table).
        var learn = run.Probes.Single(p => p.Name == Running.Probes.LearnProbe.PhaseName).PlannedRequests(run, Profile.Pairwise, Shard.Whole);
        learn.Should().Be(180, "60 creates (the baseline and 59 varied), each read back and deleted by a server that takes them");
        parts.Sum().Should().Be(whole[1] + 2 * (AutoProfile.PerShardRequests + 2 + learn), "the shards' cases are the whole run's; each shard has its own list reads, cleanup and learning");
        parts[0].Should().Be(parts.Max(), "shard 1 also runs the one-off probes");
    }

    [Test]
    public async Task An_auto_run_chooses_before_its_first_request_and_says_so_in_the_banner()
    {
        var settings = new SuiteSettings { Seed = 5, SeedGiven = true, AutoProfile = true, MaxRequestsPerSecond = 5, RunBudget = TimeSpan.FromMinutes(10), PropertyIterations = 40 };
        await using var run = Run(settings);
        run.AutoChoice.Should().NotBeNull();
        run.Settings.Profile.Should().Be(run.AutoChoice!.Chosen.Profile);
        run.Settings.Profile.Should().NotBe(Profile.Exhaustive);
        run.AutoChoice.Chosen.Requests.Should().Be(AutoProfile.Predict(run, run.AutoChoice.Chosen.Profile, Shard.Whole));
        run.Banner().Should().Contain($"profile {run.Settings.Profile.ToString()!.ToLowerInvariant()} (auto)")
            .And.Contain($"profile auto: {run.Settings.Profile.ToString()!.ToLowerInvariant()}, predicted {run.AutoChoice.Chosen.Requests} requests")
            .And.Contain($"SIPCONF_PROFILE={run.Settings.Profile.ToString()!.ToLowerInvariant()}", "the replay line repeats the choice");
        run.RequestsSent.Should().Be(0);
        var actuals = run.AutoProfileActuals!;
        actuals.PredictedRequests.Should().Be(run.AutoChoice.Chosen.Requests);
        actuals.RequestsSent.Should().Be(0);
        run.AutoProfileReport().Should().Contain($"predicted {run.AutoChoice.Chosen.Requests} requests").And.Contain("actual 0 requests sent");

        await using var named = Run(settings with { AutoProfile = false, Profile = Profile.Smoke });
        named.AutoChoice.Should().BeNull();
        named.AutoProfileReport().Should().BeNull();
    }

    [Test]
    public async Task Every_shard_of_an_auto_run_chooses_the_same_profile()
    {
        // A budget between shard 1's threewise prediction and a smaller shard's would split the choice if each shard predicted itself.
        var baseSettings = new SuiteSettings { Seed = 5, SeedGiven = true, AutoProfile = true, MaxRequestsPerSecond = 5, PropertyIterations = 40 };
        await using var probe = Run(baseSettings with { Profile = Profile.Smoke, AutoProfile = false });
        var shard1 = AutoProfile.Predict(probe, Profile.Threewise, new Shard(1, 3));
        var shard3 = AutoProfile.Predict(probe, Profile.Threewise, new Shard(3, 3));
        var shard1Pairwise = AutoProfile.Predict(probe, Profile.Pairwise, new Shard(1, 3));
        shard1.Should().BeGreaterThan(shard3);
        shard1.Should().BeGreaterThan(shard1Pairwise);
        // Above shard 3's threewise prediction and shard 1's pairwise one (shard 1 also sends the one-offs), below shard 1's threewise.
        var budget = TimeSpan.FromSeconds((Math.Max(shard3, shard1Pairwise) + shard1) / 2.0 / 5 / AutoProfile.Headroom);
        var chosen = new List<Profile?>();
        for (var i = 1; i <= 3; i++)
        {
            await using var run = Run(baseSettings with { Shard = new Shard(i, 3), RunBudget = budget });
            chosen.Add(run.Settings.Profile);
        }
        chosen.Distinct().Should().ContainSingle().Which.Should().Be(Profile.Pairwise);
    }
}
