using System.Runtime.InteropServices;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Hosting;
using SipConformance.Running;

namespace SipConformance.Conformance;

/// <summary>
/// The run behind every test of this assembly: settings from the environment and .runsettings,
/// the target (the embedded reference server when SIPCONF_BASE_URL is unset), one SuiteRun,
/// started and closed by <see cref="ConformanceHost"/> exactly as `sipconf run` does. Tests only
/// ask the run for findings and present them; the host cleans up and writes the reports at the
/// end, also when tests failed.
/// </summary>
[SetUpFixture]
public sealed class ConformanceSession
{
    private static ConformanceHost? _host;
    private static readonly List<PosixSignalRegistration> Signals = [];

    public static SuiteRun Run => _host?.Run ?? throw new InvalidOperationException("the conformance session did not start");

    /// <summary>
    /// The contract of the revision the run holds the target to (SIPCONF_REVISION, from the environment or
    /// the runsettings), for what NUnit lists before the session starts (the combination cells).
    /// </summary>
    public static Contract.SipContract SelectedContract =>
        Contract.SipContract.Of(SettingsLoader.ParseRevision(
            Environment.GetEnvironmentVariable(SettingsLoader.Revision) is { Length: > 0 } env ? env.Trim() : TestContext.Parameters[SettingsLoader.Revision]));

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

        var host = _host = await ConformanceHost.StartAsync(settings, TestContext.Progress.WriteLine);

        // Ctrl-C or a stop signal: stop sending, let the host clean up and report.
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            Signals.Add(PosixSignalRegistration.Create(signal, ctx =>
            {
                ctx.Cancel = true;
                TestContext.Progress.WriteLine($"SipConformance: {signal} received: stopping the run; cleaning up what it created.");
                host.Run.Cancel();
                host.Close();
                Environment.Exit(130);
            }));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _host?.Close();
        foreach (var s in Signals) s.Dispose();
        if (_host is not null) await _host.DisposeAsync();
    }
}
