using System.Reflection;
using SipConformance.Generation;

namespace SipConformance.Rules;

/// <summary>
/// Every rule of the suite, found from the section classes of this folder, in ID order. IDs are
/// unique and stable; each section owns one ID prefix.
/// </summary>
public static class RuleBook
{
    /// <summary>The section classes, in the contract's order.</summary>
    public static readonly Type[] SectionTypes =
    [
        typeof(Success), typeof(Echo), typeof(ReadBack), typeof(Validation), typeof(CallHandler), typeof(Strings),
        typeof(Authentication), typeof(Isolation), typeof(Listing), typeof(Deleting), typeof(Misc), typeof(Http),
        typeof(Properties), typeof(Pact),
    ];

    public static IReadOnlyList<Section> Sections { get; }

    public static IReadOnlyList<Rule> All { get; }

    /// <summary>The rules that make their own cases from mutations, stimuli or valid payloads.</summary>
    public static IReadOnlyList<CaseRule> CaseRules { get; }

    private static readonly Dictionary<string, Rule> ById;

    static RuleBook()
    {
        var sections = new List<Section>();
        var all = new List<Rule>();
        foreach (var type in SectionTypes)
        {
            var section = (Section)type.GetField(nameof(Section), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            sections.Add(section);
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => typeof(Rule).IsAssignableFrom(f.FieldType)))
            {
                var rule = (Rule)field.GetValue(null)!;
                if (!rule.Id.StartsWith($"CREATE-{section.Prefix}-", StringComparison.Ordinal))
                    throw new InvalidOperationException($"{type.Name}.{field.Name} is {rule.Id}, outside its section's prefix CREATE-{section.Prefix}-");
                rule.Section = section;
                all.Add(rule);
            }
        }
        Sections = sections;
        All = all.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        ById = All.ToDictionary(r => r.Id, StringComparer.Ordinal);
        CaseRules = All.OfType<CaseRule>().ToList();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<Rule>> ByRevision = new(StringComparer.Ordinal);

    /// <summary>The rules that apply under a contract revision, in ID order.</summary>
    public static IReadOnlyList<Rule> For(string revision) =>
        ByRevision.GetOrAdd(revision, r => All.Where(rule => rule.AppliesIn(r)).ToList());

    public static Rule Get(string id) => ById.TryGetValue(id, out var rule) ? rule : throw new KeyNotFoundException($"no rule '{id}'");

    /// <summary>The one rule that owns a mutation (its answers and its level judge the mutated payload).</summary>
    public static CaseRule OwnerOf(Mutation m)
    {
        CaseRule? owner = null;
        foreach (var rule in CaseRules)
            if (rule.Owns(m))
                owner = owner is null ? rule : throw new InvalidOperationException($"mutation {m} ({m.Kind}) is owned by both {owner.Id} and {rule.Id}");
        return owner ?? throw new InvalidOperationException($"no rule owns mutation {m} ({m.Kind})");
    }

    /// <summary>The rules whose stimuli a probe sends, in ID order.</summary>
    public static IEnumerable<CaseRule> WithStimuli(Section section) => CaseRules.Where(r => r.Section == section && r.HasStimuli);
}
