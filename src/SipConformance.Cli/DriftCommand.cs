using System.CommandLine;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Rules;

namespace SipConformance.Cli;

/// <summary>`sipconf drift`: what changed between two contract revisions, per rule and per schema/enum difference (<see cref="DriftDocument"/>).</summary>
public static class DriftCommand
{
    public const string Description = """
        Show what changed between two contract revisions, from the two contract files and the rule
        book alone (no target): per rule, whether it applies in both, no longer applies, applies only
        in the later one, or holds the target to a changed expectation (with the clause of each); then
        every schema, enum and operation difference, with the rules that name it, or "no rule covers it".
        Markdown on stdout, or into --output FILE.

        Exit code: 0 done, 2 an unknown revision.
        """;

    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var from = new Option<string>("--from") { Description = "the earlier revision", HelpName = "REVISION", DefaultValueFactory = _ => ContractRevisions.March2026 };
        var to = new Option<string>("--to") { Description = "the later revision", HelpName = "REVISION", DefaultValueFactory = _ => ContractRevisions.August2026 };
        var output = new Option<FileInfo?>("--output") { Description = "write the Markdown into FILE instead of stdout", HelpName = "FILE" };
        var command = new Command("drift", Description) { from, to, output };
        command.SetAction(async (parsed, ct) =>
        {
            var (a, b) = (SettingsLoader.ParseRevision(parsed.GetValue(from)), SettingsLoader.ParseRevision(parsed.GetValue(to)));
            var text = DriftDocument.Render(SipContract.Of(a), SipContract.Of(b));
            if (parsed.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, text, ct).ConfigureAwait(false);
                await stdout.WriteLineAsync($"sipconf drift: {a} -> {b} written to {file.FullName}").ConfigureAwait(false);
            }
            else await stdout.WriteAsync(text).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
