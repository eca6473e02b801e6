using FluentAssertions;
using NUnit.Framework;
using SipConformance.Reporting.Html;

namespace SipConformance.Tests.Reporting;

public class FindingsDocumentTests
{
    /// <summary>A findings file as runs wrote it before the report's fields were added.</summary>
    private const string Older = """
        {
          "contract_revision": "2026-03-18", "target": "embedded reference server", "project_id": "p", "profile": "smoke",
          "seed": 9, "run_marker": "abc", "strict": false, "verdict": "SipConformance verdict: FAIL: 1 checks", "coverage": null, "notes": ["cleanup: x"],
          "checks": [
            { "id": "CREATE-OK-004", "level": "MUST", "area": "success", "title": "type is sip_endpoint", "clause": "MUST: type is sip_endpoint",
              "outcome": "FAIL", "passes": 0, "violations": 3, "requests": 3, "skip_reason": null,
              "evidence": [ { "case": "c", "message": "type is \"x\"", "exchange": null } ] }
          ]
        }
        """;

    [Test]
    public void A_file_without_the_report_s_fields_still_loads_and_renders()
    {
        var doc = FindingsDocument.Parse(Older);

        doc.Failed.Should().BeTrue();
        doc.Checks.Single().Evidence.Single().Message.Should().Be("type is \"x\"");
        doc.CreateStatuses.Should().BeNull();
        doc.Combinations.Should().BeNull();
        Diagnoses.From(doc).Should().BeEmpty("nothing in it says the verdict is less than it seems");
        HtmlReport.Render(doc).Should().Contain("data-check=\"CREATE-OK-004\" data-outcome=\"FAIL\"").And.NotContain("id=\"combinations\"");
    }

    [Test]
    public void A_document_that_is_not_one_is_refused()
    {
        FluentActions.Invoking(() => FindingsDocument.Parse("null")).Should().Throw<InvalidDataException>();
        FluentActions.Invoking(() => FindingsDocument.Parse("{\"checks\": 3}")).Should().Throw<System.Text.Json.JsonException>();
    }
}
