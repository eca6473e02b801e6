using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Cli;
using SipConformance.Configuration;
using SipConformance.Rules;
using SipConformance.Running;

namespace SipConformance.Tests.Cli;

/// <summary>`sipconf list` (every check of docs/RULES.md), `sipconf --version`, and the flags of `sipconf run` over the environment.</summary>
[TestFixture]
public sealed partial class ListAndRunFlagsTests
{
    private sealed record Result(int Code, string Out, string Err);

    private static async Task<Result> Sipconf(IReadOnlyDictionary<string, string?>? env, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr, name => env is not null && env.TryGetValue(name, out var v) ? v : null);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The checks docs/RULES.md lists: (ID, level, title) of each "### ID [LEVEL] Title" heading, and its quoted clause.</summary>
    private static List<(string Id, string Level, string Title, string Clause)> ChecksOfRulesMd()
    {
        var root = RepositoryPaths.Root ?? throw new InvalidOperationException("no repository root");
        var text = File.ReadAllText(Path.Combine(root, RulesDocument.RelativePath));
        return RuleHeading().Matches(text).Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value.TrimEnd(), m.Groups[4].Value.TrimEnd())).ToList();
    }

    [Test]
    public async Task List_prints_every_check_of_RULES_md_with_its_level_section_title_and_clause()
    {
        var expected = ChecksOfRulesMd();
        expected.Should().HaveCountGreaterThan(50, "docs/RULES.md lists the whole rule book");

        var r = await Sipconf(null, "list");
        r.Code.Should().Be(CommandLine.Ok, r.Err);
        var lines = r.Out.Split('\n');
        foreach (var (id, level, title, clause) in expected)
        {
            var at = Array.FindIndex(lines, l => l.StartsWith(id + " ", StringComparison.Ordinal));
            at.Should().BeGreaterThanOrEqualTo(0, $"{id} is listed");
            lines[at].Should().MatchRegex($@"^{Regex.Escape(id)}\s+{level}\s+\S.*\s{Regex.Escape(title)}$");
            lines[at + 1].Trim().Should().Be("> " + clause);
        }
        lines.Count(l => l.StartsWith("CREATE-", StringComparison.Ordinal)).Should().Be(expected.Count, "nothing but the checks of RULES.md");
        r.Out.Should().Contain($"{expected.Count} checks in");
    }

    [Test]
    public async Task List_as_json_carries_the_same_checks_in_the_same_order()
    {
        var expected = ChecksOfRulesMd();
        var r = await Sipconf(null, "list", "--format", "json");
        r.Code.Should().Be(CommandLine.Ok, r.Err);
        using var json = JsonDocument.Parse(r.Out);
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToList();
        checks.Select(c => (c.GetProperty("id").GetString()!, c.GetProperty("level").GetString()!, c.GetProperty("title").GetString()!, c.GetProperty("clause").GetString()!))
            .Should().Equal(expected);
        checks.Should().OnlyContain(c => c.GetProperty("id").GetString()!.StartsWith(c.GetProperty("sectionPrefix").GetString()! + "-", StringComparison.Ordinal)
            && c.GetProperty("section").GetString()!.Length > 0);
    }

    [Test]
    public async Task List_refuses_an_unknown_format_with_exit_2()
    {
        var r = await Sipconf(null, "list", "--format", "yaml");
        r.Code.Should().Be(CommandLine.Usage);
        r.Err.Should().Contain("yaml");
    }

    [Test]
    public async Task Version_prints_the_assembly_s_informational_version()
    {
        var r = await Sipconf(null, "--version");
        r.Code.Should().Be(CommandLine.Ok, r.Err);
        r.Out.Trim().Should().MatchRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$");
    }

    [Test]
    public void The_run_flags_win_over_the_environment_which_stays_the_fallback()
    {
        var flags = RunFlags.Create();
        var run = new Command("run");
        foreach (var flag in flags) run.Options.Add(flag.Option);
        var env = new Dictionary<string, string?>
        {
            [SettingsLoader.Space] = "example.signalwire.com",
            [SettingsLoader.Seed] = "1",
            [SettingsLoader.Profile] = "smoke",
            [SettingsLoader.Strict] = "false",
            [SettingsLoader.ProjectId] = "p",
            [SettingsLoader.ApiToken] = "t",
        };
        var parsed = run.Parse(["--base-url", "http://127.0.0.1:9/", "--seed", "20261205", "--strict", "--artifacts", "out-dir"]);
        parsed.Errors.Should().BeEmpty();

        var seen = RunFlags.Over(parsed, flags, n => env.GetValueOrDefault(n));
        seen(SettingsLoader.BaseUrl).Should().Be("http://127.0.0.1:9/");
        seen(SettingsLoader.Space).Should().BeNull("a base URL on the command line overrides SIGNALWIRE_SPACE too");
        seen(SettingsLoader.Seed).Should().Be("20261205");
        seen(SettingsLoader.Strict).Should().Be("true");
        seen(SettingsLoader.Artifacts).Should().Be("out-dir");
        seen(SettingsLoader.Profile).Should().Be("smoke", "no --profile: the environment's");
        seen(SettingsLoader.ApiToken).Should().Be("t");

        var settings = SettingsLoader.Load(seen, new Dictionary<string, string?>());
        settings.BaseUrl.Should().Be(new Uri("http://127.0.0.1:9/"));
        settings.Seed.Should().Be(20261205);
        settings.Strict.Should().BeTrue();

        var none = RunFlags.Over(run.Parse([]), flags, n => env.GetValueOrDefault(n));
        foreach (var name in env.Keys) none(name).Should().Be(env[name], "without flags the environment is what the run sees");
    }

    [Test]
    public async Task Run_has_no_flag_for_a_secret()
    {
        var help = await Sipconf(null, "run", "--help");
        help.Out.Should().Contain("--base-url").And.Contain("--profile").And.Contain("--seed").And.Contain("--strict").And.Contain("--artifacts");
        RunFlags.Create().Select(f => f.Variable).Should().NotContain([SettingsLoader.ApiToken, SettingsLoader.SecondApiToken, SettingsLoader.FallbackApiToken]);
        help.Out.Should().NotContainAny("--api-token", "--token", "--password");
        (await Sipconf(null, "run", "--api-token", "x")).Code.Should().Be(CommandLine.Usage);
    }

    [TestCase(new[] { "run", "--base-url", "http://127.0.0.1:9/" }, "SIPCONF_PROJECT_ID")]
    [TestCase(new[] { "run", "--base-url", "ftp://example" }, "ftp://example")]
    [TestCase(new[] { "run", "--profile", "sometimes" }, "sometimes")]
    [TestCase(new[] { "run", "--seed", "soon" }, "soon")]
    public async Task A_wrong_flag_value_is_a_configuration_error_before_anything_is_sent(string[] args, string said)
    {
        var r = await Sipconf(null, args);
        r.Code.Should().Be(CommandLine.Usage, r.Out + r.Err);
        r.Err.Should().Contain(said);
    }

    [GeneratedRegex(@"^### (CREATE-[A-Z]+-\d+) \[([A-Z]+)\] (.+)\n\n> (.+)$", RegexOptions.Multiline)]
    private static partial Regex RuleHeading();
}
