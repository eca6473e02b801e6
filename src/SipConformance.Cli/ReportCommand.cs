using SipConformance.Findings;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using SipConformance.Reporting.Html;

namespace SipConformance.Cli;

/// <summary>
/// `sipconf report RUN.json...`: one HTML page from several runs' findings files (servers,
/// revisions, before and after), one column of the grid per run, in the order given.
/// </summary>
public static class ReportCommand
{
    public const string DefaultOutput = "sipconformance-runs.html";

    public const string Description = """
        Build one self-contained HTML page from several runs' findings files
        (artifacts/sipconformance-findings.json of each run; a folder stands for the findings file
        in it): the diagnoses of each run, then the grid of checks with one column per run, in the
        order given, and the combination heatmaps side by side.

        The page is written through the redactor: a credential set in the environment (SIPCONF_API_TOKEN,
        ...) never reaches it, even if a findings file held one. Exit code: 0 written, 2 a file is
        missing or is not a findings file.
        """;

    public static Command Build(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var runs = new Argument<string[]>("RUN.json")
        {
            Description = "findings files (or artifacts folders holding sipconformance-findings.json), one column each",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = $"where to write the page (a relative path is taken from the current folder)",
            HelpName = "FILE",
            DefaultValueFactory = _ => DefaultOutput,
        };
        var command = new Command("report", Description) { runs, output };
        command.SetAction((parsed, ct) => Task.FromResult(Write(parsed.GetValue(runs) ?? [], parsed.GetValue(output)!, stdout, stderr, environment)));
        return command;
    }

    public static int Write(IReadOnlyList<string> inputs, string output, TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var documents = new List<FindingsDocument>();
        foreach (var input in inputs)
        {
            var file = Directory.Exists(input) ? Path.Combine(input, Reporting.Reports.FindingsFileName) : input;
            if (!File.Exists(file))
            {
                stderr.WriteLine($"sipconf report: no findings file '{file}'.");
                return CommandLine.Usage;
            }
            try
            {
                documents.Add(FindingsDocument.Load(file));
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
            {
                stderr.WriteLine($"sipconf report: '{file}' is not a SipConformance findings file ({e.Message}).");
                return CommandLine.Usage;
            }
        }

        // Findings files are written redacted; the page is redacted once more with whatever
        // credentials this environment holds, so a hand-edited or foreign file cannot leak them.
        var redactor = CommandLine.EnvironmentRedactor(environment);
        var path = Path.GetFullPath(output);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, redactor.Redact(HtmlReport.Render(documents)), new UTF8Encoding(false));
        stdout.WriteLine($"sipconf report: {documents.Count} run(s) on one page: {path}");
        for (var i = 0; i < documents.Count; i++)
            stdout.WriteLine(redactor.Redact($"  {HtmlReport.Label(documents, i)}: {documents[i].Verdict}"));
        return CommandLine.Ok;
    }
}
