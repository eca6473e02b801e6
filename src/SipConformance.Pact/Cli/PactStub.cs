using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SipConformance.Pact.Engine;

namespace SipConformance.Pact.Cli;

/// <summary>
/// <c>pact stub</c> serving a folder of pacts, for client teams to develop against: every request a
/// pact records gets its recorded answer, anything else a 404. Started on a free port (the stub
/// listens on all interfaces; address it as 127.0.0.1), stopped by Dispose (only this process is killed).
/// </summary>
public sealed class PactStub : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    private PactStub(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");
    public int ProcessId => _process.Id;

    /// <summary>The last lines the stub printed.</summary>
    public string Output
    {
        get { lock (_gate) return string.Join(Environment.NewLine, _lines); }
    }

    public static async Task<PactStub> StartAsync(string pactDirectory, TimeSpan? startTimeout = null, CancellationToken ct = default)
    {
        if (!Directory.Exists(pactDirectory) || Directory.GetFiles(pactDirectory, "*.json").Length == 0)
            throw new FileNotFoundException($"no pact files in {pactDirectory}");
        var limit = startTimeout ?? TimeSpan.FromSeconds(15);
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            var process = Process.Start(PactCli.StartInfo(["stub", "-d", Path.GetFullPath(pactDirectory), "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", "warn"], null))
                ?? throw new PactEngineException("pact stub did not start");
            var stub = new PactStub(process, port);
            process.OutputDataReceived += (_, e) => stub.Keep(e.Data);
            process.ErrorDataReceived += (_, e) => stub.Keep(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.StandardInput.Close();
            try
            {
                await stub.WaitUntilListeningAsync(limit, ct).ConfigureAwait(false);
                return stub;
            }
            catch (PactEngineException e)
            {
                last = e;
                await stub.DisposeAsync().ConfigureAwait(false); // most likely the port was taken between our probe and its bind: try another
            }
        }
        throw last ?? new PactEngineException("pact stub did not start");
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            _lines.Enqueue(PactCli.StripAnsi(line));
            while (_lines.Count > 50) _lines.Dequeue();
        }
    }

    private async Task WaitUntilListeningAsync(TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new PactEngineException($"pact stub exited ({_process.ExitCode}) before it listened: {Output}");
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, Port, ct).ConfigureAwait(false);
                return;
            }
            catch (SocketException) { await Task.Delay(50, ct).ConfigureAwait(false); }
        }
        throw new PactEngineException($"pact stub did not listen on port {Port} within {limit.TotalSeconds:0} s: {Output}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException) { } // already gone
        _process.Dispose();
    }
}
