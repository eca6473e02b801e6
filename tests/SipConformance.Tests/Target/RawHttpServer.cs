using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SipConformance.Tests.Target;

/// <summary>One request as a <see cref="RawHttpServer"/> read it: the request line and the header lines as sent.</summary>
public sealed record RawRequest(string Method, string Target, IReadOnlyList<string> HeaderLines, int Connection)
{
    public string? Header(string name) =>
        HeaderLines.Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)).Select(l => l[(name.Length + 1)..].Trim()).FirstOrDefault();
}

/// <summary>
/// A loopback HTTP/1.1 server that writes exactly the bytes a test gives it (Kestrel writes well-formed,
/// modern answers only): interim 1xx answers, chunk extensions and trailers, bodies delimited by closing the
/// connection, obsolete date formats, repeated header lines. Each answer says whether the connection closes after it.
/// </summary>
public sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<RawRequest, (byte[] Bytes, bool Close)> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _connections;

    public RawHttpServer(Func<RawRequest, (byte[] Bytes, bool Close)> answer)
    {
        _answer = answer;
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptAsync);
    }

    public Uri BaseUrl { get; }
    public ConcurrentQueue<RawRequest> Requests { get; } = new();
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>An answer from its head lines (CRLF added) and body.</summary>
    public static (byte[], bool) Answer(string head, byte[]? body = null, bool close = false) =>
        ([.. Encoding.ASCII.GetBytes(head.Replace("\n", "\r\n", StringComparison.Ordinal)), .. body ?? []], close);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient tcp;
            try { tcp = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            var n = Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(tcp, n));
        }
    }

    private async Task ServeAsync(TcpClient tcp, int connection)
    {
        using var _ = tcp;
        var stream = tcp.GetStream();
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int end;
                while ((end = IndexOfHeadEnd(buffer)) < 0)
                {
                    var read = await stream.ReadAsync(chunk, _stop.Token);
                    if (read == 0) return;
                    buffer.AddRange(chunk.AsSpan(0, read));
                }
                var head = Encoding.ASCII.GetString([.. buffer.Take(end)]).Split("\r\n");
                buffer.RemoveRange(0, end + 4);
                var parts = head[0].Split(' ');
                var request = new RawRequest(parts[0], parts[1], head.Skip(1).ToList(), connection);
                var length = int.TryParse(request.Header("Content-Length"), out var l) ? l : 0;
                while (buffer.Count < length)
                {
                    var read = await stream.ReadAsync(chunk, _stop.Token);
                    if (read == 0) return;
                    buffer.AddRange(chunk.AsSpan(0, read));
                }
                buffer.RemoveRange(0, length);
                Requests.Enqueue(request);
                var (bytes, close) = _answer(request);
                await stream.WriteAsync(bytes, _stop.Token);
                await stream.FlushAsync(_stop.Token);
                if (close) { tcp.Client.Shutdown(SocketShutdown.Both); return; }
            }
        }
        catch (Exception) { }
    }

    private static int IndexOfHeadEnd(List<byte> b)
    {
        for (var i = 0; i + 3 < b.Count; i++)
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') return i;
        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _loop; } catch (Exception) { }
        _stop.Dispose();
    }
}
