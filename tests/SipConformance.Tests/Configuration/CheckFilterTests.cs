using FluentAssertions;
using NUnit.Framework;
using SipConformance.Cli;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Rules;
using SipConformance.Running;
using SipConformance.Running.Probes;
using SipConformance.Tests.Rules;

namespace SipConformance.Tests.Configuration;

/// <summary>
/// --filter / SIPCONF_FILTER: which checks a pattern selects (ID prefix or section, case-insensitive), the refusal of a
/// pattern that selects nothing, the checks left out staying SKIPPED, and the phases a filtered run leaves out. No HTTP.
/// </summary>
[TestFixture]
public sealed class CheckFilterTests
{
    private static IEnumerable<string> Selected(params string[] patterns) =>
        RuleBook.All.Where(CheckFilter.Of(patterns).Selects).Select(r => r.Id);

    [Test]
    public void An_id_prefix_selects_the_checks_whose_id_starts_with_it_in_any_case()
    {
        Selected("CREATE-AUTH").Should().NotBeEmpty().And.OnlyContain(id => id.StartsWith("CREATE-AUTH-", StringComparison.Ordinal))
            .And.HaveCount(RuleBook.All.Count(r => r.Section == Authentication.Section));
        Selected("create-auth-003").Should().Equal(Authentication.UnknownProject.Id);
        Selected("CREATE-OK-01").Should().BeEquivalentTo([Success.DisplayNameNotEmpty.Id, Success.FlatSchema.Id, Success.FlatUuid.Id]);
        Selected("CREATE-AUTH-003", "CREATE-VAL-016").Should().BeEquivalentTo([Authentication.UnknownProject.Id, Validation.RejectedCreatesNothing.Id]);
        CheckFilter.None.Selects(SipConformance.Rules.Pact.Verification).Should().BeTrue("no filter selects every check");
        CheckFilter.Parse(null).IsNone.Should().BeTrue();
    }

    [Test]
    public void A_replay_line_names_a_section_by_its_id_prefix_so_a_shell_needs_no_quotes()
    {
        var filter = CheckFilter.Of([Listing.Section.Heading, "create-auth-003"]);
        filter.ReplayValue.Should().Be("CREATE-LIST-,create-auth-003");
        RuleBook.All.Where(CheckFilter.Parse(filter.ReplayValue).Selects).Should().Equal(RuleBook.All.Where(filter.Selects), "the replay selects the same checks");
    }

    [Test]
    public void A_section_as_sipconf_list_shows_it_selects_its_checks()
    {
        var heading = Authentication.Section.Heading;
        ListCommand.RenderText().Should().Contain(heading, "the pattern is the section as `sipconf list` prints it");
        Selected(heading.ToUpperInvariant()).Should().BeEquivalentTo(Selected("CREATE-AUTH"));
        Selected(Isolation.Section.Heading).Should().BeEquivalentTo([Isolation.Read.Id, Isolation.Delete.Id],
            "a heading is matched whole: Authentication (401) is not a prefix match of the isolation section's heading");
    }

    [TestCase("CREATE-NOPE")]
    [TestCase("AUTH")]
    [TestCase("Authentication (4")]
    public void A_pattern_that_matches_no_check_is_a_settings_error_naming_it_and_sipconf_list(string pattern)
    {
        var act = () => CheckFilter.Of(["CREATE-AUTH", pattern], "--filter");
        act.Should().Throw<SettingsException>().WithMessage($"--filter: the pattern '{pattern}' matches no check*sipconf list*");
    }

    [Test]
    public void SIPCONF_FILTER_is_comma_separated_and_an_unknown_pattern_in_it_is_refused()
    {
        var settings = SettingsLoader.Load(n => n == SettingsLoader.Filter ? " CREATE-AUTH-001 , create-iso ,," : null, new Dictionary<string, string?>());
        settings.Filter.Patterns.Should().Equal("CREATE-AUTH-001", "create-iso");
        settings.DescribeRun().Should().Contain("filter CREATE-AUTH-001, create-iso");
        SettingsLoader.Load(_ => null, new Dictionary<string, string?> { [SettingsLoader.Filter] = "CREATE-PACT" }).Filter.Patterns.Should().Equal("CREATE-PACT");

        var act = () => SettingsLoader.Load(n => n == SettingsLoader.Filter ? "CREATE-AUTH,CREATE-TYPO" : null, new Dictionary<string, string?>());
        act.Should().Throw<SettingsException>().WithMessage($"{SettingsLoader.Filter}: the pattern 'CREATE-TYPO'*");
    }

