using System.CommandLine;

namespace SipConformance.Cli;

/// <summary>`sipconf merge DIR...` on the command line; the work is <see cref="MergeCommand"/>.</summary>
public static class MergeVerb
{
    public const string Description = """
        Merge the shards of one run (SIPCONF_SHARD=1/n ... n/n, the same seed, profile, contract
        revision and strictness) into the whole run's reports: each DIR is a shard's artifacts
        folder (or its sipconformance-findings.json). Counts are summed, each check takes its worst
        outcome; the findings JSON, JUnit, summary and HTML report go to $SIPCONF_ARTIFACTS (default
        artifacts/), and the verdict line is printed as a run prints it.

        Exit code: 0 PASS, 1 FAIL, 2 refused (shards of different runs, a duplicate or a missing
        shard, named; a file that is not a findings file).
        """;

    public static Command Build(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var shards = new Argument<string[]>("DIR")
        {
            Description = "the shards' artifacts folders (or their findings files), in any order",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("merge", Description) { shards };
        command.SetAction((parsed, ct) => MergeCommand.RunAsync(parsed.GetValue(shards) ?? [], stdout, stderr, environment, ct));
        return command;
    }
}
