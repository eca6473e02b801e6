using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Cli;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.ReferenceServer;
using SipConformance.Rules;
using SipConformance.Running;
using SipConformance.Target;

namespace SipConformance.SelfTests.Safety;

/// <summary>
/// `sipconf cleanup` end to end: a run "crashes" (it created, and never cleaned up), then the
/// command, configured from the same SIPCONF_* variables, deletes everything it left, by journal
/// and by username marker, and says what it deleted without ever printing a credential.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class CleanupCommandTests
{
    private sealed record CliResult(int Code, string Out, string Err)
    {
        public string All => Out + Err;
    }

    private static Dictionary<string, string?> Env(ReferenceServer.ReferenceServer server, string artifacts) => new()
    {
        [SettingsLoader.BaseUrl] = server.BaseUrl.ToString(),
        [SettingsLoader.ProjectId] = server.Primary.ProjectId,
        [SettingsLoader.ApiToken] = server.Primary.ApiToken,
        [SettingsLoader.SecondProjectId] = server.Secondary.ProjectId,
        [SettingsLoader.SecondApiToken] = server.Secondary.ApiToken,
        [SettingsLoader.Artifacts] = artifacts,
    };

    private static async Task<CliResult> Sipconf(IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr, name => env.TryGetValue(name, out var v) ? v : null);
        var result = new CliResult(code, stdout.ToString(), stderr.ToString());
        TestContext.Out.WriteLine($"$ sipconf {string.Join(' ', args)}  -> exit {code}\n{SafetyRun.Clip(result.All, 4000)}");
        return result;
    }

    /// <summary>A run that creates and keeps everything (cleanup off), then goes away without cleaning up.</summary>
    private static async Task<RunIdentity> CrashedRunAsync(ReferenceServer.ReferenceServer server, string artifacts, string? marker = null)
    {
        var settings = SafetyRun.Settings(artifacts, cleanup: false, iterations: 1);
        var run = new SuiteRun(settings, SafetyRun.Target(server), SipContract.Of(settings.Revision), marker: marker);
        await run.RunAllAsync();
        await run.DisposeAsync(); // no CleanupAsync: the process "crashed"
        return run.Identity;
    }

    private static void NoCredentialIn(string text, ReferenceServer.ReferenceServer server)
    {
        foreach (var token in new[] { server.Primary.ApiToken, server.Secondary.ApiToken })
        {
            text.Should().NotContain(token);
            text.Should().NotContain(AuthHeader.Base64($"{server.Primary.ProjectId}:{token}").TrimEnd('='));
            text.Should().NotContain(AuthHeader.Base64($"{server.Secondary.ProjectId}:{token}").TrimEnd('='));
        }
    }

    [Test]
    public async Task After_a_crashed_run_the_journal_cleanup_deletes_everything_it_created()
    {
        var artifacts = SafetyRun.TempDirectory("cli-journal");
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { PageSize = 7 });
        var identity = await CrashedRunAsync(server, artifacts);
        // The run keeps endpoints in both projects (the lifecycle probe's one in the second project too).
        var left = server.EndpointCount(server.Primary.ProjectId) + server.EndpointCount(server.Secondary.ProjectId);
        left.Should().BeGreaterThan(50, "the crashed run kept what it created");
        server.Usernames(server.Primary.ProjectId).Should().OnlyContain(u => u.StartsWith(identity.UsernamePrefix, StringComparison.Ordinal),
            "every username the run created carries its marker");
        var env = Env(server, artifacts);

        var dry = await Sipconf(env, "cleanup", "--all-journals", "--dry-run");
        dry.Code.Should().Be(CommandLine.Ok);
        dry.Out.Should().Contain($"dry run: {left} endpoint(s) would be deleted");
        (server.EndpointCount(server.Primary.ProjectId) + server.EndpointCount(server.Secondary.ProjectId)).Should().Be(left, "a dry run deletes nothing");

        // The real command, as a person runs it (a process of its own, configured by the environment).
        var real = await SipconfProcessAsync(env, "cleanup", "--all-journals");
        real.Code.Should().Be(CommandLine.Ok, real.All);
        real.Out.Should().Contain($"{left} deleted, 0 already gone, 0 skipped, 0 failed");
        var firstUsername = real.Out.Split('\n').First(l => l.StartsWith("deleted", StringComparison.Ordinal));
        firstUsername.Should().MatchRegex(@"^deleted\s+[0-9a-f-]{36} \(sipconf_[0-9a-f]+_[^)]*\) in the primary project, from journal .+\.jsonl");
        server.EndpointCount(server.Primary.ProjectId).Should().Be(0);
        server.EndpointCount(server.Secondary.ProjectId).Should().Be(0);
        CleanupJournal.Find(artifacts).Should().OnlyContain(j => CleanupJournal.ReadOpen(j).Count == 0, "each deletion is written back to its journal");
        NoCredentialIn(dry.All + real.All, server);

        var again = await Sipconf(env, "cleanup");
        again.Code.Should().Be(CommandLine.Ok);
        again.Out.Should().Contain("0 deleted, 0 already gone, 0 skipped, 0 failed");
    }

    [Test]
    public async Task The_marker_sweep_finds_what_no_journal_holds_across_pages_and_leaves_everything_else_alone()
    {
        var artifacts = SafetyRun.TempDirectory("cli-marker");
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { PageSize = 7 });
        var identity = await CrashedRunAsync(server, artifacts, marker: "c0ffee01");
        foreach (var journal in CleanupJournal.Find(artifacts)) File.Delete(journal); // the journal is lost too
        var left = server.EndpointCount(server.Primary.ProjectId) + server.EndpointCount(server.Secondary.ProjectId);
        left.Should().BeGreaterThan(50);
        await CreateAsync(server, "someone_else_alice");
        await CreateAsync(server, "sipconf_0ther0ne_bob");
        var env = Env(server, artifacts);

        var byMarker = await Sipconf(env, "cleanup", "--marker", identity.Marker);

        byMarker.Code.Should().Be(CommandLine.Ok, byMarker.All);
        byMarker.Out.Should().Contain($"{left} deleted").And.Contain("usernames starting with sipconf_c0ffee01_");
        server.Usernames(server.Primary.ProjectId).Should().BeEquivalentTo(["someone_else_alice", "sipconf_0ther0ne_bob"], "only the marked run's endpoints go");

        var anyMarker = await Sipconf(env, "cleanup", "--any-marker");

        anyMarker.Code.Should().Be(CommandLine.Ok);
        anyMarker.Err.Should().Contain("including those of a run under way right now");
        anyMarker.Out.Should().Contain("(sipconf_0ther0ne_bob)").And.Contain("1 deleted");
        server.Usernames(server.Primary.ProjectId).Should().Equal("someone_else_alice");
        NoCredentialIn(byMarker.All + anyMarker.All, server);
    }

    [Test]
    public async Task A_deletion_that_fails_makes_the_command_exit_non_zero_and_says_which()
    {
        var artifacts = SafetyRun.TempDirectory("cli-fail");
        await using var server = await SafetyRun.ServerAsync();
        var keeper = new DelegateProbe("keeper", async (run, ct) =>
        {
            for (var i = 0; i < 3; i++) await run.ExecuteAsync(run.ValidCase("keeper", i).Named("kept").Build(Success.Status), ct, keep: true);
        });
        await using (var run = new SuiteRun(SafetyRun.Settings(artifacts), SafetyRun.Target(server), SipContract.Default, probes: [keeper]))
            await run.RunAllAsync();
        server.EndpointCount(server.Primary.ProjectId).Should().Be(3);
        var env = Env(server, artifacts);
        env[SettingsLoader.ApiToken] = "PTa-revoked-token-that-no-longer-works";

        var result = await Sipconf(env, "cleanup", "--all-journals");

        result.Code.Should().Be(CommandLine.Failed);
        result.Err.Split('\n').Count(l => l.StartsWith("FAILED", StringComparison.Ordinal) && l.Contains("DELETE answered HTTP 401", StringComparison.Ordinal)).Should().Be(3);
        result.Out.Should().Contain("0 deleted, 0 already gone, 0 skipped, 3 failed");
        server.EndpointCount(server.Primary.ProjectId).Should().Be(3);
        result.All.Should().NotContain("PTa-revoked-token-that-no-longer-works");
        NoCredentialIn(result.All, server);
    }

    [Test]
    public async Task Journal_entries_of_another_target_or_project_are_skipped_not_deleted()
    {
        var artifacts = SafetyRun.TempDirectory("cli-skip");
        await using var server = await SafetyRun.ServerAsync();
        var path = Path.Combine(artifacts, CleanupJournal.Folder, "old-run.jsonl");
        using (var journal = new CleanupJournal(path, new Uri("https://elsewhere.example.test/")))
            journal.Created(new TargetProject("primary", server.Primary.ProjectId, new Secret("x-not-used"), null, "A", "B"), "11111111-1111-4111-8111-111111111111", "sipconf_x_1");
        using (var journal = new CleanupJournal(Path.Combine(artifacts, CleanupJournal.Folder, "other-project.jsonl"), server.BaseUrl))
            journal.Created(new TargetProject("primary", "99999999-9999-4999-8999-999999999999", new Secret("x-not-used"), null, "A", "B"), "22222222-2222-4222-8222-222222222222");

        var result = await Sipconf(Env(server, artifacts), "cleanup", "--all-journals");

        result.Code.Should().Be(CommandLine.Ok);
        result.Out.Should().Contain("it was created on https://elsewhere.example.test/").And.Contain("no credentials are configured").And.Contain("2 skipped");
        server.RequestCount.Should().Be(0, "nothing was sent for entries the command has no business deleting");
    }

    [Test]
    public async Task The_journal_of_a_run_still_going_is_left_alone()
    {
        var artifacts = SafetyRun.TempDirectory("cli-live");
        await using var server = await SafetyRun.ServerAsync();
        var settings = SafetyRun.Settings(artifacts);
        await using var live = new SuiteRun(settings, SafetyRun.Target(server), SipContract.Of(settings.Revision));
        var kept = await live.ExecuteAsync(live.ValidCase("live", 0).Named("an endpoint of a run still going").Build(Success.Status), CancellationToken.None, keep: true);
        kept.CreatedId.Should().NotBeNull();

        var result = await Sipconf(Env(server, artifacts), "cleanup", "--all-journals");

        result.Code.Should().Be(CommandLine.Ok);
        result.Out.Should().Contain("a run that is still going holds it open").And.Contain("1 skipped");
        server.EndpointCount(server.Primary.ProjectId).Should().Be(1, "nothing is deleted from under a live run");
        (await live.CleanupAsync()).Deleted.Should().Be(1);
    }

    [Test]
    public async Task The_command_reads_a_runsettings_file_lets_the_environment_win_and_warns_about_insecure_TLS()
    {
        var artifacts = SafetyRun.TempDirectory("cli-settings");
        await using var server = await SafetyRun.ServerAsync();
        var file = Path.Combine(artifacts, "target.runsettings");
        File.WriteAllText(file, $"""
            <RunSettings>
              <TestRunParameters>
                <Parameter name="SIPCONF_BASE_URL" value="{server.BaseUrl}" />
                <Parameter name="SIPCONF_PROJECT_ID" value="{server.Primary.ProjectId}" />
                <Parameter name="SIPCONF_PROFILE" value="pairwise" />
                <Parameter name="SIPCONF_INSECURE_TLS" value="true" />
                <Parameter name="SIPCONF_ARTIFACTS" value="{artifacts}" />
                <Parameter name="SIPCONF_API_TOKEN" value="PTfrom-the-file-loses" />
              </TestRunParameters>
            </RunSettings>
            """);
        var env = new Dictionary<string, string?> { [SettingsLoader.ApiToken] = server.Primary.ApiToken };
        await CreateAsync(server, "sipconf_5e771n95_carol");

        var result = await Sipconf(env, "cleanup", "--settings", file, "--marker", "5e771n95");

        result.Code.Should().Be(CommandLine.Ok, "the token came from the environment, which wins over the file");
        result.Err.Should().Contain("WARNING: SIPCONF_INSECURE_TLS=true");
        result.Out.Should().Contain("(sipconf_5e771n95_carol)").And.Contain("1 deleted");
        result.All.Should().NotContain(server.Primary.ApiToken).And.NotContain("PTfrom-the-file-loses");
        server.EndpointCount(server.Primary.ProjectId).Should().Be(0);
    }

    [TestCase(new string[0], "usage: sipconf VERB")]
    [TestCase(new[] { "vacuum" }, "unknown command 'vacuum'")]
    [TestCase(new[] { "cleanup", "--journal", "a.jsonl", "--all-journals" }, "either --journal FILE or --all-journals")]
    [TestCase(new[] { "cleanup", "--marker", "m1", "--any-marker" }, "either --marker MARKER or --any-marker")]
    [TestCase(new[] { "cleanup", "--marker" }, "Required argument missing for option: '--marker'")]
    [TestCase(new[] { "cleanup", "--marker", "sipconf_m1_" }, "--marker takes a run's marker")]
    [TestCase(new[] { "cleanup", "--force" }, "Unrecognized command or argument '--force'")]
    [TestCase(new[] { "cleanup", "--settings", "/nonexistent/x.runsettings" }, "--settings: no file")]
    [TestCase(new[] { "cleanup", "--journal", "/nonexistent/run.jsonl" }, "--journal: no file")]
    public async Task A_wrong_command_line_is_exit_code_2_with_a_message(string[] args, string message)
    {
        var env = new Dictionary<string, string?> { [SettingsLoader.BaseUrl] = "http://127.0.0.1:9/", [SettingsLoader.ProjectId] = "p", [SettingsLoader.ApiToken] = "PTnot-used" };

        var result = await Sipconf(env, args);

        result.Code.Should().Be(CommandLine.Usage);
        result.Err.Should().Contain(message);
    }

    [Test]
    public async Task Without_a_target_the_command_says_what_to_set()
    {
        var result = await SipconfProcessAsync(new Dictionary<string, string?>(), "cleanup");

        result.Code.Should().Be(CommandLine.Usage);
        result.Err.Should().Contain("cleanup needs a target: set SIPCONF_BASE_URL");
        result.Err.Should().NotContain("   at ", "a configuration error is a sentence, not a stack trace");
    }

    private static async Task CreateAsync(ReferenceServer.ReferenceServer server, string username)
    {
        using var client = new TargetClient(new ClientOptions(), Redactor.Nothing);
        var api = new SipApi(client, server.BaseUrl, SipContract.Default, null);
        var project = SafetyRun.Target(server).Primary;
        var payload = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(), ["username"] = username, ["caller_id"] = "+15550100", ["send_as"] = "Someone",
            ["ciphers"] = new JsonArray("AES_CM_128_HMAC_SHA1_80"), ["codecs"] = new JsonArray("PCMU"),
            ["encryption"] = "default", ["call_handler"] = "default", ["calling_handler_resource_id"] = null,
        };
        var e = await api.CreateAsync(project, payload);
        e.Status.Should().Be(200, e.Response?.Text);
    }

    /// <summary>Runs the built `sipconf` as its own process, with only the given SIPCONF_* variables.</summary>
    private static async Task<CliResult> SipconfProcessAsync(IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "sipconf.dll");
        File.Exists(dll).Should().BeTrue("the self-tests reference the CLI project, so it is built beside them");
        var child = await Tool.ChildProcess.RunAsync(Tool.ChildProcess.StartInfo("dotnet", [dll, .. args], env, AppContext.BaseDirectory), TimeSpan.FromSeconds(60), "sipconf");
        var result = new CliResult(child.Code, child.Out, child.Err);
        TestContext.Out.WriteLine($"$ dotnet sipconf.dll {string.Join(' ', args)}  -> exit {result.Code}\n{SafetyRun.Clip(result.All, 4000)}");
        return result;
    }
}
