using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.ReferenceServer;
using SipConformance.Reporting;
using SipConformance.Rules;
using SipConformance.Running.Probes;
using SipConformance.SelfTests.Safety;

namespace SipConformance.SelfTests.Report;

/// <summary>
/// The learning phase as a person sees it: against a strict server (quirk sip-safe-text) the report
/// shows what each string field took; against a project that takes only its own numbers, with
/// SIPCONF_CALLER_ID unset, every report starts with the diagnosis naming that setting and the run
/// has no FAIL the refusal caused.
/// </summary>
public sealed partial class HtmlReportBrowserTests
{
    private static Task<ReferenceServer.ReferenceServer> QuirkServerAsync(string quirk) =>
        ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Quirks = [quirk] });

    /// <summary>The verdict the page shows for one field and class of the learned table (null when the cell is missing).</summary>
    private static string? LearnedVerdict(string dom, string field, string cls)
    {
        var m = Regex.Match(dom, $"<td class=\"learned-[a-z]+\" data-field=\"{Regex.Escape(field)}\" data-class=\"{Regex.Escape(System.Net.WebUtility.HtmlEncode(cls))}\" data-verdict=\"([a-z]+)\"");
        return m.Success ? m.Groups[1].Value : null;
    }

    [Test]
    public async Task Against_sip_safe_text_the_report_shows_what_each_string_field_takes()
    {
        await using var server = await QuirkServerAsync("sip-safe-text");
        var w = await RunAndWriteAsync(SafetyRun.Target(server), "learn-sip-safe-text");
        w.Outcome.Failing.Should().BeEmpty("the strict server is correct: what it takes it stores exactly");
        var learned = w.Outcome.Run.LearnedTable!;
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, learned.Lines()));

        var dom = (await HeadlessChromium.LoadAsync(w.Html)).Dom;

        var section = dom.IndexOf("<section id=\"learned\">", StringComparison.Ordinal);
        section.Should().BePositive("the learned table is on the page");
        section.Should().BeLessThan(FirstGridCell(dom), "it comes before the grid");
        var expected = new (string Field, string Class, string Verdict)[]
        {
            (FieldNames.Username, "lower-case letters", LearnedEntry.Stored),
            (FieldNames.Username, "upper-case letters", LearnedEntry.Stored),
            (FieldNames.Username, "space", LearnedEntry.Refused),
            (FieldNames.Username, "punctuation -_.!~", LearnedEntry.Stored),
            (FieldNames.Username, "punctuation &=+$", LearnedEntry.Refused),
            (FieldNames.Username, "punctuation \"#%:<", LearnedEntry.Refused),
            (FieldNames.Username, LearnProbe.SplitClass('&'), LearnedEntry.Refused),
            (FieldNames.SendAs, LearnProbe.SplitClass('/'), LearnedEntry.Refused),
            (FieldNames.Username, "Cyrillic", LearnedEntry.Refused),
            (FieldNames.Username, "outside the BMP", LearnedEntry.Refused),
            (FieldNames.Username, LearnProbe.LengthClass(64), LearnedEntry.Stored),
            (FieldNames.Username, LearnProbe.LengthClass(255), LearnedEntry.Refused),
            (FieldNames.SendAs, LearnProbe.LengthClass(1), LearnedEntry.Stored),
            (FieldNames.SendAs, "a control character", LearnedEntry.Refused),
            (FieldNames.CallerId, "lower-case letters", LearnedEntry.Refused),
            (FieldNames.CallerId, LearnProbe.LengthClass(1), LearnedEntry.Refused),
        };
        foreach (var (field, cls, verdict) in expected)
        {
            LearnedVerdict(dom, field, cls).Should().Be(verdict, $"{field} / {cls} on the page");
            learned.Fields.Single(f => f.Field == field).Classes.Single(c => c.Class == cls).Verdict.Should().Be(verdict, $"{field} / {cls} in the findings");
        }
        dom.Should().NotContain("data-verdict=\"mangled\"").And.NotContain("data-verdict=\"other\"");
        learned.BaselineStatus.Should().Be(200);
        learned.Creates.Should().Be(60 + 2 * 23, "60, and the 23 characters of the five punctuation groups username and send_as refuse, each alone");
        learned.Fields.Single(f => f.Field == FieldNames.CallerId).Classes.Should().NotContain(c => c.Class.EndsWith(LearnProbe.SplitSuffix, StringComparison.Ordinal),
            "caller_id refuses letters: a character between letters would say nothing of it");
        w.Outcome.Run.ProbeRequests[LearnProbe.PhaseName].Should().Be(16 * 3 + 44 + 46, "the 16 creates taken are read back and deleted, the 90 refused cost one request (the README's count)");
        learned.BaselineRefusedByCallerId.Should().BeFalse();

        // The same table in the findings file, the banner and the Markdown summary.
        var doc = FindingsDocument.Load(Path.Combine(w.Dir, Reports.FindingsFileName));
        doc.Learned.Should().BeEquivalentTo(learned);
        doc.Banner.Should().Contain($"SipConformance: learned {FieldNames.Username}: 7 of 42 stored (lower-case letters, upper-case letters, digits, punctuation -_.!~, punctuation *'(), length 32, length 64), 35 refused")
            .And.Contain($"SipConformance: learned {FieldNames.CallerId}: none of 20 stored, 20 refused");
        File.ReadAllText(Path.Combine(w.Dir, Reports.SummaryFileName)).Should().Contain("## What the target takes")
            .And.Contain($"| {FieldNames.Username} | lower-case letters, upper-case letters, digits, punctuation -_.!~, punctuation *'(),");
    }

    [Test]
    public async Task A_project_taking_only_its_own_numbers_without_SIPCONF_CALLER_ID_is_diagnosed_and_nothing_fails_for_it()
    {
        await using var server = await QuirkServerAsync("caller-id-own-numbers");
        var w = await RunAndWriteAsync(SafetyRun.Target(server), "learn-caller-id");
        w.Outcome.Run.Settings.CallerId.Should().BeNull();
        w.Outcome.Failing.Select(r => r.Check.Id).Should().BeEmpty("the contract lets a project take only its own numbers: the refusal is a diagnosis, not a FAIL");
        w.Outcome.Run.Findings.All.Where(r => r.Outcome == Outcome.NonStrict).Select(r => r.Check.Id).Should().BeEmpty("nor a NON-STRICT finding (a 422 naming caller_id when username was varied)");
        w.Outcome.Run.LearnedTable!.BaselineRefusedByCallerId.Should().BeTrue();
        var status = w.Outcome[Success.Status];
        status.Outcome.Should().Be(Outcome.Skipped);
        status.SkipReason.Should().Contain(SettingsLoader.CallerId).And.Contain("refuses the generated caller id");

        var dom = (await HeadlessChromium.LoadAsync(w.Html)).Dom;

        var diagnosis = Regex.Match(dom, "<li class=\"diagnosis\" data-diagnosis=\"caller-id\">.*?</li>", RegexOptions.Singleline);
        diagnosis.Success.Should().BeTrue("the baseline was refused for its generated caller id");
        dom.IndexOf("data-diagnosis=", StringComparison.Ordinal).Should().Be(diagnosis.Index + "<li class=\"diagnosis\" ".Length, "it is the first diagnosis");
        diagnosis.Index.Should().BeLessThan(FirstGridCell(dom));
        diagnosis.Value.Should().Contain("the target refuses the generated caller id").And.Contain($"set {SettingsLoader.CallerId} to a number the project owns");
        dom.Should().Contain($"data-check=\"{Success.Status.Id}\" data-outcome=\"{Outcome.Skipped.Label()}\"");
        File.ReadAllText(Path.Combine(w.Dir, Reports.SummaryFileName)).Should().Contain($"**Diagnosis (caller-id):** the target refuses the generated caller id")
            .And.Contain(SettingsLoader.CallerId);

        // With the setting, the same project passes strict and nothing is diagnosed.
        var given = await RunAndWriteAsync(SafetyRun.Target(server), "learn-caller-id-given", configure: s => s with { CallerId = server.CallerId, Strict = true });
        given.Outcome.Failing.Should().BeEmpty();
        given.Outcome.Run.Findings.All.Should().NotContain(r => r.Outcome == Outcome.NonStrict);
        given.Outcome.Run.LearnedTable!.BaselineRefusedByCallerId.Should().BeFalse();
        given.Outcome[Success.Status].Outcome.Should().Be(Outcome.Pass);
        File.ReadAllText(given.Html).Should().NotContain("data-diagnosis=\"caller-id\"");
    }
}
