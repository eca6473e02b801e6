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
}
