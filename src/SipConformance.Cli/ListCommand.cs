using System.CommandLine;
using System.Text.Json;
using SipConformance.Rules;

namespace SipConformance.Cli;

/// <summary>
/// `sipconf list`: every check of the rule book (the one docs/RULES.md is generated from) with its
/// ID, level, section, title and quoted clause; as text, or as JSON with `--format json`.
/// </summary>
public static class ListCommand
{
    public const string Description = """
        List every check the suite runs: its stable ID, level (MUST, SHOULD, EITHER), contract
        section, title and the clause it enforces, in the order of docs/RULES.md. Nothing is sent.
        `--format json` prints one JSON document: {"checks": [{"id", "level", "section",
        "sectionPrefix", "title", "clause", "needs"}, ...]}.
        """;

    public const string Text = "text";
    public const string Json = "json";

    public static Command Build(TextWriter stdout)
    {
        var format = new Option<string>("--format")
        {
            Description = "text (default) or json",
            HelpName = "FORMAT",
            DefaultValueFactory = _ => Text,
        };
        format.AcceptOnlyFromAmong(Text, Json);
        var command = new Command("list", Description) { format };
        command.SetAction(parsed =>
        {
            stdout.Write(parsed.GetValue(format) == Json ? RenderJson() : RenderText());
            return CommandLine.Ok;
        });
        return command;
    }

    /// <summary>One line per check (ID, level, section, title), its clause on the next, indented.</summary>
    public static string RenderText()
    {
        var rules = InDocumentOrder();
        var idWidth = rules.Max(r => r.Id.Length);
        var levelWidth = rules.Max(r => r.LevelName.Length);
        var sectionWidth = rules.Max(r => r.Section.Heading.Length);
        using var text = new StringWriter { NewLine = "\n" };
        text.WriteLine($"{"ID".PadRight(idWidth)}  {"LEVEL".PadRight(levelWidth)}  {"SECTION".PadRight(sectionWidth)}  TITLE");
        foreach (var rule in rules)
        {
            text.WriteLine($"{rule.Id.PadRight(idWidth)}  {rule.LevelName.PadRight(levelWidth)}  {rule.Section.Heading.PadRight(sectionWidth)}  {rule.Title}");
            text.WriteLine($"{new string(' ', idWidth + 2)}> {rule.Clause}");
        }
        text.WriteLine($"{rules.Count} checks in {RuleBook.Sections.Count} sections.");
        return text.ToString();
    }

    public static string RenderJson()
    {
        var document = new
        {
            checks = InDocumentOrder().Select(r => new
            {
                id = r.Id,
                level = r.LevelName,
                section = r.Section.Heading,
                sectionPrefix = "CREATE-" + r.Section.Prefix,
                title = r.Title,
                clause = r.Clause,
                needs = r.Needs == Requirement.None ? null : r.Needs.ToString(),
            }),
        };
        return JsonSerializer.Serialize(document, Options) + "\n";
    }

    /// <summary>The rules section by section, as docs/RULES.md lists them.</summary>
    public static IReadOnlyList<Rule> InDocumentOrder() =>
        RuleBook.Sections.SelectMany(section => RuleBook.All.Where(r => r.Section == section)).ToList();

    // Relaxed escaping: clauses quote JSON bodies ({"error": ...}), which stay readable; the output is not embedded in HTML.
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
