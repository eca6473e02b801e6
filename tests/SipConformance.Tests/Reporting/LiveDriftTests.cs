using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Reporting;
using SipConformance.Rules;

namespace SipConformance.Tests.Reporting;

/// <summary>
/// `sipconf drift --live`'s judgement over two runs' findings made by hand: which revision the target
/// implements (both, one, neither), and for each check whose outcome differs, the contract change that
/// explains it, or that none does.
/// </summary>
public class LiveDriftTests
{
    private const string March = ContractRevisions.March2026, August = ContractRevisions.August2026;

    /// <summary>A run held to <paramref name="revision"/>: every rule of it PASS but <paramref name="failing"/>, the others SKIPPED "not in revision".</summary>
    private static FindingsDocument Run(string revision, params string[] failing) =>
        ReportSamples.Document(c =>
            !RuleBook.Get(c.Id).AppliesIn(revision) ? c with { Outcome = Outcome.Skipped, Passes = 0, Requests = 0, SkipReasons = [Rule.NotInRevision(revision)] }
            : failing.Contains(c.Id) ? ReportSamples.Failing(c, new Violation("case", "broken"))
            : c) with { ContractRevision = revision };

    [Test]
    public void A_target_with_no_FAIL_under_either_revision_implements_both()
    {
        var drift = LiveDrift.Of(Run(March), Run(August));

        drift.Implements.Should().Equal(March, August);
        drift.ImplementsNeither.Should().BeFalse();
        drift.Answer.Should().Contain($"implements both {March} and {August}");
        // What differs is only what the revisions themselves change: rules of one revision, each explained.
        drift.Splits.Should().NotBeEmpty().And.OnlyContain(s => s.Explained);
        drift.Splits.Select(s => s.Row.Id).Should().BeEquivalentTo(RuleBook.All.Where(r => r.AppliesIn(March) != r.AppliesIn(August)).Select(r => r.Id));
    }

    [Test]
    public void A_target_that_FAILs_a_rule_applying_only_in_2026_08_21_implements_2026_03_18_and_the_split_is_explained_by_it()
    {
        var flat = Success.FlatSchema.Id;
        DriftDocument.Of(Success.FlatSchema, March, August).Should().Be(DriftDocument.Change.NewlyApplies, "the premise: the rule applies only in 2026-08-21");

        var drift = LiveDrift.Of(Run(March), Run(August, flat));

        drift.Implements.Should().Equal(March);
        drift.ImplementsNeither.Should().BeFalse();
        drift.Answer.Should().Contain($"implements {March}, not {August}").And.Contain($"1 check FAILs under {August}");
        drift.Evidence().Should().Equal($"FAIL under {March}: none", $"FAIL under {August} (1): {flat}");
        var split = drift.Splits.Single(s => s.Row.Id == flat);
        (split.Row.From, split.Row.To).Should().Be((Outcome.Skipped, Outcome.Fail));
        split.Explained.Should().BeTrue();
        split.Change.Should().Be(DriftDocument.Change.NewlyApplies);
        split.Explanation.Should().Contain($"applies only in {August}").And.Contain(Success.FlatSchema.ClauseIn(August));
    }

    [Test]
    public void A_target_that_FAILs_only_under_2026_03_18_implements_2026_08_21()
    {
        var drift = LiveDrift.Of(Run(March, Success.Schema.Id, Authentication.UnknownProject.Id), Run(August));

        drift.Implements.Should().Equal(August);
        drift.Answer.Should().Contain($"implements {August}, not {March}").And.Contain($"2 checks FAIL under {March}");
    }

    [Test]
    public void A_target_that_FAILs_under_both_revisions_implements_neither()
    {
        var drift = LiveDrift.Of(Run(March, Success.Schema.Id), Run(August, Success.FlatSchema.Id));

        drift.Implements.Should().BeEmpty();
        drift.ImplementsNeither.Should().BeTrue();
        drift.Answer.Should().Contain($"implements neither {March} nor {August}");
        drift.Evidence().Should().Equal($"FAIL under {March} (1): {Success.Schema.Id}", $"FAIL under {August} (1): {Success.FlatSchema.Id}");
    }

    [Test]
    public void A_split_no_contract_change_explains_is_said_as_a_finding_about_the_target()
    {
        var rule = Authentication.UnknownProject;
        DriftDocument.Of(rule, March, August).Should().Be(DriftDocument.Change.Unchanged, "the premise: the rule is the same in both revisions");
        DriftDocument.Differences(SipContract.Of(March), SipContract.Of(August)).Should().NotContain(d => d.CoveredBy.Contains(rule.Id), "and names nothing the files change");

        var drift = LiveDrift.Of(Run(March, rule.Id), Run(August));

        var split = drift.Splits.Single(s => s.Row.Id == rule.Id);
        (split.Row.From, split.Row.To).Should().Be((Outcome.Fail, Outcome.Pass));
        split.Explained.Should().BeFalse();
        split.Explanation.Should().StartWith("no contract change explains it");
        drift.Markdown().Should().Contain($"**{rule.Id}**").And.Contain("**not explained**: no contract change explains it")
            .And.Contain(", 1 no contract change explains.");
        split.Cause.Should().Be(LiveDrift.Cause.Target);
        split.Explanation.Should().NotContain("knock-on", "the run's answers keep to its revision's shape");
    }

