using System.CommandLine;
using SipConformance.Configuration;

namespace SipConformance.Cli;

/// <summary>
/// The flags of `sipconf run` for what users change from one run to the next. Each one stands for a
/// SIPCONF_* variable and wins over it (the environment, then the --settings file, are the
/// fallback). Credentials have no flag on purpose: a command line is visible to every process of
/// the machine and lands in shell histories and CI logs; tokens come from the environment or a
/// settings file only.
/// </summary>
public static class RunFlags
{
    private sealed record Flag(Option Option, string Variable, Func<ParseResult, string?> Value);

    private static Flag Text(string name, string variable, string helpName, string description)
    {
        var option = new Option<string>(name) { Description = $"{description} (instead of {variable})", HelpName = helpName };
        return new Flag(option, variable, parsed => parsed.GetResult(option) is null ? null : parsed.GetValue(option));
    }

    private static Flag Switch(string name, string variable, string description)
    {
        var option = new Option<bool>(name) { Description = $"{description} (instead of {variable}=true)", Arity = ArgumentArity.ZeroOrOne };
        return new Flag(option, variable, parsed => parsed.GetResult(option) is null ? null : parsed.GetValue(option) ? "true" : "false");
    }

    /// <summary>The flags, each bound to the variable it stands for.</summary>
    public static IReadOnlyList<(Option Option, string Variable, Func<ParseResult, string?> Value)> Create() =>
    [
        .. new[]
        {
            Text("--base-url", SettingsLoader.BaseUrl, "URL", "the target's base URL"),
            Text("--profile", SettingsLoader.Profile, "PROFILE", "smoke, pairwise, threewise, exhaustive or auto"),
            Text("--seed", SettingsLoader.Seed, "SEED", "the seed of every generator (repeats a run)"),
            Switch("--strict", SettingsLoader.Strict, "SHOULD-level findings fail the run"),
            Text("--artifacts", SettingsLoader.Artifacts, "DIR", "where the reports and the cleanup journal go"),
            Text("--revision", SettingsLoader.Revision, "REVISION", $"the contract revision the target is held to: {string.Join(" or ", Contract.SipContract.Revisions)} (default {Contract.SipContract.DefaultRevision})"),
        }.Select(f => (f.Option, f.Variable, f.Value)),
    ];

    /// <summary>The environment as a run sees it: a flag given on the command line over the variable it stands for.</summary>
    public static Func<string, string?> Over(ParseResult parsed, IEnumerable<(Option Option, string Variable, Func<ParseResult, string?> Value)> flags, Func<string, string?> environment)
    {
        var given = flags.Select(f => (f.Variable, Value: f.Value(parsed))).Where(f => f.Value is not null).ToDictionary(f => f.Variable, f => f.Value, StringComparer.Ordinal);
        // A base URL on the command line also overrides SIGNALWIRE_SPACE, which would otherwise stand for one.
        return name => given.TryGetValue(name, out var value) ? value
            : name == SettingsLoader.Space && given.ContainsKey(SettingsLoader.BaseUrl) ? null
            : environment(name);
    }
}
