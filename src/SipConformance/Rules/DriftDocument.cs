using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SipConformance.Contract;

namespace SipConformance.Rules;

/// <summary>
/// What changed between two contract revisions, from the two contract files and the rule book alone:
/// per rule, whether it applies in both, no longer applies, applies only in the later one, or holds
/// the target to a changed expectation (each with its clause); then every difference of schemas,
/// enums, operations and the answer's properties, with the rules that name it, or "no rule covers it".
/// `sipconf drift` prints it; docs/DRIFT-{from}-{to}.md is the generated file a test keeps current.
/// </summary>
public static class DriftDocument
{
    /// <summary>Where the generated file of two revisions lives in the repository.</summary>
    public static string RelativePath(string from, string to) => $"docs/DRIFT-{from}-{to}.md";

    /// <summary>The command that regenerates the file of two revisions.</summary>
    public static string RegenerateCommand(string from, string to) =>
        $"dotnet run --project src/SipConformance.Cli -- drift --from {from} --to {to} --output {RelativePath(from, to)}";

    /// <summary>How a rule fares from one revision to the next.</summary>
    public enum Change
    {
        Unchanged,
        NoLongerApplies,
        NewlyApplies,
        ExpectationChanged,
    }

    public static Change Of(Rule rule, string from, string to) => (rule.AppliesIn(from), rule.AppliesIn(to)) switch
    {
        (true, false) => Change.NoLongerApplies,
        (false, true) => Change.NewlyApplies,
        (true, true) when rule.ClauseIn(from) != rule.ClauseIn(to) => Change.ExpectationChanged,
        _ => Change.Unchanged,
    };

    /// <summary>One difference between the two contract files, and the rules (of either revision) that name what changed.</summary>
    public sealed record Difference(string Kind, string What, IReadOnlyList<string> CoveredBy);

    public static string Render(SipContract from, SipContract to)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Drift between contract revisions {from.Revision} and {to.Revision}").AppendLine();
        sb.AppendLine("Generated from the two contract files (`src/SipConformance.Contract/openapi/`) and the rule book by");
        sb.AppendLine($"`DriftDocument.Render`; a test fails when this file is stale. Regenerate it with");
        sb.AppendLine($"`{RegenerateCommand(from.Revision, to.Revision)}`. Do not edit it by hand.").AppendLine();

        var rules = RuleBook.All.Where(r => r.AppliesIn(from.Revision) || r.AppliesIn(to.Revision)).ToList();
        var byChange = rules.GroupBy(r => Of(r, from.Revision, to.Revision)).ToDictionary(g => g.Key, g => g.ToList());
        List<Rule> Get(Change c) => byChange.TryGetValue(c, out var l) ? l : [];
        sb.AppendLine("## Per rule").AppendLine();
        sb.AppendLine($"{rules.Count} rules: {Get(Change.Unchanged).Count} apply in both unchanged, {Get(Change.ExpectationChanged).Count} hold the target to a changed expectation, " +
                      $"{Get(Change.NoLongerApplies).Count} no longer apply (SKIPPED \"{Rule.NotInRevision(to.Revision)}\"), {Get(Change.NewlyApplies).Count} apply only in {to.Revision}.").AppendLine();
        Section(sb, $"No longer applies in {to.Revision}", Get(Change.NoLongerApplies), r => $"> {r.ClauseIn(from.Revision)}");
        Section(sb, $"Applies only in {to.Revision}", Get(Change.NewlyApplies), r => $"> {r.ClauseIn(to.Revision)}");
        Section(sb, "Expectation changed", Get(Change.ExpectationChanged), r => $"> {from.Revision}: {r.ClauseIn(from.Revision)}\n>\n> {to.Revision}: {r.ClauseIn(to.Revision)}");
        sb.AppendLine($"### Unchanged ({Get(Change.Unchanged).Count})").AppendLine();
        sb.AppendLine(string.Join(", ", Get(Change.Unchanged).Select(r => r.Id))).AppendLine();

        var differences = Differences(from, to);
        sb.AppendLine("## Schema, enum and operation differences").AppendLine();
        var uncovered = differences.Count(d => d.CoveredBy.Count == 0);
        sb.AppendLine($"{differences.Count} differences between the two files; {uncovered} of them no rule covers yet (no rule of either revision names what changed).").AppendLine();
        sb.AppendLine("| kind | difference | rules that name it |").AppendLine("|---|---|---|");
        foreach (var d in differences)
            sb.AppendLine($"| {d.Kind} | {d.What.Replace("|", "\\|", StringComparison.Ordinal)} | {(d.CoveredBy.Count == 0 ? "**no rule covers it**" : string.Join(", ", d.CoveredBy))} |");
        return sb.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static void Section(StringBuilder sb, string heading, IReadOnlyList<Rule> rules, Func<Rule, string> clause)
    {
        sb.AppendLine($"### {heading} ({rules.Count})").AppendLine();
        foreach (var r in rules)
            sb.AppendLine($"- **{r.Id}** [{r.LevelName}] {r.Title}").AppendLine().AppendLine("  " + clause(r).Replace("\n", "\n  ", StringComparison.Ordinal)).AppendLine();
        if (rules.Count == 0) sb.AppendLine("none").AppendLine();
    }

