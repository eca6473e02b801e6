using SipConformance.Findings;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Reporting.Html;

namespace SipConformance.Tests.Reporting;

public class FindingsDocumentTests
{
    [Test]
    public void A_document_round_trips_through_its_one_serialiser()
    {
        var doc = ReportSamples.Document(c => c.Id == SipConformance.Rules.Success.Type.Id
            ? ReportSamples.Failing(c, ReportSamples.Shown("c", "type is \"x\"", 200, "{\"type\":\"x\"}")) : c);

        var again = FindingsDocument.Parse(doc.ToJson());

        again.ToJson().Should().Be(doc.ToJson());
        again.Failed.Should().BeTrue();
        again.Checks.Single(c => c.Id == SipConformance.Rules.Success.Type.Id).Evidence.Single().Exchanges.Single().ResponseBody.Should().Be("{\"type\":\"x\"}");
        Diagnoses.From(again).Should().BeEmpty("nothing in it says the verdict is less than it seems");
        HtmlReport.Render(again).Should().Contain("data-check=\"CREATE-OK-004\" data-outcome=\"FAIL\"");
    }

    [Test]
    public void A_document_that_is_not_one_is_refused()
    {
        FluentActions.Invoking(() => FindingsDocument.Parse("null")).Should().Throw<InvalidDataException>();
        FluentActions.Invoking(() => FindingsDocument.Parse("{\"checks\": 3}")).Should().Throw<InvalidDataException>();
    }

    [Test]
    public void The_filter_is_an_optional_field_a_file_without_it_reads_as_unfiltered_and_one_with_it_round_trips()
    {
        var unfiltered = ReportSamples.Document();
        var json = unfiltered.ToJson();
        json.Should().NotContain("\"filter\"", "a run without a filter writes the file as before");
        var read = FindingsDocument.Parse(json);
        read.Filter.Should().BeNull();
        read.FormatVersion.Should().Be(FindingsDocument.CurrentFormat);
        read.Verdict.Should().NotContain("filter");

        var filtered = unfiltered with
        {
            Filter = ["CREATE-AUTH"],
            Checks = [.. unfiltered.Checks.Select(c => c.Id.StartsWith("CREATE-AUTH-", StringComparison.Ordinal) ? c
                : c with { Outcome = Outcome.Skipped, Passes = 0, Requests = 0, SkipReasons = ["not run: left out by --filter CREATE-AUTH"] })],
        };
        var back = FindingsDocument.Parse(filtered.ToJson());
        back.Filter.Should().Equal("CREATE-AUTH");
        var auth = back.Checks.Count(c => c.Id.StartsWith("CREATE-AUTH-", StringComparison.Ordinal));
        back.Verdict.Should().EndWith($"(filter: CREATE-AUTH; {auth} of {back.Checks.Count} checks run)");
        HtmlReport.Render(back).Should().Contain($"<th>filter</th><td>CREATE-AUTH: {auth} of {back.Checks.Count} checks run");
        SipConformance.Reporting.Reports.Markdown(back).Should().Contain("(filter: CREATE-AUTH;");
    }
}
