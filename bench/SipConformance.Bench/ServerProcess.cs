using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SipConformance.Contract;
using SipConformance.Running;

namespace SipConformance.Bench;

/// <summary>
/// The reference server in a child process (this program's <c>serve</c> mode), so that the client's and the
/// server's CPU are told apart and the measured process holds only the client. The parent asks it for its
/// counters over standard input: a line <c>stats</c> is answered with one <see cref="ServerStats"/> JSON line.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private ServerProcess(Process process, ServeInfo info)
    {
        _process = process;
        Info = info;
    }

    public ServeInfo Info { get; }
    public int Pid => _process.Id;

    /// <param name="contract">Which contract the server implements: <see cref="BenchContracts.Default"/> or <see cref="BenchContracts.Large"/>.</param>
    /// <param name="faults">Reference-server faults to inject (none for the benchmark).</param>
    public static async Task<ServerProcess> StartAsync(string contract = BenchContracts.Default, IReadOnlyList<string>? faults = null)
    {
        var (file, prefix) = SelfCommand.Get();
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in prefix) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add("--contract");
        psi.ArgumentList.Add(contract);
        foreach (var f in faults ?? []) { psi.ArgumentList.Add("--fault"); psi.ArgumentList.Add(f); }
        var p = Process.Start(psi) ?? throw new BenchFailure("could not start the server process", 3);
        var line = await p.StandardOutput.ReadLineAsync() ?? throw new BenchFailure("the server process printed nothing", 3);
        var info = JsonSerializer.Deserialize(line, BenchJson.Default.ServeInfo) ?? throw new BenchFailure("bad server line: " + line, 3);
        return new ServerProcess(p, info);
    }

    public ResolvedTarget Target() => Info.Target();

    /// <summary>The server process's CPU seconds so far.</summary>
    public double Cpu()
    {
        _process.Refresh();
        return _process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>Requests served so far and the endpoints the primary project holds now.</summary>
    public async Task<ServerStats> StatsAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync("stats");
            await _process.StandardInput.FlushAsync();
            var line = await _process.StandardOutput.ReadLineAsync() ?? throw new BenchFailure("the server process stopped answering", 3);
            return JsonSerializer.Deserialize(line, BenchJson.Default.ServerStats) ?? throw new BenchFailure("bad stats line: " + line, 3);
        }
        finally { _gate.Release(); }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
        _process.Dispose();
        _gate.Dispose();
    }

    /// <summary>serve mode: starts a reference server, prints its coordinates as one JSON line, answers <c>stats</c> lines until stdin closes.</summary>
    public static async Task<int> ServeAsync(Options options)
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServer.ReferenceServerOptions
        {
            Contract = BenchContracts.Get(options.Contract),
            Faults = options.Faults,
        });
        var info = new ServeInfo(server.BaseUrl.ToString(), server.Primary.ProjectId, server.Primary.ApiToken, server.Primary.ResourceId,
            server.Secondary.ProjectId, server.Secondary.ApiToken, options.Contract);
        Console.WriteLine(JsonSerializer.Serialize(info, BenchJson.Default.ServeInfo));
        while (await Console.In.ReadLineAsync() is { } line)
            if (line == "stats")
                Console.WriteLine(JsonSerializer.Serialize(new ServerStats(server.RequestCount, server.EndpointCount(server.Primary.ProjectId)), BenchJson.Default.ServerStats));
        Console.Error.WriteLine($"serve: {server.RequestCount.ToString("N0", CultureInfo.InvariantCulture)} requests served");
        return 0;
    }
}

/// <summary>Where the server process listens and with which credentials; given to each measured child as <c>--server JSON</c>.</summary>
public sealed record ServeInfo(string BaseUrl, string ProjectId, string ApiToken, string ResourceId, string SecondProjectId, string SecondApiToken, string Contract)
{
    public ResolvedTarget Target() =>
        Targets.Embedded(new Uri(BaseUrl), ProjectId, ApiToken, ResourceId, SecondProjectId, SecondApiToken);
}

public sealed record ServerStats(long Requests, int Endpoints);
