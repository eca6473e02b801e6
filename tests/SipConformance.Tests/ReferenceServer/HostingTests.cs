using SipConformance.Contract;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.ReferenceServer;
using Server = SipConformance.ReferenceServer.ReferenceServer;

namespace SipConformance.Tests.ReferenceServerTests;

/// <summary>Hosting: loopback binding, many servers per process, options, rate limiting, the Pact hook, the command line.</summary>
[TestFixture]
public class HostingTests
{
    [Test]
    public async Task Several_servers_run_side_by_side_with_separate_ports_credentials_and_stores()
    {
        var servers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Servers.Start()));
        try
        {
            servers.Select(s => s.BaseUrl.Port).Should().OnlyHaveUniqueItems();
            servers.Select(s => s.Primary.ProjectId).Should().OnlyHaveUniqueItems();
            for (var i = 0; i < servers.Length; i++)
            {
                var api = new Api(servers[i], Servers.Http);
                for (var n = 0; n <= i; n++) (await api.Create(api.Valid())).Status.Should().Be(200);
            }
            servers.Select(s => s.EndpointCount(s.Primary.ProjectId)).Should().Equal(1, 2, 3, 4);
            var foreign = new Api(servers[0], Servers.Http);
            (await foreign.Send(HttpMethod.Get, foreign.Collection, Api.Basic(servers[1].Primary))).Status.Should().Be(401);
        }
        finally
        {
            foreach (var s in servers) await s.DisposeAsync();
        }
    }

    [Test]
    public async Task The_server_binds_127_0_0_1_only()
    {
        await using var server = await Servers.Start();
        server.BaseUrl.Host.Should().Be("127.0.0.1");
        server.BaseUrl.Port.Should().BePositive();
        if (!File.Exists("/proc/net/tcp")) Assert.Inconclusive("no /proc/net/tcp to read the listening sockets from");

        var port = server.BaseUrl.Port.ToString("X4", CultureInfo.InvariantCulture);
        string[] Listeners(string file) => File.Exists(file)
            ? File.ReadLines(file).Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f[3] == "0A" && f[1].EndsWith(":" + port, StringComparison.Ordinal)).Select(f => f[1]).ToArray()
            : [];
        Listeners("/proc/net/tcp").Should().Equal("0100007F:" + port);
        Listeners("/proc/net/tcp6").Should().BeEmpty();
    }

    [TestCase("0.0.0.0")]
    [TestCase("::")]
    [TestCase("example.com")]
    public async Task A_non_loopback_host_is_refused(string host)
    {
        var start = () => Server.StartAsync(new ReferenceServerOptions { Host = host });
        await start.Should().ThrowAsync<ArgumentException>();
    }

    [Test]
    public async Task Unknown_faults_and_bad_options_are_refused()
    {
        await FluentActions.Awaiting(() => Server.StartAsync(new ReferenceServerOptions { Faults = ["no-such-fault"] }))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*no-such-fault*");
        await FluentActions.Awaiting(() => Server.StartAsync(new ReferenceServerOptions { PageSize = 0 }))
            .Should().ThrowAsync<ArgumentOutOfRangeException>();
        var same = new ProjectCredentials("p", "t", Guid.NewGuid().ToString());
        await FluentActions.Awaiting(() => Server.StartAsync(new ReferenceServerOptions { PrimaryProject = same, SecondaryProject = same }))
            .Should().ThrowAsync<ArgumentException>();
    }

    [Test]
    public async Task Given_credentials_are_used()
    {
        var primary = new ProjectCredentials(Guid.NewGuid().ToString(), "token:with:colons", Guid.NewGuid().ToString());
        await using var server = await Server.StartAsync(new ReferenceServerOptions { PrimaryProject = primary });
        server.Primary.Should().Be(primary);
        var api = new Api(server, Servers.Http);
        (await api.Create(api.ValidResource())).Status.Should().Be(200, "the token is split from the id at the first ':'");
    }

    [Test]
    public async Task Every_nth_request_answers_429_with_retry_after_and_does_nothing_else()
    {
        await using var server = await Server.StartAsync(new ReferenceServerOptions { RateLimitEvery = 3, RetryAfterSeconds = 7 });
        var api = new Api(server, Servers.Http);
        var statuses = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            var a = await api.Create(api.Valid());
            statuses.Add(a.Status);
            if (a.Status == 429)
            {
                a.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(7));
                a.Object["error"]!.GetValue<string>().Should().Be("Too Many Requests");
            }
        }
        statuses.Should().Equal(200, 200, 429, 200, 200, 429);
        server.EndpointCount(server.Primary.ProjectId).Should().Be(4);
        server.RequestCount.Should().Be(6);
    }

    [Test]
    public async Task The_provider_state_hook_answers_the_resource_id_unauthenticated_whatever_the_faults()
    {
        // Every fault of the revision the server speaks (2026-03-18, its default).
        var faults = FaultCatalogue.For(SipConformance.Contract.ContractRevisions.March2026).Select(f => f.Id).ToArray();
        await using var server = await Server.StartAsync(new ReferenceServerOptions { Faults = faults, RateLimitEvery = 1 });
        var api = new Api(server, Servers.Http);
        var hook = new Uri(server.BaseUrl, "/_pact/provider-states");

        var setup = await api.Send(HttpMethod.Post, hook, null,
            Encoding.UTF8.GetBytes("""{"state":"an endpoint exists","params":{"x":1},"action":"setup"}"""), "application/json");
        setup.Status.Should().Be(200);
        setup.Object["resource_id"]!.GetValue<string>().Should().Be(server.Primary.ResourceId);

        var noAction = await api.Send(HttpMethod.Post, hook, null, Encoding.UTF8.GetBytes("""{"state":"s"}"""), "application/json");
        noAction.Object["resource_id"]!.GetValue<string>().Should().Be(server.Primary.ResourceId);

        var teardown = await api.Send(HttpMethod.Post, hook, null, Encoding.UTF8.GetBytes("""{"state":"s","action":"teardown"}"""), "application/json");
        teardown.Status.Should().Be(200);
        teardown.Text.Should().Be("{}");

        (await api.Send(HttpMethod.Post, hook, null, "nope"u8.ToArray(), "application/json")).Status.Should().Be(400);
        (await api.Send(HttpMethod.Get, api.Collection)).Status.Should().Be(429, "every API request is rate limited here, not the hook");
    }

    [Test]
    public async Task Disposing_is_quick_and_idempotent_and_closes_the_port()
    {
        var server = await Servers.Start();
        var url = server.BaseUrl;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await server.DisposeAsync();
        await server.DisposeAsync();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        using var client = Servers.NewClient(TimeSpan.FromSeconds(5));
        await FluentActions.Awaiting(() => client.GetAsync(url)).Should().ThrowAsync<HttpRequestException>();
    }

    [Test]
    public void The_command_line_reads_arguments_and_REFSERVER_FAULTS()
    {
        var parsed = CommandLine.Parse(
            ["--port", "8123", "--fault", "get-404,type-wrong", "--fault=combo-pair", "--variant", "alternative", "--rate-limit-every", "5"],
            "all-codecs, get-404");
        parsed.Options.Port.Should().Be(8123);
        parsed.Options.Faults.Should().BeEquivalentTo(["all-codecs", "get-404", "type-wrong", "combo-pair"]);
        parsed.Options.Variant.Should().Be(ServerVariant.Alternative);
        parsed.Options.RateLimitEvery.Should().Be(5);
        parsed.ListFaults.Should().BeFalse();
        CommandLine.Parse(["--list-faults"], null).ListFaults.Should().BeTrue();

        FluentActions.Invoking(() => CommandLine.Parse(["--fault", "nope"], null)).Should().Throw<FormatException>().WithMessage("*nope*");
        FluentActions.Invoking(() => CommandLine.Parse([], "nope")).Should().Throw<FormatException>();
        FluentActions.Invoking(() => CommandLine.Parse(["--port", "x"], null)).Should().Throw<FormatException>();
        FluentActions.Invoking(() => CommandLine.Parse(["--variant", "tertiary"], null)).Should().Throw<FormatException>();
        FluentActions.Invoking(() => CommandLine.Parse(["--bogus"], null)).Should().Throw<FormatException>();
        FluentActions.Invoking(() => CommandLine.Parse(["--revision", "1999-01-01"], null)).Should().Throw<FormatException>().WithMessage("*2026-08-21*");
        CommandLine.Parse([], null).Options.Contract.Revision.Should().Be(ContractRevisions.March2026);
        CommandLine.Parse(["--revision", "2026-08-21"], null).Options.Contract.Revision.Should().Be(ContractRevisions.August2026);
        CommandLine.Parse([], null, null, "2026-08-21").Options.Contract.Revision.Should().Be(ContractRevisions.August2026, "SIPCONF_REVISION");
        FluentActions.Invoking(() => CommandLine.Parse(["--revision", "2026-08-21", "--fault", "display-name-missing"], null)).Should().Throw<FormatException>().WithMessage("*does not apply*");
    }

    [Test]
    public void The_fault_table_lists_every_fault()
    {
        var table = CommandLine.FaultTable().Split(Environment.NewLine);
        table.Should().HaveCount(FaultCatalogue.All.Count);
        foreach (var f in FaultCatalogue.All)
        {
            var description = f.Description + (f.MinimumProfile == null ? "" : $" [profile >= {f.MinimumProfile}]") + (f.Revisions == null ? "" : $" [revision {string.Join(", ", f.Revisions)}]");
            table.Should().Contain(l => l.StartsWith(f.Id + " ", StringComparison.Ordinal) && l.Contains($"  {f.Rule}  ", StringComparison.Ordinal)
                && l.EndsWith(description, StringComparison.Ordinal));
        }
    }

    [Test]
    public async Task The_banner_prints_the_credentials_and_the_export_line()
    {
        var options = new ReferenceServerOptions { Faults = ["get-404"] };
        await using var server = await Server.StartAsync(options);
        var banner = CommandLine.Banner(server, options);
        var export = banner.Split('\n').Single(l => l.StartsWith("export ", StringComparison.Ordinal)).Trim();
        var vars = export["export ".Length..].Split(' ').Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        vars.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["SIPCONF_BASE_URL"] = server.BaseUrl.GetLeftPart(UriPartial.Authority),
            ["SIPCONF_PROJECT_ID"] = server.Primary.ProjectId,
            ["SIPCONF_API_TOKEN"] = server.Primary.ApiToken,
            ["SIPCONF_RESOURCE_ID"] = server.Primary.ResourceId,
            ["SIPCONF_SECOND_PROJECT_ID"] = server.Secondary.ProjectId,
            ["SIPCONF_SECOND_API_TOKEN"] = server.Secondary.ApiToken,
            ["SIPCONF_SECOND_RESOURCE_ID"] = server.Secondary.ResourceId,
        });
        banner.Should().Contain("get-404");
    }

    /// <summary>Throughput of the correct server under the benchmark's shape (run by hand: it takes a while).</summary>
    [Test, Explicit("a load measurement, not a check of behaviour")]
    public async Task Throughput_of_create_get_delete_with_concurrency_8()
    {
        await using var server = await Servers.Start();
        using var http = Servers.NewClient(TimeSpan.FromSeconds(30));
        var api = new Api(server, http);
        const int perWorker = 2000;
        var body = api.Valid();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var i = 0; i < perWorker; i++)
            {
                var created = await api.Create(body);
                var id = created.Str("id")!;
                (await api.Get(id)).Status.Should().Be(200);
                (await api.Delete(id)).Status.Should().Be(204);
            }
        }));
        var rate = 8 * perWorker * 3 / watch.Elapsed.TotalSeconds;
        TestContext.Out.WriteLine($"{rate:F0} requests/s ({watch.Elapsed.TotalSeconds:F1} s)");
        rate.Should().BeGreaterThan(2500, "the benchmark's ~150,000 requests must fit in ~60 s");
    }
}
