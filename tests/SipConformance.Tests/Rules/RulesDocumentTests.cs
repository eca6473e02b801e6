using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.ReferenceServer;
using SipConformance.Rules;
using SipConformance.Running;

namespace SipConformance.Tests.Rules;

/// <summary>docs/RULES.md is the rule book as a reader sees it: current, complete, and naming the faults that break each rule.</summary>
public class RulesDocumentTests
{
    private static string Render() => RulesDocument.Render(SipContract.Default,
        id => FaultCatalogue.All.Where(f => f.Rule == id).Select(f => f.Id));

    /// <summary>The command that rewrites docs/RULES.md (the test only reads it otherwise).</summary>
    public const string Regenerate = "SIPCONF_REGENERATE=true dotnet test tests/SipConformance.Tests --filter Name~Docs_RULES_md_is_current";

    [Test]
    public void Docs_RULES_md_is_current()
    {
        var path = Path.Combine(RepositoryPaths.Root ?? throw new InvalidOperationException("run from inside the repository"), RulesDocument.RelativePath);
        var expected = Render();
        if (Environment.GetEnvironmentVariable("SIPCONF_REGENERATE") == "true")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }
        File.Exists(path).Should().BeTrue($"{RulesDocument.RelativePath} is missing: write it with `{Regenerate}`");
        var actual = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        actual.Should().Be(expected, $"{RulesDocument.RelativePath} is generated from the rule book and is stale: rewrite it with `{Regenerate}` and commit it");
    }

    [Test]
    public void Every_rule_is_in_the_document_with_its_clause()
    {
        var doc = Render();
        foreach (var rule in RuleBook.All)
        {
            doc.Should().Contain($"### {rule.Id} [{rule.LevelName}] {rule.Title}");
            doc.Should().Contain("> " + rule.Clause);
        }
    }

    [Test]
    public void Each_section_owns_one_prefix_and_its_file()
    {
        RuleBook.Sections.Select(s => s.Prefix).Should().OnlyHaveUniqueItems();
        foreach (var rule in RuleBook.All)
            rule.Id.Should().StartWith($"CREATE-{rule.Section.Prefix}-");
        var root = RepositoryPaths.Root!;
        foreach (var type in RuleBook.SectionTypes)
            File.Exists(Path.Combine(root, "src", "SipConformance", "Rules", type.Name + ".cs")).Should().BeTrue($"section {type.Name} lives in Rules/{type.Name}.cs");
    }
}
