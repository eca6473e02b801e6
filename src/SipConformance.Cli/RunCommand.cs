using System.CommandLine;
using System.Diagnostics;
using SipConformance.Configuration;
using SipConformance.Hosting;
using SipConformance.Pact;
using SipConformance.Pact.Cli;

namespace SipConformance.Cli;

/// <summary>
/// `sipconf run`: the conformance run of `dotnet test tests/SipConformance.Conformance`, with the
/// same settings, probes, findings and reports (both start and close it through
/// <see cref="ConformanceHost"/>), without NUnit: the summary table and verdict on stdout, a
/// progress line on stderr while it runs, the exit code for the verdict.
/// </summary>
public static class RunCommand
{
    public const string Description = """
        Run the suite: every check of the catalogue against the target, then clean up what the run
        created and write the reports (artifacts/: sipconformance-report.html, -findings.json,
        -junit.xml, -summary.md; the pact file under the artifacts folder's pacts/, or SIPCONF_PACT_DIR).

        The target and everything else come from the same variables as `dotnet test
        tests/SipConformance.Conformance`: SIPCONF_BASE_URL (or SIGNALWIRE_SPACE), SIPCONF_PROJECT_ID,
        SIPCONF_API_TOKEN, SIPCONF_PROFILE, SIPCONF_SEED, SIPCONF_STRICT, SIPCONF_ARTIFACTS, ... (the
        README's table). With no SIPCONF_BASE_URL it starts the embedded reference server and runs
        against it. The flags --base-url, --profile, --seed, --strict and --artifacts win over
        their variables; credentials come only from the environment or the settings file.

        --filter PATTERN (repeatable; SIPCONF_FILTER, comma-separated) judges only the checks whose ID
        starts with PATTERN or whose section PATTERN names (`sipconf list` shows both); the others are
        SKIPPED "not run: left out by --filter ...", and the phases none of the chosen checks needs send
        nothing. A pattern that matches no check is a configuration error.

        Exit code: 0 PASS, 1 FAIL (a MUST broken; with SIPCONF_STRICT=true also a SHOULD), 2 the
        configuration is wrong (nothing was sent).
        """;

    public static Command Build(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var settingsFile = CommandLine.SettingsOption();
        var progress = new Option<int>("--progress")
        {
            Description = "print a progress line on stderr every SECONDS while the run is under way (0: never)",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 10,
        };
        progress.Validators.Add(r =>
        {
            if (r.Tokens is [{ Value: var v }] && int.TryParse(v, out var seconds) && seconds < 0) r.AddError("--progress takes a number of seconds, 0 or more.");
        });
        var filter = new Option<string[]>("--filter")
        {
            Description = $"judge only the checks whose ID starts with PATTERN (CREATE-AUTH, CREATE-AUTH-003) or of the section PATTERN names as `sipconf list` shows it, " +
                          $"case-insensitive; repeatable; the others are SKIPPED (not run) and the phases none of the chosen checks needs are not sent (instead of {SettingsLoader.Filter}, comma-separated)",
            HelpName = "PATTERN",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("run", Description) { settingsFile, progress, filter };
        // --base-url, --profile, --seed, --strict, --artifacts: over the variables they stand for (RunFlags.cs).
        var flags = RunFlags.Create();
        foreach (var flag in flags) command.Options.Add(flag.Option);
        command.SetAction((parsed, ct) =>
        {
            var settingsEnvironment = RunFlags.Over(parsed, flags, environment);
            var settings = CommandLine.LoadSettings(parsed.GetValue(settingsFile), settingsEnvironment, parsed.GetValue(filter));
            return RunAsync(settings, TimeSpan.FromSeconds(parsed.GetValue(progress)), stdout, stderr, environment, ct);
        });
        return command;
    }

    /// <summary>
    /// One run to its verdict. <paramref name="explainFailures"/> false leaves the failures'
    /// explanations to the reports (`sipconf drift --live`, whose own report compares two runs).
    /// </summary>
    public static async Task<int> RunAsync(SuiteSettings settings, TimeSpan progressEvery, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, CancellationToken ct, bool explainFailures = true)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var host = await ConformanceHost.StartAsync(settings, stdout.WriteLine, ct: ct).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        using var stop = ct.Register(() =>
        {
            stderr.WriteLine("sipconf run: interrupted: stopping the run; cleaning up what it created.");
            host.Run.Cancel();
        });
        using var ticker = progressEvery > TimeSpan.Zero
            // A first line at once (a run against a fast target may be over before the first interval), then one every interval.
            ? new Timer(_ => stderr.WriteLine(host.Progress(clock.Elapsed)), null, TimeSpan.Zero, progressEvery)
            : null;
        try
        {
            await host.Run.RunAllAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // what ran so far is reported below
        }
        if (ticker is not null) await ticker.DisposeAsync().ConfigureAwait(false);

        if (!ct.IsCancellationRequested) await PublishPactAsync(host, stdout, environment, ct).ConfigureAwait(false);
        var closed = host.Close(explainFailures: explainFailures);
        if (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("sipconf run: interrupted before the end: the verdict covers what ran.").ConfigureAwait(false);
            return CommandLine.Failed;
        }
        return closed.Failed ? CommandLine.Failed : CommandLine.Ok;
    }

    /// <summary>As the conformance project's pact test does: publish the exported pact when a broker is configured.</summary>
    private static async Task PublishPactAsync(ConformanceHost host, TextWriter stdout, Func<string, string?> environment, CancellationToken ct)
    {
        var probe = host.Run.Probes.OfType<PactProbe>().SingleOrDefault();
        if (probe?.PactFile is null) return;
        string[] names = [BrokerPublisher.BrokerUrl, BrokerPublisher.BrokerToken, BrokerPublisher.BrokerUsername, BrokerPublisher.BrokerPassword,
            BrokerPublisher.BrokerRetries, .. BrokerPublisher.BranchVariables];
        var env = names.Select(n => (Name: n, Value: environment(n))).Where(v => v.Value is not null).ToDictionary(v => v.Name, v => v.Value);
        try
        {
            var result = await PactWorkflow.PublishAsync(host.Run.Settings, Path.GetDirectoryName(probe.PactFile)!, env, ct).ConfigureAwait(false);
            await stdout.WriteLineAsync(host.Run.Redactor.Redact("SipConformance: pact publishing: " + result.Message)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await stdout.WriteLineAsync(host.Run.Redactor.Redact("SipConformance: pact publishing failed: " + e.Message)).ConfigureAwait(false);
        }
    }
}
