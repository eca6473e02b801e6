using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using SipConformance.Configuration;
using SipConformance.Target;

namespace SipConformance.Cli;

/// <summary>
/// The `sipconf` command line (System.CommandLine): the verbs run, report, cleanup and merge,
/// each with --help; exit codes <see cref="Ok"/>, <see cref="Failed"/>, <see cref="Usage"/>.
/// </summary>
public static class CommandLine
{
    /// <summary>Everything went as asked (a run: PASS).</summary>
    public const int Ok = 0;
    /// <summary>The command ran, but what it judged or had to do failed (a run: FAIL; a deletion that failed).</summary>
    public const int Failed = 1;
    /// <summary>The command line or the configuration is wrong, or the input was refused; nothing was judged.</summary>
    public const int Usage = 2;

    public const string Settings = "--settings";

    /// <summary>`--settings FILE`: SIPCONF_* from a .runsettings file's TestRunParameters (environment variables win).</summary>
    internal static Option<FileInfo?> SettingsOption() => new(Settings)
    {
        Description = "read SIPCONF_* from a .runsettings file's TestRunParameters (environment variables win, as in `dotnet test`)",
        HelpName = "FILE",
    };

    /// <summary>
    /// The settings a verb runs with: the environment over the --settings file's parameters. Patterns of
    /// `--filter` win over SIPCONF_FILTER of both (which is then not read at all: a flag given replaces it,
    /// typos included), and stay apart (a section name may hold a comma).
    /// </summary>
    internal static SuiteSettings LoadSettings(FileInfo? settingsFile, Func<string, string?> environment, IReadOnlyList<string>? filter = null)
    {
        var parameters = settingsFile is null ? new Dictionary<string, string?>() : RunSettingsFile.Read(settingsFile.FullName);
        if (filter is not { Count: > 0 }) return SettingsLoader.Load(environment, parameters);
        var withoutFilter = parameters.Where(p => p.Key != SettingsLoader.Filter).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var settings = SettingsLoader.Load(name => name == SettingsLoader.Filter ? null : environment(name), withoutFilter);
        return settings with { Filter = CheckFilter.Of(filter, "--filter") };
    }

    /// <summary>
    /// A redactor for the credentials the environment holds (SIPCONF_API_TOKEN, SIPCONF_SECOND_API_TOKEN,
    /// SIGNALWIRE_API_TOKEN), for verbs that read files rather than a target: what they write
    /// never carries one, even from a hand-edited or foreign findings file. The project ids are passed too,
    /// so the Basic credential (base64 of project:token) is looked for as a needle, as a run's redactor does.
    /// </summary>
    internal static Redactor EnvironmentRedactor(Func<string, string?> environment) =>
        new(new[] { SettingsLoader.ApiToken, SettingsLoader.SecondApiToken, SettingsLoader.FallbackApiToken }
                .Select(environment).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => new Secret(t!.Trim())),
            new[] { SettingsLoader.ProjectId, SettingsLoader.SecondProjectId, SettingsLoader.FallbackProjectId }
                .Select(environment).Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim()));

    public static Command Build(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        // Not a RootCommand, whose name is the process's (testhost, dotnet): help says `sipconf` wherever it runs.
        var root = new Command("sipconf", Overview);
        root.Options.Add(new HelpOption { Recursive = true });
        root.Options.Add(new VersionOption());
        root.Subcommands.Add(RunCommand.Build(stdout, stderr, environment));
        root.Subcommands.Add(ListCommand.Build(stdout));
        root.Subcommands.Add(ReportCommand.Build(stdout, stderr, environment));
        root.Subcommands.Add(CleanupCommand.Build(stdout, stderr, environment));
        root.Subcommands.Add(MergeVerb.Build(stdout, stderr, environment));
        root.Subcommands.Add(DriftCommand.Build(stdout, stderr, environment));
        // `sipconf --help` lists the verbs in one line each (the verbs' own --help say the rest).
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new OverviewHelp(root, help.Action!, stdout);
        return root;
    }

    public const string Overview = """
        sipconf: the SipConformance suite for the SignalWire Fabric "Create SIP Endpoint" operation
        (POST /api/fabric/resources/sip_endpoints), as one command.
        """;

    public const string Verbs = """
        usage: sipconf VERB [options]

          run       run the suite against a target (SIPCONF_BASE_URL, ...) or the embedded reference server
          list      list every check: ID, level, section, title, clause (--format json)
          report    build one HTML page from several runs' findings files
          cleanup   delete what runs left on a target
          merge     combine the findings of a sharded run's shards (SIPCONF_SHARD=i/n)
          drift     what changed between two contract revisions, per rule; --live: which one a target implements

        Exit codes: 0 PASS (or done), 1 FAIL (or something the command had to do failed), 2 the
        command line, the configuration or the input is wrong. `sipconf VERB --help` says more.
        """;

    private sealed class OverviewHelp(Command root, CommandLineAction verbHelp, TextWriter stdout) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            if (parseResult.CommandResult.Command != root) return ((SynchronousCommandLineAction)verbHelp).Invoke(parseResult);
            stdout.WriteLine(Overview + Environment.NewLine + Environment.NewLine + Verbs);
            return Ok;
        }
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = Build(stdout, stderr, environment);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not OverviewHelp) // --help answers even beside a missing argument
        {
            if (args.Length == 0 || (parsed.CommandResult.Command == root && !args[0].StartsWith('-')))
            {
                if (args.Length > 0) await stderr.WriteLineAsync($"sipconf: unknown command '{args[0]}'").ConfigureAwait(false);
                await stderr.WriteLineAsync(Verbs).ConfigureAwait(false);
                return Usage;
            }
            foreach (var error in parsed.Errors) await stderr.WriteLineAsync($"sipconf: {error.Message}").ConfigureAwait(false);
            var verb = parsed.CommandResult.Command;
            await stderr.WriteLineAsync($"See `sipconf{(verb == root ? "" : " " + verb.Name)} --help`.").ConfigureAwait(false);
            return Usage;
        }
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        try
        {
            return await parsed.InvokeAsync(config, ct).ConfigureAwait(false);
        }
        catch (SettingsException e)
        {
            await stderr.WriteLineAsync($"sipconf {parsed.CommandResult.Command.Name}: {e.Message}").ConfigureAwait(false);
            return Usage;
        }
    }
}
