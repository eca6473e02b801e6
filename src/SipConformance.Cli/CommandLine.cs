namespace SipConformance.Cli;

/// <summary>The `sipconf` command line: one verb, its options, exit codes.</summary>
public static class CommandLine
{
    /// <summary>Everything went as asked.</summary>
    public const int Ok = 0;
    /// <summary>The command ran, but something it had to do failed (a deletion, a list read).</summary>
    public const int Failed = 1;
    /// <summary>The command line or the configuration is wrong; nothing was done.</summary>
    public const int Usage = 2;

    public const string UsageText = """
        usage: sipconf cleanup [--journal FILE]... | [--all-journals]
                               [--marker MARKER | --any-marker] [--dry-run] [--settings FILE]

        Deletes what conformance runs left on a target (a crashed or killed run, or one with
        SIPCONF_CLEANUP=false): the open entries of cleanup journals (artifacts/journal/*.jsonl,
        written the moment each endpoint is created), and the endpoints whose username carries a
        run's marker (every username the suite creates starts with sipconf_<marker>_), across the
        paginated list of the project and, when configured, of the second project.

        The target and credentials come from the same variables as a run: SIPCONF_BASE_URL (or
        SIGNALWIRE_SPACE), SIPCONF_PROJECT_ID, SIPCONF_API_TOKEN (or SIGNALWIRE_PROJECT_ID,
        SIGNALWIRE_API_TOKEN), SIPCONF_SECOND_PROJECT_ID, SIPCONF_SECOND_API_TOKEN, SIPCONF_ARTIFACTS,
        SIPCONF_MAX_RPS, SIPCONF_CONCURRENCY, SIPCONF_TIMEOUT, SIPCONF_INSECURE_TLS.

          --journal FILE     read this journal (may be given more than once)
          --all-journals     read every journal under $SIPCONF_ARTIFACTS/journal (default: artifacts/journal);
                             the default when neither a journal nor a marker option is given
          --marker MARKER    also delete every endpoint whose username starts with sipconf_MARKER_
                             (the marker a run prints in its banner: "run marker ...")
          --any-marker       also delete every endpoint whose username starts with sipconf_, whatever
                             the run: this includes what a run under way right now is using
          --dry-run          print what would be deleted; delete nothing
          --settings FILE    read SIPCONF_* from a .runsettings file's TestRunParameters
                             (environment variables win, as in a run)

        It prints each endpoint it deleted (id and username; never a credential). Exit code: 0 when
        every deletion succeeded, 1 when one failed or a list could not be read whole, 2 when the
        command line or the configuration is wrong.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            (args.Length == 0 ? stderr : stdout).WriteLine(UsageText);
            return args.Length == 0 ? Usage : Ok;
        }
        switch (args[0])
        {
            case "cleanup":
                return await CleanupCommand.RunAsync(args[1..], stdout, stderr, environment, ct).ConfigureAwait(false);
            default:
                await stderr.WriteLineAsync($"sipconf: unknown command '{args[0]}'{Environment.NewLine}{UsageText}").ConfigureAwait(false);
                return Usage;
        }
    }
}
