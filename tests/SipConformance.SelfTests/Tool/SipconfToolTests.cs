using System.IO.Compression;
using System.Text.Json;
using SipConformance.Findings;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Cli;
using SipConformance.Configuration;
using SipConformance.Pact;
using SipConformance.Pact.Engine;
using SipConformance.ReferenceServer;
using SipConformance.Reporting.Html;
using SipConformance.SelfTests.Safety;

namespace SipConformance.SelfTests.Tool;

/// <summary>
/// The packed `sipconf` tool, installed from the local package and run from a folder outside the
/// clone against a reference server in this process: PASS (exit 0) on the correct server, exit 1
/// on a faulty one, exit 2 on a wrong configuration; and the same findings as `dotnet test
/// tests/SipConformance.Conformance` on the same seed.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class SipconfToolTests
{
    private const string Seed = "20261203";
    private const string Marker = "7001c0de";

    private static Dictionary<string, string?> Env(ReferenceServer.ReferenceServer server, string artifacts)
    {
        var env = TargetVariables.Of(server);
        env[SettingsLoader.Profile] = "smoke";
        env[SettingsLoader.Seed] = Seed;
        env[SettingsLoader.RunMarker] = Marker;
        env[SettingsLoader.Artifacts] = artifacts;
        env[PactWorkflow.PactDirVariable] = Path.Combine(artifacts, "pacts");
        return env;
    }

    private static void NoTokenIn(string text, ReferenceServer.ReferenceServer server)
    {
        foreach (var token in new[] { server.Primary.ApiToken, server.Secondary.ApiToken })
            text.Should().NotContain(token, "no token reaches what the tool prints or writes");
    }

    private static string Everything(ChildResult result, string artifacts) =>
        result.All + string.Concat(Directory.EnumerateFiles(artifacts, "*", SearchOption.AllDirectories).Select(File.ReadAllText));

    [Test]
    public async Task The_package_carries_the_engine_library_of_every_supported_platform_listed_for_the_runtime()
    {
        var (package, _) = await SipconfTool.PackageAsync();
        using var zip = ZipFile.OpenRead(package);
        const string root = "tools/net10.0/any/";
        var libraries = zip.Entries.Select(e => e.FullName).Where(n => n.StartsWith(root + "runtimes/", StringComparison.Ordinal))
            .Select(n => n[root.Length..]).Order(StringComparer.Ordinal).ToList();
        TestContext.Out.WriteLine("native libraries in " + Path.GetFileName(package) + ":\n  " + string.Join("\n  ", libraries));
        libraries.Should().BeEquivalentTo(PactPlatforms.Supported.Select(p => p.NativePath), "one FFI library per supported runtime identifier, in the runtimes/{rid}/native/ layout");
        foreach (var platform in PactPlatforms.Supported)
            zip.GetEntry(root + platform.NativePath)!.Length.Should().BeGreaterThan(1_000_000, $"{platform.NativePath} is the engine, not a placeholder");
        zip.Entries.Should().NotContain(e => e.Name == "libpact_ffi.so" && !e.FullName.Contains("/runtimes/", StringComparison.Ordinal),
            "no library beside the application: the runtime picks the one of its identifier");

        // The deps.json lists each library as a native asset of its identifier: that is what the host resolves.
        using var deps = JsonDocument.Parse(zip.GetEntry(root + "sipconf.deps.json")!.Open());
        var app = deps.RootElement.GetProperty("targets").EnumerateObject().Single().Value.EnumerateObject()
            .Single(l => l.Name.StartsWith("sipconf/", StringComparison.Ordinal)).Value;
        app.GetProperty("runtimeTargets").EnumerateObject()
            .Select(t => (t.Name, Rid: t.Value.GetProperty("rid").GetString(), Type: t.Value.GetProperty("assetType").GetString()))
            .Should().BeEquivalentTo(PactPlatforms.Supported.Select(p => (p.NativePath, (string?)p.RuntimeIdentifier, (string?)"native")));
    }

    [Test]
    public async Task The_installed_tool_says_the_version_it_was_packed_with()
    {
        var (_, version) = await SipconfTool.PackageAsync();
        version.Should().MatchRegex(@"^\d+\.\d+\.\d+-dev\.\d+\.g[0-9a-f]{7,}(\.dirty\.h[0-9a-f]{10})?$", "a clone packs a commit-derived pre-release");
        var result = await SipconfTool.RunAsync(new Dictionary<string, string?>(), SafetyRun.TempDirectory("tool-version"), "sipconf --version", "--version");
        result.Code.Should().Be(CommandLine.Ok);
        result.Out.Trim().Should().Be(version);
    }

    [Test]
    public async Task The_installed_tool_passes_the_correct_server_and_its_findings_equal_dotnet_test_on_the_same_seed()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions());
        var toolArtifacts = SafetyRun.TempDirectory("tool-pass");
        var testArtifacts = SafetyRun.TempDirectory("tool-pass-dotnet-test");

        var tool = await SipconfTool.RunAsync(Env(server, toolArtifacts), SafetyRun.TempDirectory("tool-cwd"), "sipconf run", "run", "--progress", "1");
        var test = await ChildProcess.ConformanceSuiteAsync(Env(server, testArtifacts), SafetyRun.TempDirectory("tool-pass-results"), "dotnet test");

        tool.Code.Should().Be(CommandLine.Ok, "the correct server passes:\n" + SafetyRun.Clip(tool.All, 4000));
        test.Code.Should().Be(0, "dotnet test passes the same server:\n" + SafetyRun.Clip(test.All, 4000));
        tool.Out.Should().Contain("SipConformance verdict: PASS").And.Contain($"seed {Seed}, run marker {Marker}");
        tool.Err.Should().MatchRegex(@"sipconf: \d\d:\d\d probes \d+/\d+ done", "a progress line is printed while the run is under way");

        var fromTool = FindingsDocument.Load(Path.Combine(toolArtifacts, "sipconformance-findings.json"));
        var fromTest = FindingsDocument.Load(Path.Combine(testArtifacts, "sipconformance-findings.json"));
        fromTool.Verdict.Should().Be(fromTest.Verdict);
        (fromTool.Seed, fromTool.Profile, fromTool.RunMarker, fromTool.ContractRevision).Should().Be((fromTest.Seed, fromTest.Profile, fromTest.RunMarker, fromTest.ContractRevision));
        fromTool.Checks.Select(c => (c.Id, c.Outcome, c.Requests, c.Passes, c.Violations, c.SkipReason))
            .Should().Equal(fromTest.Checks.Select(c => (c.Id, c.Outcome, c.Requests, c.Passes, c.Violations, c.SkipReason)),
                "the tool runs the same probes with the same settings as dotnet test: every check, its outcome and its counts agree");
        fromTool.Combinations.Should().BeEquivalentTo(fromTest.Combinations);
        foreach (var name in new[] { "sipconformance-junit.xml", "sipconformance-summary.md", HtmlReport.FileName })
            File.Exists(Path.Combine(toolArtifacts, name)).Should().BeTrue($"the tool writes {name} as a run does");
        Directory.EnumerateFiles(Path.Combine(toolArtifacts, "pacts"), "*.json").Should().NotBeEmpty("the tool exports the pact through the engine it carries");
        server.EndpointCount(server.Primary.ProjectId).Should().Be(0, "the tool cleans up what it created");
        NoTokenIn(Everything(tool, toolArtifacts), server);
    }

    [Test]
    public async Task The_installed_tool_fails_a_faulty_server_with_exit_code_1_and_says_why()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Faults = ["auth-wrong-token-accepted"] });
        var artifacts = SafetyRun.TempDirectory("tool-fail");

        var tool = await SipconfTool.RunAsync(Env(server, artifacts), SafetyRun.TempDirectory("tool-cwd"), "sipconf run (faulty)", "run", "--progress", "0");

        tool.Code.Should().Be(CommandLine.Failed, SafetyRun.Clip(tool.All, 4000));
        tool.Out.Should().Contain("SipConformance verdict: FAIL");
        tool.Out.Should().MatchRegex(@"CREATE-AUTH-002\s+MUST\s+FAIL", "the summary table names the failing check");
        tool.Out.Should().Contain("CREATE-AUTH-002 [MUST]", "the failing check is explained, as dotnet test's failure message does");
        tool.Err.Should().NotContain("probes", "--progress 0 prints no progress line");
        var findings = FindingsDocument.Load(Path.Combine(artifacts, "sipconformance-findings.json"));
        findings.Checks.Single(c => c.Id == "CREATE-AUTH-002").Outcome.Should().Be(Outcome.Fail);
        NoTokenIn(Everything(tool, artifacts), server);
    }

    [TestCase("SIPCONF_PROFILE", "bogus", "SIPCONF_PROFILE")]
    [TestCase("SIPCONF_BASE_URL", "ftp://example.invalid/", "SIPCONF_BASE_URL")]
    public async Task A_wrong_configuration_is_exit_code_2_with_a_sentence_and_nothing_sent(string name, string value, string named)
    {
        var tool = await SipconfTool.RunAsync(new Dictionary<string, string?> { [name] = value, [SettingsLoader.Artifacts] = SafetyRun.TempDirectory("tool-usage") },
            SafetyRun.TempDirectory("tool-cwd"), "sipconf run (misconfigured)", "run");

        tool.Code.Should().Be(CommandLine.Usage, tool.All);
        tool.Err.Should().Contain(named).And.NotContain("   at ", "a configuration error is a sentence, not a stack trace");
        tool.Out.Should().NotContain("verdict", "nothing ran");
    }

    [Test]
    public async Task Every_verb_answers_help()
    {
        foreach (var verb in new[] { "run", "report", "cleanup" })
        {
            var help = await SipconfTool.RunAsync(new Dictionary<string, string?>(), SafetyRun.TempDirectory("tool-cwd"), $"sipconf {verb} --help", verb, "--help");
            help.Code.Should().Be(CommandLine.Ok, help.All);
            help.Out.Should().Contain("Usage:").And.Contain($"sipconf {verb} ").And.Contain("Exit code");
        }
    }
}
