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

namespace SipConformance.SelfTests.Safety;

/// <summary>The answer a proxy is about to give: status and body, which a rewrite may change.</summary>
public sealed record ProxiedAnswer(int Status, byte[] Body, string? ContentType);

/// <summary>
/// A reverse proxy on a loopback port (HTTP or HTTPS with a certificate made in memory) in front
/// of another server, optionally rewriting answers: to put the reference server behind TLS, or to
/// make it misbehave in ways its own faults do not (reflecting the Authorization header back).
/// </summary>
public sealed class ForwardingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
        { "Host", "Connection", "Transfer-Encoding", "Content-Length", "Keep-Alive", "Upgrade", "Proxy-Connection", "TE", "Trailer" };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private int _requests;

    private ForwardingProxy(WebApplication app, HttpClient upstream)
    {
        _app = app;
        _upstream = upstream;
    }

    public Uri BaseUrl { get; private set; } = null!;
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<ForwardingProxy> StartAsync(Uri upstream, X509Certificate2? certificate = null, Func<HttpContext, ProxiedAnswer, ProxiedAnswer>? rewrite = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, 0, o => { if (certificate is not null) o.UseHttps(certificate); });
        });
        var app = builder.Build();
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };
        var proxy = new ForwardingProxy(app, client);
        app.Run(async ctx =>
        {
            Interlocked.Increment(ref proxy._requests);
            var target = new Uri(upstream, ctx.Request.Path.Value + ctx.Request.QueryString.Value);
            using var request = new HttpRequestMessage(new HttpMethod(ctx.Request.Method), target);
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
            if (buffer.Length > 0 || ctx.Request.ContentType is not null || ctx.Request.ContentLength is not null)
                request.Content = new ByteArrayContent(buffer.ToArray());
            foreach (var (name, values) in ctx.Request.Headers)
            {
                if (HopByHop.Contains(name)) continue;
                if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
                    request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
            HttpResponseMessage response;
            try { response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ctx.RequestAborted); }
            catch (Exception) when (!ctx.RequestAborted.IsCancellationRequested) { ctx.Response.StatusCode = 502; return; }
            using (response)
            {
                var body = await response.Content.ReadAsByteArrayAsync(ctx.RequestAborted);
                var answer = new ProxiedAnswer((int)response.StatusCode, body, response.Content.Headers.ContentType?.ToString());
                if (rewrite is not null) answer = rewrite(ctx, answer);
                ctx.Response.StatusCode = answer.Status;
                foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
                    if (!HopByHop.Contains(name) && !string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
                        ctx.Response.Headers[name] = values.ToArray();
                if (answer.Status is 204 or 304) return; // no body, no Content-Length
                if (answer.ContentType is not null) ctx.Response.ContentType = answer.ContentType;
                ctx.Response.ContentLength = answer.Body.Length;
                if (answer.Body.Length > 0) await ctx.Response.Body.WriteAsync(answer.Body, ctx.RequestAborted);
            }
        });
        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        proxy.BaseUrl = new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{bound.Port}/");
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _app.StopAsync(timeout.Token); }
        catch (OperationCanceledException) { }
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
