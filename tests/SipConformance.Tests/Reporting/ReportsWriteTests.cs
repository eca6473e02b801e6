using FluentAssertions;
using NUnit.Framework;
using SipConformance.Rules;
using SipConformance.Findings;
using SipConformance.Reporting;
using SipConformance.Reporting.Html;
using SipConformance.Target;
using SipConformance.Tests.Rules;

namespace SipConformance.Tests.Reporting;

[NonParallelizable]
public class ReportsWriteTests
{
    [Test]
    public async Task A_run_writes_the_html_page_from_its_findings_file_and_the_job_summary_without_the_token()
    {
        var dir = Directory.CreateTempSubdirectory("sipconf-report-").FullName;
        var summary = Path.Combine(dir, "step-summary.md");
        var before = Environment.GetEnvironmentVariable(StepSummary.Variable);
        Environment.SetEnvironmentVariable(StepSummary.Variable, summary);
        try
        {
            await using var run = ReportSamples.Run(dir);
            var leaky = Exchanges.Response(200, $"{{\"type\":\"sip_credential\",\"echo\":\"{ReportSamples.Token}\"}}");
            run.Findings.Violate(Success.Type, new Violation("a case", $"type is wrong (token {ReportSamples.Token})") { Exchanges = [ExchangeRecord.Of(leaky)] });
            run.Findings.Pass(Success.Status);
            run.Api.CreateStatuses[200] = 3;

            var paths = Reports.Write(run, dir, null, [$"a note quoting {ReportSamples.Token}"]);

            var html = Path.Combine(dir, HtmlReport.FileName);
            paths.Should().Contain(html);
            var doc = FindingsDocument.Load(Path.Combine(dir, "sipconformance-findings.json"));
            doc.Checks.Should().HaveCount(RuleBook.All.Count);
            doc.ReplayLine.Should().Be("SIPCONF_SEED=4242 SIPCONF_RUN_MARKER=" + run.Identity.Marker + " SIPCONF_PROFILE=smoke");
            doc.ResourceConfigured.Should().BeFalse();
            doc.SecondProjectConfigured.Should().BeFalse();
            doc.CreateStatuses.Should().BeEquivalentTo(new Dictionary<string, int> { ["200"] = 3 });
            doc.SchemaRevisionProbe!.Check.Should().Be(Success.Schema.Id);
            doc.Combinations!.Cells.Should().BeEmpty("the sweep did not run");
            doc.ReplayFor(Success.Type.Id).Should().EndWith($"dotnet test tests/SipConformance.Conformance --filter \"Name~{Success.Type.Id}\"");
            var page = File.ReadAllText(html);
            page.Should().Contain($"data-check=\"{Success.Type.Id}\" data-outcome=\"FAIL\"").And.Contain("data-diagnosis=\"resource\"").And.Contain("data-diagnosis=\"isolation\"");
            File.ReadAllText(summary).Should().StartWith("# SipConformance run").And.Contain($"| {Success.Type.Id} | MUST | FAIL |");
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
                File.ReadAllText(file).Should().NotContain(ReportSamples.Token[..20], $"{Path.GetFileName(file)} holds no token");
            page.Should().Contain("[REDACTED]");
        }
        finally
        {
            Environment.SetEnvironmentVariable(StepSummary.Variable, before);
        }
    }
}