    [Test]
    public async Task Sipconf_run_with_an_unknown_filter_is_exit_code_2_before_anything_starts()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(["run", "--progress", "0", "--filter", "CREATE-AUTH", "--filter", "CREATE-TYPO"], stdout, stderr, _ => null);

        code.Should().Be(CommandLine.Usage, stderr.ToString());
        stderr.ToString().Should().Contain("sipconf run: --filter: the pattern 'CREATE-TYPO' matches no check").And.Contain("sipconf list");
        stdout.ToString().Should().NotContain("contract revision", "no banner: the run did not start");
    }

    [Test]
    public void Filters_are_the_same_whatever_the_order_and_case_of_their_patterns()
    {
        CheckFilter.Of(["CREATE-AUTH", "CREATE-OK"]).SameAs(CheckFilter.Of(["create-ok", "create-auth"])).Should().BeTrue();
        CheckFilter.Of(["CREATE-AUTH"]).SameAs(CheckFilter.Of(["CREATE-AUTH", "CREATE-OK"])).Should().BeFalse();
        CheckFilter.Of(["CREATE-AUTH"]).SameAs(CheckFilter.None).Should().BeFalse();
    }

    [Test]
    public void A_check_left_out_stays_skipped_with_the_reason_whatever_is_recorded_for_it()
    {
        var result = new CheckResult(Success.Type);
        result.Pass();
        result.LeaveOut("not run: left out by --filter CREATE-AUTH");
        result.Pass(3);
        result.Violate(new Violation("a case", "broken"));
        result.Skip("nothing observed", SettingsLoader.ResourceId);

        result.Outcome.Should().Be(Outcome.Skipped);
        result.LeftOut.Should().BeTrue();
        result.Passes.Should().Be(0, "what was recorded before it was left out is dropped too");
        result.Requests.Should().Be(0);
        result.SkipReasons.Should().Equal("not run: left out by --filter CREATE-AUTH");
        result.SkipSettings.Should().BeEmpty();
        result.FailsRun(strict: true).Should().BeFalse();
    }

    private static SuiteRun Run(params string[] patterns) => new(
        new SuiteSettings
        {
            Seed = 777, SeedGiven = true, RunMarker = "filtertest", Profile = Profile.Smoke, Filter = CheckFilter.Of(patterns),
            ArtifactsDirectory = Directory.CreateTempSubdirectory("sipconf-filter-").FullName,
        },
        Targets.Embedded(new Uri("http://127.0.0.1:9/"), Exchanges.ProjectId, "PTfilter-token-0001", Guid.NewGuid().ToString(), "5e2d9a61-0c1b-4f0e-9d55-3a1c2b3d4e5f", "PTfilter-token-0002"),
        SipContract.Default, probes: [.. StandardProbes.All(), new SipConformance.Pact.PactProbe(Path.GetTempPath())]);

    private static IEnumerable<string> Phases(SuiteRun run) => run.Probes.Where(p => run.Runs(p, run.Shard)).Select(p => p.Name);

    [Test]
    public async Task A_filtered_run_leaves_out_the_phases_none_of_its_checks_needs_and_marks_the_other_checks_not_run()
    {
        await using var all = Run();
        Phases(all).Should().Equal(all.Probes.Select(p => p.Name), "without a filter every phase runs");

        await using var auth = Run("CREATE-AUTH");
        Phases(auth).Should().Equal("auth", "parsers");
        auth.Banner().Should().Contain("filter CREATE-AUTH").And.Contain("combinations").And.MatchRegex(@"filter CREATE-AUTH: \d+ of \d+ checks judged");
        foreach (var r in auth.Findings.All)
            if (r.Check.Section == Authentication.Section) r.LeftOut.Should().BeFalse(r.Check.Id);
            else r.SkipReasons.Should().Equal(["not run: left out by --filter CREATE-AUTH"], r.Check.Id);
        auth.ReplaySettings().Should().ContainEquivalentOf(new SettingValue(SettingsLoader.Filter, "CREATE-AUTH"));

        await using var pact = Run("CREATE-PACT");
        Phases(pact).Should().Equal("pact");
        await using var isolation = Run("CREATE-ISO-001");
        Phases(isolation).Should().Equal("isolation");
        await using var http = Run("CREATE-HTTP-001");
        Phases(http).Should().Equal(all.Probes.Where(p => p.Name != "pact").Select(p => p.Name), "every answer is held to CREATE-HTTP-001, whichever phase drew it");
        await using var body = Run("CREATE-OK-003");
        Phases(body).Should().NotContain("pact").And.Contain("combinations", "every 200 is held to the success checks");
    }
}
