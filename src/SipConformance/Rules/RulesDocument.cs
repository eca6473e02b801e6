using System.Text;
using SipConformance.Cases;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.Running;
using SipConformance.Target;

namespace SipConformance.Rules;

/// <summary>
/// docs/RULES.md, made from the rule book: every rule with its ID, level, section, the quoted
/// clause, how it is judged, the stimuli that exercise it, and the faults of the reference
/// server's catalogue that break it. A test keeps the file current.
/// </summary>
public static class RulesDocument
{
    public const string RelativePath = "docs/RULES.md";

    /// <param name="faultsBreaking">The ids of the catalogue's faults that break a rule (by rule id).</param>
    public static string Render(SipContract contract, Func<string, IEnumerable<string>> faultsBreaking)
    {
        var context = ExampleContext(contract);
        var mutations = Mutations.All(contract, (h, i) => context.Payloads.Valid("docs", i, context.Payloads.Choice("docs", i, h)),
            resourceAvailable: true, context.Identity.Uuid("unknown-resource", 0).ToString(), context.Target.Second!.ResourceId).ToList();
        var sb = new StringBuilder();
        sb.AppendLine("# The rules the suite enforces").AppendLine();
        sb.AppendLine("Generated from the rule book (`src/SipConformance/Rules/`, one file per section) by");
        sb.AppendLine("`RulesDocument.Render`; a test of `tests/SipConformance.Tests` fails when this file is stale and");
        sb.AppendLine("writes the current one. Do not edit it by hand.").AppendLine();
        sb.AppendLine("Levels follow RFC 2119: **MUST** (a violation fails the run), **SHOULD** (a violation is NON-STRICT,");
        sb.AppendLine("failing only with `SIPCONF_STRICT=true`), **EITHER** (each behaviour the rule names passes; anything");
        sb.AppendLine("else fails). Stimuli are listed for contract revision " + contract.Revision + ".").AppendLine();
        sb.AppendLine($"Contract revisions (`SIPCONF_REVISION`): {string.Join(", ", SipContract.Revisions.Select(r => r == SipContract.DefaultRevision ? r + " (default)" : r))}. Each rule");
        sb.AppendLine("names the revisions it applies to; under another it is SKIPPED with the reason \"not in revision ...\". Where a");
        sb.AppendLine("revision words a rule's expectation otherwise, that clause is quoted under the revision's name.").AppendLine();
        foreach (var section in RuleBook.Sections)
        {
            var rules = RuleBook.All.Where(r => r.Section == section).ToList();
            sb.AppendLine($"## {section.Heading} (`CREATE-{section.Prefix}`, `Rules/{RuleBook.SectionTypes[RuleBook.Sections.ToList().IndexOf(section)].Name}.cs`)").AppendLine();
            foreach (var rule in rules)
            {
                sb.AppendLine($"### {rule.Id} [{rule.LevelName}] {rule.Title}").AppendLine();
                sb.AppendLine($"> {rule.Clause}").AppendLine();
                sb.AppendLine($"- revisions: {string.Join(", ", rule.Revisions)}");
                foreach (var revision in rule.Revisions.Where(r => rule.ClauseIn(r) != rule.Clause))
                    sb.AppendLine($"- under {revision}: \"{rule.ClauseIn(revision)}\"");
                if (rule.Needs != Requirement.None) sb.AppendLine($"- needs: {rule.Needs} (SKIPPED without it)");
                sb.AppendLine($"- judged by: {rule.JudgedBy}");
                if (rule is CaseRule c)
                {
                    var owned = mutations.Where(c.Owns).Select(m => m.ToString()).Distinct().ToList();
                    var own = c.Stimuli(context).Select(s => s.Name).Distinct().ToList();
                    var stimuli = owned.Concat(own).ToList();
                    sb.AppendLine(stimuli.Count > 0 ? $"- stimuli ({stimuli.Count}): {string.Join("; ", stimuli.Take(12))}{(stimuli.Count > 12 ? "; ..." : "")}"
                        : $"- stimuli: {c.Source ?? "valid payloads"}");
                }
                var faults = faultsBreaking(rule.Id).Order(StringComparer.Ordinal).ToList();
                sb.AppendLine($"- faults that break it: {(faults.Count == 0 ? "none in the catalogue" : string.Join(", ", faults.Select(f => $"`{f}`")))}");
                sb.AppendLine();
            }
        }
        return sb.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>A target of placeholder projects, so the stimuli can be listed without one.</summary>
    private static StimulusContext ExampleContext(SipContract contract)
    {
        var identity = RunIdentity.Create(1, "docs");
        TargetProject Project(string label, int n) => new(label, identity.Uuid("docs-project", n).ToString(), new Secret("docs-token"),
            identity.Uuid("docs-resource", n).ToString(), n == 0 ? SettingsLoader.ProjectId : SettingsLoader.SecondProjectId, n == 0 ? SettingsLoader.ApiToken : SettingsLoader.SecondApiToken);
        var target = new ResolvedTarget(new Uri("http://127.0.0.1/"), Project("primary", 0), Project("second", 1), Embedded: true);
        return new StimulusContext(contract, identity, target, new PayloadFactory(contract, identity, target.ResourceId));
    }
}