    /// <summary>Every difference of the two files the suite reads: operations, the answer's schema and properties, enums, component schemas.</summary>
    public static IReadOnlyList<Difference> Differences(SipContract from, SipContract to)
    {
        var list = new List<(string Kind, string What, string[] Names)>();
        foreach (var role in new[] { SchemaNames.CreateOperation, SchemaNames.ListOperation, SchemaNames.GetOperation, SchemaNames.DeleteOperation })
        {
            var (a, b) = (OperationId(from, role), OperationId(to, role));
            if (a != b) list.Add(("operation", $"operationId of {role}: `{a}` -> `{b}`", []));
        }
        foreach (var (what, a, b) in new[] { ("the create answer's schema", from.EndpointResponseSchema, to.EndpointResponseSchema),
                     ("the list's schema", from.ListResponseSchema, to.ListResponseSchema), ("the list item's schema", from.ListItemSchema, to.ListItemSchema) })
            if (a != b) list.Add(("response", $"{what}: `{a}` -> `{b}`", [a, b]));
        if (from.IsFlat != to.IsFlat)
            list.Add(("response", $"the endpoint's fields: {(from.IsFlat ? "top level" : $"in `{from.EndpointObject}`")} -> {(to.IsFlat ? "top level (flat)" : $"in `{to.EndpointObject}`")}", ["top-level", "flat", ResponseFields.SipEndpoint]));
        foreach (var p in from.ResponseProperties.Except(to.ResponseProperties))
            list.Add(("response property", $"`{p}` removed from the answer", [p]));
        foreach (var p in to.ResponseProperties.Except(from.ResponseProperties).Where(p => !from.CreateFields.Any(f => f.Name == p) || from.IsFlat))
            list.Add(("response property", $"`{p}` added to the answer", [p]));
        foreach (var field in from.CreateFields)
        {
            var other = to.CreateFields.FirstOrDefault(f => f.Name == field.Name);
            if (other is null) { list.Add(("request field", $"`{field.Name}` removed from the create request", [field.Name])); continue; }
            foreach (var v in other.Values.Except(field.Values)) list.Add(("enum", $"`{field.Name}` gains `{v}`", [field.Name]));
            foreach (var v in field.Values.Except(other.Values)) list.Add(("enum", $"`{field.Name}` loses `{v}`", [field.Name]));
            if (field.Required != other.Required) list.Add(("request field", $"`{field.Name}` {(other.Required ? "becomes required" : "is no longer required")}", [field.Name]));
        }
        foreach (var field in to.CreateFields.Where(f => from.CreateFields.All(g => g.Name != f.Name)))
            list.Add(("request field", $"`{field.Name}` added to the create request", [field.Name]));
        var fromSchemas = from.SchemaNamesInFile.ToHashSet(StringComparer.Ordinal);
        var toSchemas = to.SchemaNamesInFile.ToHashSet(StringComparer.Ordinal);
        foreach (var s in fromSchemas.Except(toSchemas).Order(StringComparer.Ordinal)) list.Add(("schema", $"`{s}` removed", [s]));
        foreach (var s in toSchemas.Except(fromSchemas).Order(StringComparer.Ordinal))
        {
            var values = to.SchemaObject(s)["enum"] is JsonArray e ? $" (enum: {string.Join(", ", e.Select(v => v!.GetValue<string>()))})" : "";
            list.Add(("schema", $"`{s}` added{values}", [s]));
        }
        if (from.InboundCallHandlers.Count == 0 && to.InboundCallHandlers.Count > 0)
            list.Add(("enum", $"the answer's `call_handler` is typed with `{SchemaNames.InboundCallHandler}` (inbound handlers), unlike the request's", [SchemaNames.InboundCallHandler]));
        return list.Select(d => new Difference(d.Kind, d.What, CoveredBy(d.Names, from.Revision, to.Revision))).ToList();
    }

    /// <summary>The rules (applying in either revision) whose clause under a revision, or title, names one of the names.</summary>
    private static IReadOnlyList<string> CoveredBy(string[] names, string from, string to) =>
        names.Length == 0 ? []
        : RuleBook.All.Where(r => (r.AppliesIn(from) || r.AppliesIn(to))
                && names.Any(n => Names(r.Title, n) || Names(r.ClauseIn(from), n) || Names(r.ClauseIn(to), n)))
            .Select(r => r.Id).ToList();

    private static bool Names(string text, string name) =>
        Regex.IsMatch(text, $@"(?<![\w.-]){Regex.Escape(name)}(?![\w-])", RegexOptions.CultureInvariant);

    private static string OperationId(SipContract contract, string role)
    {
        foreach (var (_, item) in (JsonObject)contract.Document["paths"]!)
            foreach (var (_, op) in (JsonObject)item!)
                if (op is JsonObject o && (o["operationId"]?.GetValue<string>() == role || o[SipContract.RoleExtension]?.GetValue<string>() == role))
                    return o["operationId"]!.GetValue<string>();
        return "(none)";
    }
}
