using System.Net;
using System.Net.Sockets;

namespace SipConformance.SelfTests.Safety;

/// <summary>A TCP listener that accepts connections and never sends a byte.</summary>
public sealed class SilentListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();

    public SilentListener()
    {
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _ = Task.Run(async () =>
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var s = await _listener.AcceptSocketAsync(_stop.Token);
                    lock (_accepted) _accepted.Add(s);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
        });
    }

    public Uri BaseUrl { get; }

    public int Accepted { get { lock (_accepted) return _accepted.Count; } }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_accepted) foreach (var s in _accepted) s.Dispose();
        _stop.Dispose();
    }
}
