using System.Text;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Reporting;

namespace SipConformance.Tests.Reporting;

public class StepSummaryTests
{
    [Test]
    public void Appends_the_summary_to_the_file_and_nothing_when_the_variable_is_unset()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "earlier step\n");

        StepSummary.Append("# SipConformance run\n\n| a | b |", path).Should().Be(path);

        File.ReadAllText(path).Should().Be("earlier step\n# SipConformance run\n\n| a | b |\n");
        StepSummary.Append("x", path: "").Should().BeNull();
    }

    [Test]
    public void A_summary_larger_than_1_MiB_is_cut_at_a_line_with_a_note_and_the_file_stays_within_the_limit()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, new string('e', 1000) + "\n");
        var line = "| CREATE-OK-001 | MUST | FAIL | 12 | Zoë ünïcödé rule text |";
        var big = string.Join('\n', Enumerable.Repeat(line, 2 * StepSummary.Limit / line.Length));
        Encoding.UTF8.GetByteCount(big).Should().BeGreaterThan(StepSummary.Limit);

        StepSummary.Append(big, path);

        var bytes = new FileInfo(path).Length;
        bytes.Should().BeLessThanOrEqualTo(StepSummary.Limit).And.BeGreaterThan(StepSummary.Limit - 1000);
        var text = File.ReadAllText(path);
        text.Should().Contain("summary cut to stay within GitHub's 1 MiB");
        text.Split('\n').Where(l => l.StartsWith("| CREATE", StringComparison.Ordinal)).Should().OnlyContain(l => l == line, "it is cut between lines");
    }

    [Test]
    public void Fit_keeps_what_fits_whole()
    {
        StepSummary.Fit("short", 100).Should().Be("short\n");
        StepSummary.Fit("line one\nline two\n", 300).Should().Be("line one\nline two\n");
        StepSummary.Fit(new string('x', 500), 50).Should().BeEmpty("not even the note fits");
    }
}
