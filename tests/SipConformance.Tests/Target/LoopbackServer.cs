using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SipConformance.Tests.Target;

/// <summary>What a <see cref="LoopbackServer"/> received.</summary>
public sealed record SeenRequest(string Method, string PathAndQuery, string? Authorization, double AtSeconds);

/// <summary>
/// A tiny Kestrel server on a loopback address and a free port, for exercising the client: it
/// records every request (with the time it arrived and how many were in flight) and answers
/// with the handler given.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stopping = new();
    private int _inFlight;
    private int _maxInFlight;

    private LoopbackServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);
    /// <summary>Cancelled when the server is disposed: handlers that wait forever should wait on it.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public int Count(string method) => Requests.Count(r => r.Method == method);

    public static async Task<LoopbackServer> StartAsync(Func<HttpContext, LoopbackServer, Task> handler, string host = "127.0.0.1", X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Parse(host), 0, o => { if (certificate is not null) o.UseHttps(certificate); });
        });
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Run(async ctx =>
        {
            var now = Interlocked.Increment(ref server._inFlight);
            int seen;
            while (now > (seen = Volatile.Read(ref server._maxInFlight)) && Interlocked.CompareExchange(ref server._maxInFlight, now, seen) != seen) { }
            server.Requests.Enqueue(new SeenRequest(ctx.Request.Method, ctx.Request.Path + ctx.Request.QueryString, ctx.Request.Headers.Authorization.FirstOrDefault(), server._clock.Elapsed.TotalSeconds));
            try { await handler(ctx, server); }
            catch (OperationCanceledException) { ctx.Abort(); }
            finally { Interlocked.Decrement(ref server._inFlight); }
        });
        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        server.BaseUrl = new Uri($"{(certificate is null ? "http" : "https")}://{host}:{bound.Port}/");
        return server;
    }

    /// <summary>Waits (in both the handler's and the server's cancellation) for a long time: a server that does not answer.</summary>
    public async Task HangAsync(HttpContext ctx)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, Stopping);
        await Task.Delay(TimeSpan.FromMinutes(5), both.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _app.StopAsync(timeout.Token); }
        catch (OperationCanceledException) { }
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
