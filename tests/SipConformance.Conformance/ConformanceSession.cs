using System.Runtime.InteropServices;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Reporting;
using SipConformance.ReferenceServer;
using SipConformance.Running;

namespace SipConformance.Conformance;

/// <summary>
/// The run behind every test of this assembly: settings from the environment and .runsettings,
/// the target (the embedded reference server when SIPCONF_BASE_URL is unset), one SuiteRun.
/// Tests only ask the run for findings and present them; this class cleans up and writes the
/// reports at the end, also when tests failed.
/// </summary>
[SetUpFixture]
public sealed class ConformanceSession
{
    private static SuiteRun? _run;
    private static ReferenceServer.ReferenceServer? _server;
    private static readonly List<PosixSignalRegistration> Signals = [];

    public static SuiteRun Run => _run ?? throw new InvalidOperationException("the conformance session did not start");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        SuiteSettings settings;
        try
        {
            settings = SettingsLoader.Load(TestContext.Parameters.Names.ToDictionary(n => n, n => (string?)TestContext.Parameters[n]));
        }
        catch (SettingsException e)
        {
            TestContext.Progress.WriteLine($"SipConformance: configuration error: {e.Message}");
            throw;
        }

        ResolvedTarget target;
        if (settings.IsEmbedded)
        {
            _server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions());
            target = Targets.Embedded(_server.BaseUrl, _server.Primary.ProjectId, _server.Primary.ApiToken, _server.Primary.ResourceId,
                _server.Secondary.ProjectId, _server.Secondary.ApiToken, _server.Secondary.ResourceId);
        }
        else target = Targets.Remote(settings);

        _run = Pact.Suite.Create(settings, target);
        TestContext.Progress.WriteLine(_run.Banner());
        if (_run.Settings.InsecureTls)
            TestContext.Progress.WriteLine("SipConformance: WARNING: SIPCONF_INSECURE_TLS=true: the target's TLS certificate is NOT validated. Use this only for a self-signed staging server.");

        // Ctrl-C or a stop signal: stop sending, let the teardown clean up.
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            Signals.Add(PosixSignalRegistration.Create(signal, ctx =>
            {
                ctx.Cancel = true;
                TestContext.Progress.WriteLine($"SipConformance: {signal} received: stopping the run; cleaning up what it created.");
                _run.Cancel();
                CleanupAndReport();
                Environment.Exit(130);
            }));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        CleanupAndReport();
        foreach (var s in Signals) s.Dispose();
        if (_run is not null) await _run.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }

    private static int _reported;

    private static void CleanupAndReport()
    {
        if (_run is null || Interlocked.Exchange(ref _reported, 1) == 1) return;
        CleanupReport? cleanup = null;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            cleanup = _run.CleanupAsync(cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            TestContext.Progress.WriteLine("SipConformance: cleanup failed: " + _run.Redactor.Redact(e.Message));
        }
        var paths = Reports.Write(_run, _run.ArtifactsDirectory, cleanup, Notes(_run));
        TestContext.Progress.WriteLine(_run.Redactor.Redact(
            Environment.NewLine + Reports.SummaryTable(_run.Findings) + Reports.Verdict(_run.Findings, _run.Settings.Strict) + Environment.NewLine +
            (cleanup?.ToString() ?? "cleanup: not done") + Environment.NewLine +
            string.Join(Environment.NewLine, Notes(_run)) + Environment.NewLine +
            $"SipConformance: reports: {string.Join(", ", paths)}; journal: {_run.Journal.Path}"));
    }

    private static IEnumerable<string> Notes(SuiteRun run)
    {
        var combos = run.Probes.OfType<Running.Probes.CombinationProbe>().FirstOrDefault();
        if (combos?.Plan is { } plan)
            yield return $"combinations: {plan.Profile.ToString().ToLowerInvariant()} profile, {plan.Count} row(s){(combos.Coverage is null ? "" : ", " + combos.Coverage)}";
        yield return $"seed {run.Settings.Seed}, run marker {run.Identity.Marker}";
        yield return "probe times: " + string.Join(", ", run.ProbeTimes.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value.TotalSeconds:0.0} s"));
    }
}
