using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;

namespace SipConformance.SelfTests.Report;

/// <summary>What the browser made of a page: the DOM it built, and the network requests the page itself started.</summary>
public sealed record BrowserPage(string Dom, IReadOnlyList<string> PageRequests);

/// <summary>
/// Debian's Chromium, headless: loads a file, dumps the DOM it built (after the page's scripts ran)
/// and records a net-log, from which it keeps the requests whose top frame is a file:// page (the
/// browser's own background traffic, update checks and the like, is told apart by its site).
/// </summary>
public static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    /// <summary>Ignores the test when Chromium is absent, unless on CI (CI set), where that is a failure.</summary>
    public static void Require()
    {
        if (File.Exists(Executable)) return;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            Assert.Fail($"{Executable} is missing and CI is set: .ci/run installs Debian's chromium (apt-get install -y chromium)");
        Assert.Ignore($"{Executable} is missing (install Debian's chromium: apt-get install -y chromium); on CI (CI set) this test fails instead");
    }

    private static IEnumerable<string> Common(string profile) =>
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions", $"--user-data-dir={profile}",
    ];

    /// <summary>Loads <paramref name="file"/> (with an optional #fragment) and returns the DOM and the page's requests.</summary>
    public static async Task<BrowserPage> LoadAsync(string file, string? fragment = null)
    {
        var profile = Directory.CreateTempSubdirectory("sipconf-chromium-").FullName;
        var netLog = Path.Combine(profile, "netlog.json");
        var url = new Uri(Path.GetFullPath(file)).AbsoluteUri + (fragment is null ? "" : "#" + fragment);
        var (stdout, _) = await RunAsync([.. Common(profile), $"--log-net-log={netLog}", "--dump-dom", url]);
        return new BrowserPage(stdout, PageRequests(netLog));
    }

    /// <summary>Saves a screenshot of <paramref name="file"/> as <paramref name="png"/>.</summary>
    public static async Task ScreenshotAsync(string file, string png)
    {
        var profile = Directory.CreateTempSubdirectory("sipconf-chromium-").FullName;
        await RunAsync([.. Common(profile), $"--screenshot={png}", "--window-size=1280,2000", "--hide-scrollbars", new Uri(Path.GetFullPath(file)).AbsoluteUri]);
        if (!File.Exists(png)) throw new InvalidOperationException($"chromium wrote no screenshot {png}");
    }

    /// <summary>The URLs of the net-log's requests that a file:// page started.</summary>
    public static IReadOnlyList<string> PageRequests(string netLog)
    {
        if (!File.Exists(netLog)) throw new InvalidOperationException($"chromium wrote no net-log {netLog}");
        var text = File.ReadAllText(netLog).TrimEnd();
        // A net-log cut short (the browser stopped while writing) lacks its closing brackets.
        if (!text.EndsWith('}')) text = text.TrimEnd(',', '\n') + "]}";
        using var doc = JsonDocument.Parse(text);
        var startJob = doc.RootElement.GetProperty("constants").GetProperty("logEventTypes").GetProperty("URL_REQUEST_START_JOB").GetInt32();
        var urls = new List<string>();
        foreach (var e in doc.RootElement.GetProperty("events").EnumerateArray())
        {
            if (e.GetProperty("type").GetInt32() != startJob || !e.TryGetProperty("params", out var p)) continue;
            var site = p.TryGetProperty("site_for_cookies", out var s) ? s.GetString() ?? "" : "";
            var isolation = p.TryGetProperty("network_isolation_key", out var k) ? k.GetString() ?? "" : "";
            if (site.Contains("file://", StringComparison.Ordinal) || isolation.StartsWith("file://", StringComparison.Ordinal))
                urls.Add(p.GetProperty("url").GetString() ?? "");
        }
        return urls;
    }

    private static async Task<(string Stdout, string Stderr)> RunAsync(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Executable}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish in 90 s: {SipConformance.SelfTests.Safety.SafetyRun.Clip(await stderr, 2000)}");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"chromium exited {process.ExitCode}: {SipConformance.SelfTests.Safety.SafetyRun.Clip(await stderr, 2000)}");
        return (await stdout, await stderr);
    }
}