    [Test]
    public void A_split_no_contract_change_explains_in_a_run_whose_answers_fail_its_shape_names_that_FAIL_beside_it()
    {
        var rule = Authentication.UnknownProject;

        var split = LiveDrift.Of(Run(March), Run(August, rule.Id, Success.FlatSchema.Id)).Splits.Single(s => s.Row.Id == rule.Id);

        split.Cause.Should().Be(LiveDrift.Cause.Target, "still a finding about the target");
        split.Explanation.Should().StartWith("no contract change explains it")
            .And.Contain($"likely a knock-on: under {August} the target's answers fail that revision's shape ({Success.FlatSchema.Id} FAIL)");
    }

    [Test]
    public void A_split_on_a_rule_whose_clause_names_a_changed_enum_is_explained_by_that_difference()
    {
        // The reference server's plausible-enum-item-accepted: OPUS@... codecs taken under 2026-03-18, where they are no codec.
        var rule = RuleBook.Get("CREATE-VAL-005");
        DriftDocument.Of(rule, March, August).Should().Be(DriftDocument.Change.Unchanged);

        var split = LiveDrift.Of(Run(March, rule.Id), Run(August)).Splits.Single(s => s.Row.Id == rule.Id);

        split.Explained.Should().BeTrue();
        split.Explanation.Should().Contain("`codecs` gains `OPUS@48000H@20I`");
    }

    [Test]
    public void A_split_whose_failing_cases_sent_a_value_of_one_revision_s_enum_is_explained_by_that_value()
    {
        // A server of 2026-03-18 held to 2026-08-21 refuses the OPUS@... codecs the later revision's payloads draw.
        var rule = Authentication.UnknownProject;
        var august = Run(August) with
        {
            Checks = Run(August).Checks.Select(c => c.Id == rule.Id
                ? ReportSamples.Failing(c, new Violation("codecs=[OPUS@48000H@20I]", "answered 422; the contract allows 401")) : c).ToList(),
        };

        var split = LiveDrift.Of(Run(March), august).Splits.Single(s => s.Row.Id == rule.Id);

        split.Cause.Should().Be(LiveDrift.Cause.Contract);
        split.Explanation.Should().Contain($"under {August} its failing cases sent `OPUS@48000H@20I` (the contract change: `codecs` gains `OPUS@48000H@20I`)");
    }

    [Test]
    public void A_check_one_run_could_not_judge_is_said_as_not_judged_there()
    {
        var rule = RuleBook.Get("CREATE-DEL-002");
        DriftDocument.Of(rule, March, August).Should().Be(DriftDocument.Change.Unchanged);
        var august = Run(August) is var a ? a with
        {
            Checks = a.Checks.Select(c => c.Id == rule.Id ? c with { Outcome = Outcome.Skipped, SkipReasons = ["the project could not create an endpoint (HTTP 422)"] } : c).ToList(),
        } : null!;

        var split = LiveDrift.Of(Run(March), august).Splits.Single(s => s.Row.Id == rule.Id);

        split.Cause.Should().Be(LiveDrift.Cause.NotJudged);
        split.Explained.Should().BeFalse();
        split.Explanation.Should().Contain($"not judged under {August}").And.Contain("could not create an endpoint");
    }

    [Test]
    public void The_Markdown_has_a_column_per_revision_and_the_HTML_the_drift_section()
    {
        var drift = LiveDrift.Of(Run(March), Run(August, Success.FlatSchema.Id));
        var md = drift.Markdown();

        md.Should().Contain($"| check | level | {March} | {August} | rule |");
        md.Should().Contain($"| {Success.FlatSchema.Id} | MUST | **SKIPPED** | **FAIL** |");
        md.Should().Contain($"| {Authentication.UnknownProject.Id} | MUST | PASS | PASS |");
        md.Should().Contain(drift.Answer).And.Contain("## Drift");
        md.Split('\n').Count(l => l.StartsWith("| CREATE-", StringComparison.Ordinal)).Should().Be(RuleBook.All.Count, "one row per check");
        var html = drift.Html();
        html.Should().Contain("<section id=\"drift\">").And.Contain(drift.Answer, "the answer has nothing to escape");
        html.Should().Contain("id=\"grid\"", "the report's grid of the two runs follows");
    }

    [Test]
    public void In_strict_mode_a_NON_STRICT_check_counts_against_its_revision()
    {
        var should = RuleBook.All.First(r => r.Level == Level.Should && r.AppliesIn(March) && r.AppliesIn(August));
        var march = Run(March) is var m ? m with { Checks = m.Checks.Select(c => c.Id == should.Id ? c with { Outcome = Outcome.NonStrict, Violations = 1 } : c).ToList() } : null!;

        LiveDrift.Of(march, Run(August)).Implements.Should().Equal(March, August);
        LiveDrift.Of(march with { Strict = true }, Run(August) with { Strict = true }).Implements.Should().Equal(August);
    }

    [Test]
    public void Two_runs_of_one_revision_are_refused()
    {
        var act = () => LiveDrift.Of(Run(March), Run(March));
        act.Should().Throw<ArgumentException>().WithMessage("*both runs are held to 2026-03-18*");
    }
}
