using SipConformance.Contract;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Pact;
using SipConformance.Pact.Cli;

namespace SipConformance.Tests.Pact;

public class PublishTests
{
    private const string Token = "broker-token-very-secret-42";

    [Test]
    public void The_command_carries_directory_broker_version_and_branch_and_no_secret()
    {
        var cmd = BrokerPublisher.BuildCommand("/repo/pacts", new Uri("https://broker.example.com/"), new BrokerAuth.Token(new Secret(Token)), "abc123", "main");
        cmd.Arguments.Should().Equal("broker", "publish", "/repo/pacts", "-b", "https://broker.example.com", "-a", "abc123", "--branch", "main", "--retries", "2");
        cmd.Arguments.Should().NotContain(a => a.Contains(Token));
        cmd.Environment["PACT_BROKER_TOKEN"].Should().Be(Token);
        cmd.Environment.Should().ContainKey("PACT_BROKER_USERNAME").WhoseValue.Should().BeNull("a stale variable of the parent must not leak in");
        cmd.Display.Should().Be("PACT_BROKER_TOKEN=[REDACTED] pact broker publish /repo/pacts -b https://broker.example.com -a abc123 --branch main --retries 2");
    }

    [Test]
    public void Basic_credentials_show_the_user_and_hide_the_password()
    {
        var cmd = BrokerPublisher.BuildCommand("/p", new Uri("http://broker:9292"), new BrokerAuth.Basic("ci", new Secret("pw-secret-1")), "1.2.3", branch: null, retries: 0);
        cmd.Arguments.Should().Equal("broker", "publish", "/p", "-b", "http://broker:9292", "-a", "1.2.3", "--retries", "0");
        cmd.Environment["PACT_BROKER_USERNAME"].Should().Be("ci");
        cmd.Environment["PACT_BROKER_PASSWORD"].Should().Be("pw-secret-1");
        cmd.Environment["PACT_BROKER_TOKEN"].Should().BeNull();
        cmd.Display.Should().Be("PACT_BROKER_USERNAME=ci PACT_BROKER_PASSWORD=[REDACTED] pact broker publish /p -b http://broker:9292 -a 1.2.3 --retries 0");
    }

    [Test]
    public void Arguments_with_spaces_are_quoted_in_the_display_only()
    {
        var cmd = BrokerPublisher.BuildCommand("/my pacts", new Uri("http://b"), new BrokerAuth.None(), "v 1", "feature/x y");
        cmd.Arguments.Should().Contain(["/my pacts", "v 1", "feature/x y"]);
        cmd.Display.Should().Be("pact broker publish '/my pacts' -b http://b -a 'v 1' --branch 'feature/x y' --retries 2");
    }

    [TestCase("ftp://broker", "must be an http(s) URL")]
    [TestCase("https://user:pw@broker", "must not carry credentials")]
    public void A_malformed_broker_setting_is_refused(string url, string message) =>
        FluentActions.Invoking(() => BrokerPublisher.ReadBroker(new Dictionary<string, string?> { ["PACT_BROKER_BASE_URL"] = url }))
            .Should().Throw<SettingsException>().WithMessage($"*{message}*");

    [Test]
    public void Token_and_basic_credentials_together_are_refused() =>
        FluentActions.Invoking(() => BrokerPublisher.ReadBroker(new Dictionary<string, string?>
        {
            ["PACT_BROKER_BASE_URL"] = "https://b", ["PACT_BROKER_TOKEN"] = "t", ["PACT_BROKER_USERNAME"] = "u", ["PACT_BROKER_PASSWORD"] = "p",
        })).Should().Throw<SettingsException>();

    [Test]
    public async Task Without_a_broker_url_publishing_is_skipped_with_a_one_line_reason()
    {
        var result = await PactWorkflow.PublishAsync(new SuiteSettings { Seed = 1 }, "/nowhere", new Dictionary<string, string?>(), CancellationToken.None);
        result.Status.Should().Be(PublishStatus.Skipped);
        result.Message.Should().StartWith("publishing skipped: PACT_BROKER_BASE_URL is not set").And.NotContain("\n");
    }

    [Test]
    public async Task An_unreachable_broker_fails_fast_with_a_readable_message_and_no_token()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sipconf-publish-" + Guid.NewGuid().ToString("N"));
        try
        {
            await PactWorkflow.ExportAsync(new SuiteSettings { Seed = 1 }, SipContract.Default, dir, CancellationToken.None);
            var port = FreePort();
            var env = new Dictionary<string, string?> { ["PACT_BROKER_BASE_URL"] = $"http://127.0.0.1:{port}", ["PACT_BROKER_TOKEN"] = Token };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = await PactWorkflow.PublishAsync(new SuiteSettings { Seed = 1, ConsumerVersion = "1.0.0-test" }, dir, env, CancellationToken.None);
            TestContext.Progress.WriteLine($"publish to nowhere: {clock.ElapsedMilliseconds} ms: {result.Message}");

            result.Status.Should().Be(PublishStatus.Failed);
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
            result.Message.Should().StartWith("publishing failed (exit 1):").And.Contain($"127.0.0.1:{port}");
            result.CommandLine.Should().Contain("PACT_BROKER_TOKEN=[REDACTED]").And.Contain("-a 1.0.0-test");
            foreach (var text in new[] { result.Message, result.CommandLine, result.Output })
                text.Should().NotContain(Token);
        }
        finally { Directory.Delete(dir, true); }
    }

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
