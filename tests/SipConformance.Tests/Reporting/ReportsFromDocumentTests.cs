using FluentAssertions;
using NUnit.Framework;
using SipConformance.Findings;
using SipConformance.Reporting;
using SipConformance.Reporting.Html;
using SipConformance.Rules;
using SipConformance.Target;
using SipConformance.Tests.Rules;

namespace SipConformance.Tests.Reporting;

/// <summary>The reports written from a findings document are the ones a live run's findings give (so a merged document reports like a run).</summary>
[NonParallelizable]
public sealed class ReportsFromDocumentTests
{
    [Test]
    public async Task JUnit_table_verdict_and_explanations_from_the_document_equal_the_live_run_s()
    {
        var dir = Directory.CreateTempSubdirectory("sipconf-report-doc-").FullName;
        await using var run = ReportSamples.Run(dir);
        run.Findings.Violate(Success.Type, new Violation("type is wrong", "a case", Evidence.Format(Redactor.Nothing, Exchanges.Response(200, "{\"type\":\"x\"}"))));
        run.Findings.Pass(Success.Type);
        run.Findings.Pass(Success.Status, 3);
        run.Findings.Violate(Echo.CallerId, new Violation("caller id differs", "another case", null));
        run.Findings.Skip(Isolation.Read, "no second project configured");

        Reports.Write(run, dir, null);
        var doc = FindingsDocument.Load(Path.Combine(dir, Reports.FindingsFileName));

        Reports.JUnit(doc).Should().Be(Reports.JUnit(run.Findings, run.Settings.Strict));
        Reports.SummaryTable(doc).Should().Be(Reports.SummaryTable(run.Findings));
        Reports.Verdict(doc).Should().Be(Reports.Verdict(run.Findings, run.Settings.Strict)).And.Be(doc.Verdict).And.StartWith("SipConformance verdict: FAIL");
        foreach (var r in run.Findings.All)
            Reports.Explain(doc.Checks.Single(c => c.Id == r.Check.Id)).Should().Be(r.Explain(), r.Check.Id);
        doc.Shard.Should().Be(new ShardEntry(1, 1));
        doc.Banner.Should().Be(run.Banner());
        Reports.Markdown(doc).Should().Be(File.ReadAllText(Path.Combine(dir, Reports.SummaryFileName)));

        // Written again from the document alone, into another folder: the same files.
        var again = Directory.CreateTempSubdirectory("sipconf-report-doc2-").FullName;
        Reports.Write(doc, again);
        foreach (var name in new[] { Reports.JUnitFileName, Reports.SummaryFileName, HtmlReport.FileName })
            File.ReadAllText(Path.Combine(again, name)).Should().Be(File.ReadAllText(Path.Combine(dir, name)), name);
        FindingsDocument.Load(Path.Combine(again, Reports.FindingsFileName)).Checks.Should().BeEquivalentTo(doc.Checks);
    }
}
