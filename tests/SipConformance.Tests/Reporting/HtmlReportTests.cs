using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Rules;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Reporting.Html;
using SipConformance.Target;
using SipConformance.Tests.Rules;

namespace SipConformance.Tests.Reporting;

public partial class HtmlReportTests
{
    private static FindingsDocument FailingType() => ReportSamples.Document(c => c.Id == Success.Type.Id
        ? ReportSamples.Failing(c, new Violation("a valid payload <b>", "type is \"sip_credential\", expected \"sip_endpoint\"")
            { Exchanges = [ExchangeRecord.Of(Exchanges.Response(200, "{\"type\":\"sip_credential\"}"))] })
        : c);

    [Test]
    public void One_column_per_run_one_cell_per_check_grouped_by_area()
    {
        var runs = new[] { FailingType(), ReportSamples.Document() with { Seed = 7 } };

        var html = HtmlReport.Render(runs);

        Regex.Matches(html, "<td class=\"cell ").Count.Should().Be(2 * RuleBook.All.Count);
        html.Should().Contain("<th>run 1 (smoke, seed 4242, m4rk3r)</th>").And.Contain("<th>run 2 (smoke, seed 7, m4rk3r)</th>");
        foreach (var area in RuleBook.All.Select(c => c.Section.Name).Distinct())
            html.Should().Contain($"<tr class=\"area\"><th colspan=\"5\">{area}</th></tr>");
        html.Should().Contain($"data-check=\"{Success.Type.Id}\" data-outcome=\"FAIL\" data-run=\"0\"")
            .And.Contain($"data-check=\"{Success.Type.Id}\" data-outcome=\"PASS\" data-run=\"1\"");
    }

    [Test]
    public void A_failing_check_s_details_hold_clause_exchange_curl_and_replay_escaped()
    {
        var html = HtmlReport.Render(FailingType());

        var details = Regex.Match(html, $"<details class=\"check\" id=\"d-0-{Success.Type.Id}\".*?</details>", RegexOptions.Singleline).Value;
        details.Should().Contain(Html(Success.Type.Clause)).And.Contain("a valid payload &lt;b&gt;")
            .And.Contain("&lt;- 200 after").And.Contain("<pre class=\"curl\">curl -sS -i -X POST")
            .And.Contain($"<code class=\"replay\">SIPCONF_SEED=4242 SIPCONF_RUN_MARKER=m4rk3r dotnet test tests/SipConformance.Conformance --filter &quot;Name~{Success.Type.Id}&quot;</code>", "the replay command runs the one check");
        html.Should().NotContain("<b>\"", "case text is escaped");
        html.IndexOf("id=\"diagnoses\"", StringComparison.Ordinal).Should().BeLessThan(html.IndexOf("<td class=\"cell ", StringComparison.Ordinal));
    }

    [Test]
    public void Diagnoses_come_before_the_grid_with_their_fixes()
    {
        var html = HtmlReport.Render(ReportSamples.Document() with { CreateStatuses = new Dictionary<string, int> { ["401"] = 9 } });

        var diagnosis = html.IndexOf("data-diagnosis=\"credentials\"", StringComparison.Ordinal);
        diagnosis.Should().BePositive();
        diagnosis.Should().BeLessThan(html.IndexOf("<td class=\"cell ", StringComparison.Ordinal));
        HtmlReport.Render(ReportSamples.Document()).Should().Contain("class=\"no-diagnosis\"").And.NotContain("data-diagnosis=");
    }

    [Test]
    public void The_page_loads_nothing_from_anywhere()
    {
        var html = HtmlReport.Render(FailingType());

        html.Should().Contain("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;;");
        SourceOrLink().Matches(html).Select(m => m.Groups[1].Value).Should().OnlyContain(v => v.StartsWith('#'));
        html.Should().NotContainAny("<link", "<img", "<iframe", "@import", "url(");
    }

    [Test]
    public void A_shrunk_property_failure_shows_beside_its_nearest_passing_payload_with_the_differing_field_marked()
    {
        var failing = JsonNode.Parse("{\"username\":\"u\",\"send_as\":\"Zoë\",\"encryption\":\"required\"}")!.AsObject();
        var passing = JsonNode.Parse("{\"username\":\"u\",\"send_as\":\"Zoe\",\"encryption\":\"required\"}")!.AsObject();
        FindingsDocument With(JsonObject? pass) => ReportSamples.Document(c => c.Id == Properties.ValidAccepted.Id
            ? ReportSamples.Failing(c, new Violation("generated", "broke") { Property = new PropertyFailure(failing, "s33d", "CsCheck_Seed=s33d dotnet test", pass) })
            : c);

        var html = HtmlReport.Render(With(passing));
        var without = HtmlReport.Render(With(null));

        Regex.Matches(html, "<tr class=\"diff\" data-field=\"([^\"]+)\"").Select(m => m.Groups[1].Value).Should().Equal(FieldNames.SendAs);
        html.Should().Contain("nearest passing payload").And.Contain("&quot;Zoë&quot;").And.Contain("CsCheck_Seed=s33d");
        without.Should().Contain("shrunk failing payload").And.Contain("no passing neighbour").And.NotContain("class=\"diff\"");
    }

    [Test]
    public void The_combination_heatmap_has_a_cell_per_pair_and_the_tallies_every_value()
    {
        var c = SipContract.Default;
        var cells = c.Encryptions.SelectMany(e => c.CallHandlers.Select(h => new CellEntry($"encryption={e}, call_handler={h}", e, h,
            Rows: h == CallHandlerValues.Resource ? 0 : 4, FailedRows: e == c.Encryptions[0] && h == c.CallHandlers[0] ? 4 : 0,
            Failures: e == c.Encryptions[0] && h == c.CallHandlers[0] ? [new CellFailureEntry(3, "pairwise row 3", [c.Ciphers[0]], [c.Codecs[1]], [Echo.Ciphers.Id])] : [],
            Smallest: null))).ToList();
        var sent = new Dictionary<string, IReadOnlyDictionary<string, int>>
        {
            [FieldNames.Ciphers] = c.Ciphers.ToDictionary(v => v, _ => 5),
            [FieldNames.Codecs] = c.Codecs.ToDictionary(v => v, _ => 3),
        };
        var doc = ReportSamples.Document() with { Combinations = new CombinationsEntry(c.Encryptions, c.CallHandlers, 6, 36, 36, cells, sent) };

        var html = HtmlReport.Render(doc);

        Regex.Matches(html, "<td class=\"hc\" data-cell=").Count.Should().Be(c.Encryptions.Count * (c.CallHandlers.Count - 1));
        Regex.Matches(html, "<td class=\"hc none\">not sent</td>").Count.Should().Be(c.Encryptions.Count);
        html.Should().Contain($"data-cell=\"encryption={c.Encryptions[0]}, call_handler={c.CallHandlers[0]}\" data-failed=\"4\" style=\"background: hsl(0,")
            .And.Contain($"{Echo.Ciphers.Id}</li>");
        foreach (var v in c.Ciphers.Concat(c.Codecs)) html.Should().Contain($"<tr data-value=\"{v}\">");
    }

    private static string Html(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");

    [GeneratedRegex("(?:src|href)\\s*=\\s*\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex SourceOrLink();
}
