using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SipConformance.Pact.Provider;

/// <summary>One state-change call the verifier made: {"state", "params", "action"}.</summary>
public sealed record StateChange(string State, string Action, JsonObject Parameters);

/// <summary>
/// The suite's own provider-state endpoint, for a target that has none (a remote API): a tiny
/// HTTP/1.1 server on 127.0.0.1 and a port the OS picks, alive only while a verification runs.
/// It answers every POST with the values its handler returns for the state (for
/// <see cref="SipPact.ResourceState"/>: <c>{"resource_id": SIPCONF_RESOURCE_ID}</c>), and 400 to
/// anything it cannot read. It never sees a credential.
/// </summary>
public sealed class LocalStateServer : IAsyncDisposable
{
    private const int MaxRequestBytes = 64 * 1024;
    private readonly TcpListener _listener;
    private readonly Func<StateChange, JsonObject?> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<StateChange> _calls = [];
    private readonly Lock _gate = new();

    private LocalStateServer(Func<StateChange, JsonObject?> handler)
    {
        _handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/provider-states");
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>Starts a server whose handler maps a state change to the values it provides (null: unknown state, 400).</summary>
    public static LocalStateServer Start(Func<StateChange, JsonObject?> handler) => new(handler);

    /// <summary>
    /// A server that hands out <paramref name="resourceId"/> for <see cref="SipPact.ResourceState"/> and
    /// <paramref name="callerId"/> (or <see cref="SipPact.ExampleCallerId"/>) for <see cref="SipPact.CallerIdState"/>
    /// (and nothing for an interaction without a state: the verifier calls for those too).
    /// </summary>
    public static LocalStateServer ForResource(string? resourceId, string? callerId = null) => Start(change => change.State switch
    {
        "" => [],
        SipPact.ResourceState when resourceId is not null => new JsonObject { [SipPact.ResourceIdKey] = resourceId },
        // The configured caller id (SIPCONF_CALLER_ID), or an E.164 number any server of the baseline takes.
        SipPact.CallerIdState => new JsonObject { [SipPact.CallerIdKey] = callerId ?? SipPact.ExampleCallerId },
        _ => null,
    });

    public Uri Url { get; }

    public IReadOnlyList<StateChange> Calls
    {
        get { lock (_gate) return _calls.ToList(); }
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                var stream = client.GetStream();
                var (status, body) = await HandleAsync(stream, timeout.Token).ConfigureAwait(false);
                var payload = Encoding.UTF8.GetBytes(body);
                var head = Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Bad Request")}\r\nContent-Type: application/json\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(head, timeout.Token).ConfigureAwait(false);
                await stream.WriteAsync(payload, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { }
        }
    }

    private async Task<(int, string)> HandleAsync(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOf(buffer.GetBuffer(), (int)buffer.Length, "\r\n\r\n"u8)) < 0)
        {
            var n = await stream.ReadAsync(chunk, ct).ConfigureAwait(false);
            if (n == 0 || buffer.Length + n > MaxRequestBytes) return (400, """{"error":"incomplete request"}""");
            buffer.Write(chunk, 0, n);
        }
        var head = Encoding.ASCII.GetString(buffer.GetBuffer(), 0, headerEnd);
        var lines = head.Split("\r\n");
        if (!lines[0].StartsWith("POST ", StringComparison.Ordinal)) return (400, """{"error":"POST a state change"}""");
        var length = 0;
        var chunked = false;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) int.TryParse(value, out length);
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase)) chunked = true;
        }
        var bodyStart = headerEnd + 4;
        byte[] body;
        if (chunked)
        {
            body = await ReadChunkedAsync(stream, buffer, bodyStart, chunk, ct).ConfigureAwait(false);
        }
        else
        {
            if (length > MaxRequestBytes) return (400, """{"error":"too large"}""");
            while (buffer.Length - bodyStart < length)
            {
                var n = await stream.ReadAsync(chunk, ct).ConfigureAwait(false);
                if (n == 0) return (400, """{"error":"incomplete body"}""");
                buffer.Write(chunk, 0, n);
            }
            body = buffer.GetBuffer().AsSpan(bodyStart, length).ToArray();
        }

        JsonObject request;
        try { request = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException e) { return (400, new JsonObject { ["error"] = "the body is not a JSON object: " + e.Message }.ToJsonString()); }
        var change = new StateChange(
            request["state"]?.GetValue<string>() ?? "",
            request["action"]?.GetValue<string>() ?? "setup",
            request["params"] as JsonObject ?? []);
        lock (_gate) _calls.Add(change);
        if (change.Action == "teardown") return (200, "{}");
        var provided = _handler(change);
        return provided is null
            ? (400, new JsonObject { ["error"] = $"unknown provider state '{change.State}'" }.ToJsonString())
            : (200, provided.ToJsonString());
    }

    private static async Task<byte[]> ReadChunkedAsync(NetworkStream stream, MemoryStream buffer, int start, byte[] chunk, CancellationToken ct)
    {
        var body = new MemoryStream();
        var pos = start;
        while (true)
        {
            int lineEnd;
            while ((lineEnd = IndexOf(buffer.GetBuffer().AsSpan(pos).ToArray(), (int)buffer.Length - pos, "\r\n"u8)) < 0)
                await Fill().ConfigureAwait(false);
            var sizeText = Encoding.ASCII.GetString(buffer.GetBuffer(), pos, lineEnd).Split(';')[0].Trim();
            var size = Convert.ToInt32(sizeText, 16);
            pos += lineEnd + 2;
            if (size == 0) return body.ToArray();
            if (body.Length + size > MaxRequestBytes) throw new IOException("too large");
            while (buffer.Length - pos < size + 2) await Fill().ConfigureAwait(false);
            body.Write(buffer.GetBuffer(), pos, size);
            pos += size + 2;
        }

        async Task Fill()
        {
            var n = await stream.ReadAsync(chunk, ct).ConfigureAwait(false);
            if (n == 0) throw new IOException("incomplete chunked body");
            buffer.Write(chunk, 0, n);
        }
    }

    private static int IndexOf(byte[] data, int length, ReadOnlySpan<byte> needle) => data.AsSpan(0, length).IndexOf(needle);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try { await _loop.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        _listener.Dispose();
        _stop.Dispose();
    }
}
