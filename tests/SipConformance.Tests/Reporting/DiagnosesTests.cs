using FluentAssertions;
using NUnit.Framework;
using SipConformance.Rules;
using SipConformance.Configuration;
using SipConformance.Findings;
using SipConformance.Reporting.Html;

namespace SipConformance.Tests.Reporting;

public class DiagnosesTests
{
    private static IReadOnlyList<string> Keys(FindingsDocument d) => Diagnoses.From(d).Select(x => x.Key).ToList();

    private static CheckEntry Skip(CheckEntry c, string reason, params string[] settings) =>
        c with { Outcome = Outcome.Skipped, Passes = 0, Requests = 0, SkipReasons = [reason], SkipSettings = settings };

    [Test]
    public void A_healthy_run_has_none()
    {
        Diagnoses.From(ReportSamples.Document()).Should().BeEmpty();
    }

    [Test]
    public void Most_creates_answered_401_names_the_credentials_first()
    {
        var doc = ReportSamples.Document() with
        {
            CreateStatuses = new Dictionary<string, int> { ["401"] = 40, ["200"] = 2 },
            ResourceConfigured = false,
        };

        var d = Diagnoses.From(doc);

        d[0].Key.Should().Be("credentials");
        d[0].Cause.Should().Contain("40 of the run's 42 creates were answered 401");
        d[0].Fix.Should().Contain(SettingsLoader.ProjectId).And.Contain(SettingsLoader.ApiToken);
        Keys(doc with { CreateStatuses = new Dictionary<string, int> { ["401"] = 21, ["200"] = 21 } }).Should().NotContain("credentials", "half is not most");
    }

    [Test]
    public void Schema_failures_that_are_the_later_revision_s_answer_are_one_cause()
    {
        var probe = new SchemaRevisionProbeEntry(Success.Schema.Id, "2026-08-21", "SipEndpointResponse", Held: 1, Failed: 30, Examined: 20, ValidUnderRevision: 20, Unreadable: 0);
        var doc = ReportSamples.Document() with { SchemaRevisionProbe = probe };

        var d = Diagnoses.From(doc).Single();

        d.Key.Should().Be("schema-revision");
        d.Cause.Should().Contain("30 of 31 200 bodies fail FabricSipEndpointResponse").And.Contain("2026-08-21").And.Contain("the one cause of those FAILs");
        d.Checks.Should().Equal(Success.Schema.Id);
        Keys(doc with { SchemaRevisionProbe = probe with { ValidUnderRevision = 3 } }).Should().BeEmpty("most kept bodies are not that revision's either");
        Keys(doc with { SchemaRevisionProbe = probe with { Held = 40 } }).Should().BeEmpty("most 200 bodies pass the schema");
        Keys(doc with { SchemaRevisionProbe = probe with { Examined = 0, ValidUnderRevision = 0 } }).Should().BeEmpty("no body could be read");
    }

    [Test]
    public void No_resource_id_and_no_second_project_name_their_settings()
    {
        var doc = ReportSamples.Document(c => c.Id == Isolation.Read.Id || c.Id == Isolation.Delete.Id ? Skip(c, "no second project") : c)
            with { ResourceConfigured = false, SecondProjectConfigured = false };

        var d = Diagnoses.From(doc);

        d.Select(x => x.Key).Should().Equal("resource", "isolation");
        d[0].Fix.Should().Contain(SettingsLoader.ResourceId);
        d[1].Fix.Should().Contain(SettingsLoader.SecondProjectId).And.Contain(SettingsLoader.SecondApiToken);
        d[1].Checks.Should().BeEquivalentTo(Isolation.Read.Id, Isolation.Delete.Id);
    }

    [Test]
    public void A_skip_reason_naming_the_resource_setting_is_enough_for_saved_files_without_the_flag()
    {
        var doc = ReportSamples.Document(c => c.Id == Echo.ResourceId.Id ? Skip(c, $"3 row(s) not sent: set {SettingsLoader.ResourceId}", SettingsLoader.ResourceId) : c) with { ResourceConfigured = null };

        Diagnoses.From(doc).Single().Should().Match<Diagnosis>(d => d.Key == "resource" && d.Checks.Single() == Echo.ResourceId.Id);
    }

    [Test]
    public void A_check_that_sent_nothing_is_named_with_its_reason()
    {
        var doc = ReportSamples.Document(c => c.Id == Validation.EmptyList.Id ? Skip(c, "nothing applied") : c);

        var d = Diagnoses.From(doc).Single();

        d.Key.Should().Be("sent-nothing");
        d.Cause.Should().Contain(Validation.EmptyList.Id).And.Contain("nothing applied");
    }

    [Test]
    public void The_rate_limit_check_skipped_for_want_of_429s_is_no_gap()
    {
        Diagnoses.From(ReportSamples.Document(c => c.Id == Http.RateLimit.Id ? Skip(c, "no 429 was met") : c)).Should().BeEmpty();
    }

    [Test]
    public void Rate_limiting_and_the_run_budget_name_theirs()
    {
        var doc = ReportSamples.Document(c =>
            c.Id == Http.RateLimit.Id ? ReportSamples.Failing(c, new Violation("create", "429 for 120 s"))
            : c.Id == Http.CompleteAnswer.Id ? ReportSamples.Failing(c, new Violation("the whole run", $"ran out of its time budget (30 min, {SettingsLoader.RunBudget})") { Settings = [SettingsLoader.RunBudget] })
            : c);

        var d = Diagnoses.From(doc);

        d.Select(x => x.Key).Should().Equal("rate-limit", "run-budget");
        d[0].Fix.Should().Contain(SettingsLoader.RateLimitBudget);
        d[1].Fix.Should().Contain(SettingsLoader.RunBudget);
    }
}
