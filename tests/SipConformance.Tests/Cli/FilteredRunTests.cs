using System.Xml.Linq;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Cli;
using SipConformance.Configuration;
using SipConformance.Findings;
using SipConformance.Reporting;
using SipConformance.Rules;

namespace SipConformance.Tests.Cli;

/// <summary>
/// `sipconf run --filter CREATE-AUTH` against the embedded reference server, in process: it passes, every CREATE-AUTH
/// check is judged (PASS, as in a full run against the correct server), every other check is SKIPPED "not run", and the
/// verdict line, the findings document, the JUnit file, the Markdown summary and the HTML report name the filter.
/// </summary>
[TestFixture]
public sealed class FilteredRunTests
{
    private const string LeftOut = "not run: left out by --filter CREATE-AUTH";

    [Test]
    public async Task Run_with_filter_CREATE_AUTH_judges_the_auth_checks_only_and_names_the_filter()
    {
        var artifacts = Directory.CreateTempSubdirectory("sipconf-filter-run-").FullName;
        var env = new Dictionary<string, string?>
        {
            [SettingsLoader.Artifacts] = artifacts, [SettingsLoader.Seed] = "20261206", [SettingsLoader.Profile] = "smoke",
        };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await CommandLine.RunAsync(["run", "--progress", "0", "--filter", "CREATE-AUTH"], stdout, stderr, n => env.GetValueOrDefault(n));

        var output = stdout.ToString();
        code.Should().Be(CommandLine.Ok, output + stderr);
        var auth = RuleBook.All.Count(r => r.Section == Authentication.Section);
        output.Should().Contain($"(filter: CREATE-AUTH; {auth} of {RuleBook.All.Count} checks run)", "the verdict line names the filter")
            .And.Contain("SipConformance verdict: PASS")
            .And.MatchRegex(@"filter CREATE-AUTH: \d+ of \d+ checks judged, the others SKIPPED \(not run\); phases left out: learn, combinations, negative, strings, isolation, lifecycle, malformed, properties, concurrency, pact");

        var doc = FindingsDocument.Load(Path.Combine(artifacts, Reports.FindingsFileName));
        doc.Filter.Should().Equal("CREATE-AUTH");
        doc.Checks.Should().HaveCount(RuleBook.All.Count);
        foreach (var c in doc.Checks)
            if (c.Id.StartsWith("CREATE-AUTH-", StringComparison.Ordinal))
            {
                c.Outcome.Should().Be(Outcome.Pass, c.Id);
                c.Requests.Should().BePositive(c.Id);
            }
            else
            {
                c.Outcome.Should().Be(Outcome.Skipped, c.Id);
                c.SkipReasons.Should().Equal([LeftOut], c.Id);
                c.Requests.Should().Be(0, c.Id);
            }
        doc.ReplayLine.Should().Contain("SIPCONF_FILTER=CREATE-AUTH");

        var junit = XDocument.Load(Path.Combine(artifacts, Reports.JUnitFileName));
        var cases = junit.Descendants("testcase").ToList();
        cases.Should().HaveCount(RuleBook.All.Count);
        foreach (var tc in cases)
        {
            var skipped = tc.Element("skipped");
            if (((string)tc.Attribute("name")!).StartsWith("CREATE-AUTH-", StringComparison.Ordinal)) skipped.Should().BeNull();
            else ((string?)skipped?.Attribute("message") ?? skipped?.Value).Should().Contain(LeftOut, (string)tc.Attribute("name")!);
        }
        File.ReadAllText(Path.Combine(artifacts, Reports.SummaryFileName)).Should().Contain("(filter: CREATE-AUTH;");
        File.ReadAllText(Path.Combine(artifacts, SipConformance.Reporting.Html.HtmlReport.FileName)).Should().Contain("<th>filter</th><td>CREATE-AUTH:");
    }

    [Test]
    public async Task The_flag_wins_over_SIPCONF_FILTER_and_takes_a_section_name_with_commas()
    {
        var artifacts = Directory.CreateTempSubdirectory("sipconf-filter-run-").FullName;
        var env = new Dictionary<string, string?>
        {
            [SettingsLoader.Artifacts] = artifacts, [SettingsLoader.Seed] = "20261206", [SettingsLoader.Profile] = "smoke",
            [SettingsLoader.Filter] = "CREATE-TYPO",
        };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var heading = Listing.Section.Heading;
        heading.Should().Contain(",", "the case this test is about");

        var code = await CommandLine.RunAsync(["run", "--progress", "0", "--filter", heading], stdout, stderr, n => env.GetValueOrDefault(n));

        code.Should().Be(CommandLine.Ok, stdout.ToString() + stderr);
        var lists = RuleBook.All.Count(r => r.Section == Listing.Section);
        stdout.ToString().Should().Contain($"(filter: {heading}; {lists} of {RuleBook.All.Count} checks run)");
        var doc = FindingsDocument.Load(Path.Combine(artifacts, Reports.FindingsFileName));
        doc.Filter.Should().Equal(heading);
        // As in an unfiltered run against the correct server (CREATE-LIST-003 is the later revision's: SKIPPED "not in revision").
        doc.Checks.Where(c => c.Id.StartsWith("CREATE-LIST-", StringComparison.Ordinal)).Should().OnlyContain(c => !FindingsDocument.LeftOut(c) && c.Outcome != Outcome.Fail);
        doc.Checks.Single(c => c.Id == Listing.Shape.Id).Outcome.Should().Be(Outcome.Pass);
        doc.Checks.Single(c => c.Id == Listing.OwnProjectOnly.Id).Outcome.Should().Be(Outcome.Pass);
        doc.Checks.Where(c => !c.Id.StartsWith("CREATE-LIST-", StringComparison.Ordinal)).Should().OnlyContain(c => FindingsDocument.LeftOut(c));
        doc.ReplayLine.Should().EndWith("SIPCONF_FILTER=CREATE-LIST-", "a replay names the section by its ID prefix: no quoting, no comma");
    }
}
