using FluentAssertions;
using NUnit.Framework;
using SipConformance.Cli;
using SipConformance.Configuration;

namespace SipConformance.Tests.Cli;

/// <summary>`sipconf drift --live`'s command line: what it refuses with exit 2 before sending anything.</summary>
public class LiveDriftCommandTests
{
    private static async Task<(int Code, string Out, string Err)> Sipconf(Dictionary<string, string?> env, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr, name => env.TryGetValue(name, out var v) ? v : null);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Test]
    public async Task Run_options_without_live_are_refused()
    {
        var (code, _, err) = await Sipconf([], "drift", "--profile", "smoke");
        code.Should().Be(CommandLine.Usage);
        err.Should().Contain("--profile only with --live");
    }

    [Test]
    public async Task Revision_is_no_option_of_drift_it_runs_both()
    {
        var (code, _, err) = await Sipconf([], "drift", "--live", "--revision", "2026-08-21");
        code.Should().Be(CommandLine.Usage);
        err.Should().Contain("--revision");
    }

    [Test]
    public async Task One_revision_twice_is_refused()
    {
        var (code, _, err) = await Sipconf([], "drift", "--live", "--from", "2026-03-18", "--to", "2026-03-18");
        code.Should().Be(CommandLine.Usage);
        err.Should().Contain("compares two revisions");
    }

    [Test]
    public async Task A_base_url_without_credentials_is_a_configuration_error_and_nothing_is_sent()
    {
        var (code, stdout, err) = await Sipconf(new() { [SettingsLoader.BaseUrl] = "http://127.0.0.1:9/" }, "drift", "--live");
        code.Should().Be(CommandLine.Usage);
        err.Should().Contain(SettingsLoader.ApiToken);
        stdout.Should().BeEmpty();
    }

    [Test]
    public async Task The_help_says_the_exit_codes_of_live()
    {
        var (code, stdout, _) = await Sipconf([], "drift", "--help");
        code.Should().Be(CommandLine.Ok);
        stdout.Should().Contain("--live").And.Contain("it implements neither").And.Contain("--base-url").And.NotContain("--revision <REVISION>", "the runs take both revisions; --from and --to name them");
    }
}
