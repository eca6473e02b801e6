using FluentAssertions;
using NUnit.Framework;
using SipConformance.Findings;
using SipConformance.Reporting;
using SipConformance.Reporting.Html;
using SipConformance.Rules;
using SipConformance.Tests.Rules;

namespace SipConformance.Tests.Reporting;

/// <summary>Every report of a live run is rendered from its findings document, and the document read back from its file renders the same.</summary>
[NonParallelizable]
public sealed class ReportsFromDocumentTests
{
    [Test]
    public async Task Reports_written_from_the_saved_document_equal_the_live_run_s()
    {
        var dir = Directory.CreateTempSubdirectory("sipconf-report-doc-").FullName;
        await using var run = ReportSamples.Run(dir);
        run.Findings.Violate(Success.Type, new Violation("a case", "type is wrong") { Exchanges = [ExchangeRecord.Of(Exchanges.Response(200, "{\"type\":\"x\"}"))] });
        run.Findings.Pass(Success.Type);
        run.Findings.Pass(Success.Status, 3);
        run.Findings.Violate(Echo.CallerId, new Violation("another case", "caller id differs"));
        run.Findings.Skip(Isolation.Read, "no second project configured", "SIPCONF_SECOND_PROJECT_ID");

        Reports.Write(run, dir, null);
        var doc = FindingsDocument.Load(Path.Combine(dir, Reports.FindingsFileName));

        doc.FormatVersion.Should().Be(FindingsDocument.CurrentFormat);
        doc.Verdict.Should().StartWith("SipConformance verdict: FAIL");
        doc.Failed.Should().BeTrue();
        foreach (var r in run.Findings.All)
            doc.Checks.Single(c => c.Id == r.Check.Id).Explain().Should().Be(r.Explain(), r.Check.Id);
        doc.Checks.Single(c => c.Id == Success.Type.Id).Evidence.Single().Exchanges.Single().Status.Should().Be(200);
        doc.Checks.Single(c => c.Id == Isolation.Read.Id).SkipSettings.Should().Contain("SIPCONF_SECOND_PROJECT_ID");
        doc.Shard.Should().Be(new ShardEntry(1, 1));
        doc.Banner.Should().Be(run.Banner());
        doc.ReplayLine.Should().Be($"SIPCONF_SEED={run.Settings.Seed} SIPCONF_RUN_MARKER={run.Identity.Marker} SIPCONF_PROFILE=smoke");
        Reports.Markdown(doc).Should().Be(File.ReadAllText(Path.Combine(dir, Reports.SummaryFileName)));
        Reports.JUnit(doc).Should().Be(File.ReadAllText(Path.Combine(dir, Reports.JUnitFileName)));

        // Written again from the document alone, into another folder: the same files, the same document.
        var again = Directory.CreateTempSubdirectory("sipconf-report-doc2-").FullName;
        Reports.Write(doc, again);
        foreach (var name in new[] { Reports.JUnitFileName, Reports.SummaryFileName, HtmlReport.FileName, Reports.FindingsFileName })
            File.ReadAllText(Path.Combine(again, name)).Should().Be(File.ReadAllText(Path.Combine(dir, name)), name);
    }

    [Test]
    public void A_document_of_an_older_format_is_refused_with_its_version_named()
    {
        const string format1 = "{\"contract_revision\":\"2026-03-18\",\"target\":\"t\",\"profile\":\"smoke\",\"seed\":1,\"run_marker\":\"m\",\"strict\":false," +
                               "\"verdict\":\"SipConformance verdict: PASS\",\"notes\":[],\"checks\":[]}";

        var act = () => FindingsDocument.Parse(format1);

        act.Should().Throw<InvalidDataException>().WithMessage("*format 1*reads format 2*");
        ((Action)(() => FindingsDocument.Parse("{\"a\":1}"))).Should().Throw<InvalidDataException>().WithMessage("not a findings document*");
    }
}
