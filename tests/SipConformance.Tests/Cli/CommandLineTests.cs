using SipConformance.Findings;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Cli;
using SipConformance.Configuration;
using SipConformance.Reporting.Html;
using SipConformance.Tests.Reporting;

namespace SipConformance.Tests.Cli;

/// <summary>The `sipconf` command line in process: verbs, help, exit codes, and the report verb (no HTTP).</summary>
[TestFixture]
public sealed class CommandLineTests
{
    private sealed record Result(int Code, string Out, string Err);

    private static async Task<Result> Sipconf(IReadOnlyDictionary<string, string?>? env, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr, name => env is not null && env.TryGetValue(name, out var v) ? v : null);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    [TestCase("run", "Run the suite")]
    [TestCase("report", "Build one self-contained HTML page")]
    [TestCase("cleanup", "Delete what conformance runs left")]
    [TestCase("merge", "Merge the shards of one run")]
    public async Task Each_verb_answers_help_with_its_description_options_and_exit_codes(string verb, string description)
    {
        foreach (var help in new[] { "--help", "-h" })
        {
            var r = await Sipconf(null, verb, help);
            r.Code.Should().Be(CommandLine.Ok, r.Err);
            r.Out.Should().Contain(description).And.Contain("Usage:").And.Contain($"sipconf {verb}").And.Contain("Exit code");
        }
    }

    [Test]
    public async Task The_overview_lists_every_verb_on_help_and_on_stderr_with_exit_2_without_one()
    {
        var help = await Sipconf(null, "--help");
        help.Code.Should().Be(CommandLine.Ok);
        foreach (var verb in new[] { "run", "report", "cleanup", "merge" }) help.Out.Should().MatchRegex($@"(?m)^\s+{verb}\s+\S");

        var none = await Sipconf(null);
        none.Code.Should().Be(CommandLine.Usage);
        none.Err.Should().Contain("usage: sipconf VERB");
        none.Out.Should().BeEmpty();
    }

    [TestCase(new[] { "vacuum" }, "unknown command 'vacuum'")]
    [TestCase(new[] { "run", "--progress", "-1" }, "--progress takes a number of seconds")]
    [TestCase(new[] { "run", "--progress", "soon" }, "soon")]
    [TestCase(new[] { "run", "--bogus" }, "Unrecognized command or argument '--bogus'")]
    [TestCase(new[] { "run", "--settings", "/nonexistent/x.runsettings" }, "--settings: no file")]
    [TestCase(new[] { "report" }, "Required argument 'RUN.json' missing")]
    [TestCase(new[] { "report", "/nonexistent/sipconformance-findings.json" }, "no findings file")]
    [TestCase(new[] { "merge" }, "Required argument 'DIR' missing")]
    [TestCase(new[] { "merge", "/nonexistent/shard-1" }, "sipconf merge: refused")]
    public async Task A_wrong_command_line_is_exit_code_2_with_a_message_and_no_stack_trace(string[] args, string message)
    {
        var r = await Sipconf(null, args);

        r.Code.Should().Be(CommandLine.Usage, r.Out + r.Err);
        r.Err.Should().Contain(message).And.NotContain("   at ");
    }

    [Test]
    public async Task Run_with_a_wrong_setting_is_exit_code_2_before_anything_starts()
    {
        var r = await Sipconf(new Dictionary<string, string?> { [SettingsLoader.Profile] = "bogus" }, "run", "--progress", "0");

        r.Code.Should().Be(CommandLine.Usage);
        r.Err.Should().Contain("sipconf run:").And.Contain(SettingsLoader.Profile);
        r.Out.Should().NotContain("contract revision", "no banner: the run did not start");
    }

    [Test]
    public async Task Run_reads_the_settings_file_parameters_under_the_environment()
    {
        var dir = Directory.CreateTempSubdirectory("sipconf-cli-").FullName;
        var file = Path.Combine(dir, "bad.runsettings");
        File.WriteAllText(file, """
            <RunSettings><TestRunParameters><Parameter name="SIPCONF_SEED" value="not-a-number" /></TestRunParameters></RunSettings>
            """);

        var fromFile = await Sipconf(null, "run", "--settings", file, "--progress", "0");
        fromFile.Code.Should().Be(CommandLine.Usage, "the file's parameter is read");
        fromFile.Err.Should().Contain(SettingsLoader.Seed);
    }

    [Test]
    public async Task Report_puts_several_findings_files_on_one_page_one_column_each_redacting_the_environments_token()
    {
        var dir = Directory.CreateTempSubdirectory("sipconf-cli-report-").FullName;
        var before = ReportSamples.Document(c => c.Id == "CREATE-AUTH-002" ? ReportSamples.Failing(c, new Violation("wrong token", $"accepted token {ReportSamples.Token}")) : c);
        var after = ReportSamples.Document() with { Seed = 7 };
        File.WriteAllText(Path.Combine(dir, "before.json"), before.ToJson());
        Directory.CreateDirectory(Path.Combine(dir, "after"));
        File.WriteAllText(Path.Combine(dir, "after", "sipconformance-findings.json"), after.ToJson());
        var output = Path.Combine(dir, "out", "runs.html");

        var r = await Sipconf(new Dictionary<string, string?> { [SettingsLoader.ApiToken] = ReportSamples.Token },
            "report", Path.Combine(dir, "before.json"), Path.Combine(dir, "after"), "--output", output);

        r.Code.Should().Be(CommandLine.Ok, r.Err);
        r.Out.Should().Contain("2 run(s) on one page").And.Contain(output).And.Contain("verdict: FAIL").And.Contain("verdict: PASS");
        var html = File.ReadAllText(output);
        html.Should().Contain("<th>run 1 (smoke, seed 4242, m4rk3r)</th>").And.Contain("<th>run 2 (smoke, seed 7, m4rk3r)</th>");
        html.Should().Contain("CREATE-AUTH-002");
        html.Should().NotContain(ReportSamples.Token, "the page goes through the redactor with the environment's credentials");
    }

    [Test]
    public async Task Report_refuses_a_file_that_is_not_a_findings_file()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("sipconf-cli-report-").FullName, "junk.json");
        File.WriteAllText(file, "{\"hello\": 1}");

        var r = await Sipconf(null, "report", file);

        r.Code.Should().Be(CommandLine.Usage);
        r.Err.Should().Contain("is not a SipConformance findings file");
    }
}
