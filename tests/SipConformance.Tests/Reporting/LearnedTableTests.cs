using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Reporting;
using SipConformance.Reporting.Html;
using SipConformance.Rules;

namespace SipConformance.Tests.Reporting;

/// <summary>
/// The learned table as data: it goes through the findings file and back, an older file without it
/// still reads, merge refuses shards that learned otherwise (naming the field and class), the
/// Markdown summary and the HTML page show it, and a baseline refused for its caller id is the first diagnosis.
/// </summary>
[TestFixture]
public sealed class LearnedTableTests
{
    private static LearnedEntry Table(string usernameUpper = LearnedEntry.Stored, bool byCallerId = false, int baseline = 200) => new(baseline, byCallerId, 4,
    [
        new(FieldNames.Username, [new("lower-case letters", LearnedEntry.Stored, 200), new("upper-case letters", usernameUpper, usernameUpper == LearnedEntry.Stored ? 200 : 422), new("space", LearnedEntry.Refused, 422)]),
        new(FieldNames.CallerId, [new("lower-case letters", LearnedEntry.Refused, 422), new("length 1", LearnedEntry.Other, 400)]),
        new(FieldNames.SendAs, [new("Cyrillic", LearnedEntry.Mangled, 200)]),
    ]);

    private static ShardFindings Shard(int i, LearnedEntry? learned) =>
        new($"shard-dir-{i}", ReportSamples.Document() with { Shard = new ShardEntry(i, 2), RunMarker = $"m{i}", Learned = learned });

    [Test]
    public void The_table_goes_through_the_findings_file_and_an_older_file_without_it_still_reads()
    {
        var doc = ReportSamples.Document() with { Learned = Table() };
        var again = FindingsDocument.Parse(doc.ToJson());
        again.Learned.Should().BeEquivalentTo(Table());
        doc.ToJson().Should().Contain("\"learned\"").And.Contain("\"baseline_refused_by_caller_id\": false");

        var older = ReportSamples.Document();
        older.ToJson().Should().NotContain("\"learned\"", "a run without the phase writes no table");
        FindingsDocument.Parse(older.ToJson()).Learned.Should().BeNull();
    }

    [Test]
    public void Merge_refuses_shards_whose_tables_differ_naming_the_field_and_class()
    {
        Merge.Documents([Shard(1, Table()), Shard(2, Table())]).Learned.Should().BeEquivalentTo(Table(), "shards that learned the same merge, with the table");

        var act = () => Merge.Documents([Shard(1, Table()), Shard(2, Table(usernameUpper: LearnedEntry.Refused))]);
        act.Should().Throw<MergeRefusedException>().WithMessage("*learned tables differ*username / upper-case letters: stored here, refused there*");

        var missing = () => Merge.Documents([Shard(1, Table()), Shard(2, null)]);
        missing.Should().Throw<MergeRefusedException>().WithMessage("*learned tables differ*shard-dir-2 has no learned table*");

        Merge.Documents([Shard(1, null), Shard(2, null)]).Learned.Should().BeNull("older shards without tables still merge");
    }

    [Test]
    public void The_markdown_summary_and_the_html_page_show_the_table()
    {
        var doc = ReportSamples.Document() with { Learned = Table() };
        var md = Reports.Markdown(doc);
        md.Should().Contain("## What the target takes").And.Contain("| username | lower-case letters, upper-case letters | space | - | - |")
            .And.Contain("| caller_id | - | lower-case letters | - | length 1 (400) |").And.Contain("| send_as | - | - | Cyrillic | - |");
        Reports.Markdown(ReportSamples.Document()).Should().NotContain("What the target takes");

        var html = HtmlReport.Render(doc);
        html.Should().Contain("<section id=\"learned\">")
            .And.Contain("data-field=\"username\" data-class=\"space\" data-verdict=\"refused\"")
            .And.Contain("data-field=\"send_as\" data-class=\"Cyrillic\" data-verdict=\"mangled\"")
            .And.Contain("data-field=\"caller_id\" data-class=\"length 1\" data-verdict=\"other\">other (400)</td>");
        html.IndexOf("<section id=\"learned\">", StringComparison.Ordinal).Should().BeLessThan(html.IndexOf("<td class=\"cell ", StringComparison.Ordinal));
        HtmlReport.Render(ReportSamples.Document()).Should().NotContain("<section id=\"learned\">");

        Table().Lines().Should().Equal(
            "username: stored lower-case letters, upper-case letters; refused space",
            "caller_id: refused lower-case letters; other: length 1 (400)",
            "send_as: mangled Cyrillic");
        Table().ShortLines().Should().Equal(
            "username: 2 of 3 stored (lower-case letters, upper-case letters), 1 refused",
            "caller_id: none of 2 stored, 1 refused, 1 other (length 1 400)",
            "send_as: none of 1 stored, 1 MANGLED (Cyrillic)");
        new LearnedFieldEntry(FieldNames.SendAs, [new("digits", LearnedEntry.Stored, 200)]).Short().Should().Be("send_as: all 1 stored");
    }

    [Test]
    public void A_baseline_refused_for_its_caller_id_is_the_first_diagnosis_of_every_report()
    {
        var reason = Running.SuiteRun.CallerIdRefusal(422);
        var doc = ReportSamples.Document(c => c.Id == Success.Status.Id ? c with { Outcome = Outcome.Skipped, Passes = 0, Requests = 0, SkipReasons = [reason], SkipSettings = [SettingsLoader.CallerId] } : c)
            with { Learned = Table(byCallerId: true, baseline: 422) };
        var d = Diagnoses.From(doc);
        d[0].Key.Should().Be("caller-id");
        d[0].Cause.Should().Contain("the target refuses the generated caller id").And.Contain("422");
        d[0].Fix.Should().Be($"set {SettingsLoader.CallerId} to a number the project owns");
        d[0].Checks.Should().Contain(Success.Status.Id);
        d.Should().NotContain(x => x.Key == "sent-nothing" && x.Checks.Contains(Success.Status.Id), "the caller id explains it");
        reason.Should().Contain(SettingsLoader.CallerId);

        var md = Reports.Markdown(doc);
        md.IndexOf("**Diagnosis (caller-id):**", StringComparison.Ordinal).Should().BePositive().And.BeLessThan(md.IndexOf("| check |", StringComparison.Ordinal));
        HtmlReport.Render(doc).Should().Contain("data-diagnosis=\"caller-id\"");

        Diagnoses.From(ReportSamples.Document() with { Learned = Table() }).Should().NotContain(x => x.Key == "caller-id");
    }
}
