using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Rules;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.ReferenceServer;
using SipConformance.Reporting;
using SipConformance.Reporting.Html;
using SipConformance.Running;
using SipConformance.SelfTests.Safety;

namespace SipConformance.SelfTests.Report;

/// <summary>
/// The HTML report as a person sees it: the suite runs against the reference server (a faulty
/// one, a correct one the configuration leaves half-checked, one whose every answer is 401),
/// writes its reports, and headless Chromium opens the page from disk. The DOM it built must hold
/// the failing checks' cells and details and the diagnoses before the grid; the page must start
/// no network request and hold no token; a screenshot is saved beside it.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class HtmlReportBrowserTests
{
    /// <summary>A fault that fails CREATE-OK-004 (type is not sip_endpoint).</summary>
    private static readonly Fault TypeWrong = FaultCatalogue.Get("type-wrong");

    [SetUp]
    public void NeedsChromium() => HeadlessChromium.Require();

    private sealed record Written(string Html, RunOutcome Outcome, string Dir);

    /// <summary>Runs the suite, writes its reports (the job summary into the run's own folder) and returns the page's path.</summary>
    private static async Task<Written> RunAndWriteAsync(ResolvedTarget target, string label, int iterations = 2, Func<SuiteSettings, SuiteSettings>? configure = null)
    {
        var dir = SafetyRun.TempDirectory($"report-{label}");
        var settings = SafetyRun.Settings(dir, iterations: iterations);
        var outcome = await SafetyRun.RunAsync(configure is null ? settings : configure(settings), target, label);
        var summary = Environment.GetEnvironmentVariable(StepSummary.Variable);
        Environment.SetEnvironmentVariable(StepSummary.Variable, Path.Combine(dir, "step-summary.md"));
        try { Reports.Write(outcome.Run, dir, outcome.Cleanup); }
        finally { Environment.SetEnvironmentVariable(StepSummary.Variable, summary); }
        await outcome.Run.DisposeAsync();
        var html = Path.Combine(dir, HtmlReport.FileName);
        TestContext.Out.WriteLine($"{label}: {html}");
        return new Written(html, outcome, dir);
    }

    private static int FirstGridCell(string dom) => dom.IndexOf("<td class=\"cell ", StringComparison.Ordinal);

    [Test]
    public async Task A_faulty_server_s_failing_checks_show_as_cells_and_details_and_the_page_loads_nothing()
    {
        await using var server = await SafetyRun.ServerAsync(TypeWrong.Id);
        var w = await RunAndWriteAsync(SafetyRun.Target(server), "type-wrong");
        var failing = w.Outcome.Failing.Select(r => r.Check.Id).ToList();
        failing.Should().Contain(Success.Type.Id, $"{TypeWrong.Id} breaks {Success.Type.Id}");

        var page = await HeadlessChromium.LoadAsync(w.Html, DetailId(0, Success.Type.Id));

        foreach (var id in failing)
        {
            page.Dom.Should().Contain($"<td class=\"cell o-fail\" data-check=\"{id}\" data-outcome=\"FAIL\"", $"{id} FAILed: its cell is there");
            page.Dom.Should().Contain($"<details class=\"check\" id=\"{DetailId(0, id)}\" data-check=\"{id}\" data-outcome=\"FAIL\"", $"{id} FAILed: its details are there");
        }
        var details = Regex.Match(page.Dom, $"<details class=\"check\" id=\"{DetailId(0, Success.Type.Id)}\"[^>]*>.*?</details>", RegexOptions.Singleline).Value;
        details.Should().Contain(" open=\"\"", "the page's script opened the details its address points at")
            .And.Contain("type is").And.Contain("&lt;- 200 after").And.Contain("<pre class=\"curl\">curl -sS -i -X POST")
            .And.Contain($"Name~{Success.Type.Id}");
        page.Dom.Should().NotContain("data-diagnosis=\"credentials\"");

        var html = File.ReadAllText(w.Html);
        page.PageRequests.Should().BeEmpty("the page loads nothing: no network request at all");
        Attributes().Matches(html).Select(m => m.Groups[1].Value).Should().NotContain(v => v.StartsWith("http:", StringComparison.OrdinalIgnoreCase) || v.StartsWith("https:", StringComparison.OrdinalIgnoreCase) || v.StartsWith("//", StringComparison.Ordinal));
        page.Dom.Should().Contain("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'");
        foreach (var token in new[] { server.Primary.ApiToken, server.Secondary.ApiToken })
        {
            html.Should().NotContain(token);
            page.Dom.Should().NotContain(token);
        }

        var png = Path.ChangeExtension(w.Html, ".png");
        await HeadlessChromium.ScreenshotAsync(w.Html, png);
        File.ReadAllBytes(png).Take(8).Should().Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A });
        TestContext.AddTestAttachment(png, "the report as Chromium drew it");
    }

    [Test]
    public async Task No_resource_id_and_no_second_project_are_diagnosed_before_the_grid()
    {
        await using var server = await SafetyRun.ServerAsync();
        var target = Targets.Embedded(server.BaseUrl, server.Primary.ProjectId, server.Primary.ApiToken, resourceId: null, secondProjectId: null, secondToken: null);
        var w = await RunAndWriteAsync(target, "half-configured");

        var dom = (await HeadlessChromium.LoadAsync(w.Html)).Dom;

        foreach (var key in new[] { "resource", "isolation" })
        {
            var at = dom.IndexOf($"data-diagnosis=\"{key}\"", StringComparison.Ordinal);
            at.Should().BePositive($"the {key} diagnosis is shown");
            at.Should().BeLessThan(FirstGridCell(dom), "diagnoses come before the grid");
        }
        dom.Should().Contain(SettingsLoader.ResourceId).And.Contain(SettingsLoader.SecondProjectId).And.Contain(SettingsLoader.SecondApiToken);
        dom.Should().Contain($"data-check=\"{Isolation.Read.Id}\" data-outcome=\"{Outcome.Skipped.Label()}\"");
    }

    [Test]
    public async Task A_target_that_answers_401_to_everything_is_diagnosed_first()
    {
        await using var server = await SafetyRun.ServerAsync();
        var target = Targets.Embedded(server.BaseUrl, server.Primary.ProjectId, "not-the-token-" + Guid.NewGuid(), server.Primary.ResourceId, null, null);
        var w = await RunAndWriteAsync(target, "all-401");

        var dom = (await HeadlessChromium.LoadAsync(w.Html)).Dom;

        var credentials = dom.IndexOf("data-diagnosis=\"credentials\"", StringComparison.Ordinal);
        credentials.Should().BePositive("most creates were answered 401");
        credentials.Should().BeLessThan(FirstGridCell(dom));
        dom.IndexOf("data-diagnosis=", StringComparison.Ordinal).Should().Be(credentials, "it is the first diagnosis");
        dom.Should().Contain(SettingsLoader.ApiToken);
    }

    [Test]
    public async Task A_server_answering_the_later_revision_s_schema_gets_one_diagnosis_for_its_schema_failures()
    {
        await using var server = await SafetyRun.ServerAsync();
        await using var proxy = await ForwardingProxy.StartAsync(server.BaseUrl, rewrite: (ctx, answer) =>
            answer.Status == 200 && ctx.Request.Method == "POST" ? answer with { Body = LaterRevision(answer.Body) } : answer);
        var w = await RunAndWriteAsync(SafetyRun.Target(server) with { BaseUrl = proxy.BaseUrl }, "later-revision");
        w.Outcome[Success.Schema].Outcome.Should().Be(Outcome.Fail);

        var dom = (await HeadlessChromium.LoadAsync(w.Html)).Dom;

        var diagnosis = Regex.Match(dom, "<li class=\"diagnosis\" data-diagnosis=\"schema-revision\">.*?</li>", RegexOptions.Singleline);
        diagnosis.Success.Should().BeTrue("the 200 bodies are the later revision's answer");
        diagnosis.Index.Should().BeLessThan(FirstGridCell(dom));
        diagnosis.Value.Should().Contain(RevisionResponseSchema.LaterRevision).And.Contain(RevisionResponseSchema.Later.Name).And.Contain("the one cause of those FAILs");
        Regex.Matches(dom, "data-diagnosis=\"schema-revision\"").Count.Should().Be(1, "it is said once");
    }

    [Test]
    public async Task A_shrunk_property_failure_shows_beside_its_nearest_passing_payload()
    {
        await using var server = await SafetyRun.ServerAsync(PassthroughAsDefault.Id);
        var w = await RunAndWriteAsync(SafetyRun.Target(server), "property", iterations: 6);
        w.Outcome[Properties.ValidAccepted].Outcome.Should().Be(Outcome.Fail, $"{PassthroughAsDefault.Id} breaks {Properties.ValidAccepted.Id}");

        var dom = (await HeadlessChromium.LoadAsync(w.Html)).Dom;

        var details = Regex.Match(dom, $"<details class=\"check\" id=\"{DetailId(0, Properties.ValidAccepted.Id)}\"[^>]*>.*?</details>", RegexOptions.Singleline).Value;
        details.Should().Contain("<th>shrunk failing payload</th><th>nearest passing payload</th>");
        var rows = Regex.Matches(details, "<tr( class=\"diff\")? data-field=\"([^\"]+)\"><td><code>[^<]*</code></td><td><code>([^<]*)</code></td><td><code>([^<]*)</code></td>");
        rows.Should().NotBeEmpty();
        rows.Where(r => r.Groups[1].Success).Should().NotBeEmpty("the fields the two differ in are marked");
        rows.Should().OnlyContain(r => r.Groups[1].Success == (r.Groups[3].Value != r.Groups[4].Value), "exactly the differing fields are marked");
        rows.Single(r => r.Groups[2].Value == FieldNames.CallHandler).Groups[3].Value.Should().Contain(PassthroughHandler, "the shrunk payload keeps what the fault needs");
    }

    /// <summary>A fault that echoes call_handler passthrough as default: every payload with passthrough fails CREATE-PROP-001.</summary>
    private static readonly Fault PassthroughAsDefault = FaultCatalogue.Get("echo-passthrough-as-default");

    private static string PassthroughHandler => SipContract.Default.CallHandlers.Single(h => PassthroughAsDefault.Id.Contains($"-{h}-as-", StringComparison.Ordinal));

    /// <summary>A create answer turned into the later revision's shape: the endpoint's fields at the top level, every required one present.</summary>
    private static byte[] LaterRevision(byte[] body)
    {
        var answer = JsonNode.Parse(body)!.AsObject();
        var flat = new JsonObject();
        foreach (var name in RevisionResponseSchema.Later.Required)
            flat[name] = (answer[name] ?? answer[ResponseFields.SipEndpoint]?[name])?.DeepClone();
        flat[FieldNames.CallHandler] = null; // the later revision's call handlers have other names
        return Encoding.UTF8.GetBytes(flat.ToJsonString());
    }

    [Test]
    public async Task Two_saved_runs_make_one_page_with_a_column_each()
    {
        await using var correct = await SafetyRun.ServerAsync();
        await using var faulty = await SafetyRun.ServerAsync(TypeWrong.Id);
        var runs = new List<FindingsDocument>();
        foreach (var (server, label) in new[] { (correct, "correct"), (faulty, "faulty") })
            runs.Add(FindingsDocument.Load(Path.Combine((await RunAndWriteAsync(SafetyRun.Target(server), $"two-{label}")).Dir, "sipconformance-findings.json")));
        var page = Path.Combine(SafetyRun.TempDirectory("report-two"), HtmlReport.FileName);
        await File.WriteAllTextAsync(page, HtmlReport.Render(runs));

        var dom = (await HeadlessChromium.LoadAsync(page)).Dom;

        dom.Should().Contain($"<th>{HtmlReport.Label(runs, 0)}</th>").And.Contain($"<th>{HtmlReport.Label(runs, 1)}</th>");
        var row = Regex.Match(dom, $"<tr data-check=\"{Success.Type.Id}\">.*?</tr>", RegexOptions.Singleline).Value;
        Regex.Matches(row, "data-outcome=\"([A-Z-]+)\" data-run=\"(\\d)\"").Select(m => $"{m.Groups[2].Value}:{m.Groups[1].Value}")
            .Should().Equal("0:PASS", "1:FAIL");
        dom.Should().Contain($"id=\"{DetailId(0, Success.Type.Id)}\"").And.Contain($"id=\"{DetailId(1, Success.Type.Id)}\"");
    }

    [Test]
    public async Task The_net_log_check_sees_a_request_a_page_makes()
    {
        var dir = SafetyRun.TempDirectory("report-canary");
        var file = Path.Combine(dir, "canary.html");
        await File.WriteAllTextAsync(file, "<!DOCTYPE html><html><body><p>canary</p><img src=\"http://127.0.0.1:9/canary.png\"></body></html>");

        var page = await HeadlessChromium.LoadAsync(file);

        page.Dom.Should().Contain("canary");
        page.PageRequests.Should().Contain("http://127.0.0.1:9/canary.png");
    }

    private static string DetailId(int run, string check) => $"d-{run}-{check}";

    [GeneratedRegex("\\s(?:src|href|action|poster|data)\\s*=\\s*[\"']?([^\"'\\s>]*)", RegexOptions.IgnoreCase)]
    private static partial Regex Attributes();
}
