using SipConformance.Rules;

namespace SipConformance.Configuration;

/// <summary>
/// Which checks a run judges (`sipconf run --filter PATTERN`, repeatable; SIPCONF_FILTER, comma-separated):
/// a pattern selects the checks whose ID starts with it (CREATE-AUTH, CREATE-AUTH-003) or the checks of
/// the section it names as `sipconf list` shows it (Authentication (401)), case-insensitive. A check no
/// pattern selects is SKIPPED with <see cref="LeftOutReason"/>, never PASS, and the run leaves out the
/// phases none of whose checks are selected. A pattern that selects nothing is a configuration error:
/// a typo must not turn into a run that judges nothing and passes.
/// </summary>
public sealed record CheckFilter
{
    /// <summary>No filter: every check is judged.</summary>
    public static readonly CheckFilter None = new([]);

    private CheckFilter(IReadOnlyList<string> patterns) => Patterns = patterns;

    /// <summary>The patterns as given (trimmed, duplicates dropped), in their order.</summary>
    public IReadOnlyList<string> Patterns { get; }

    public bool IsNone => Patterns.Count == 0;

    /// <summary>
    /// The filter of <paramref name="patterns"/> (blank ones ignored); a pattern that selects no check of the
    /// rule book is a <see cref="SettingsException"/> naming it and `sipconf list`.
    /// </summary>
    public static CheckFilter Of(IEnumerable<string> patterns, string source = SettingsLoader.Filter)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var kept = patterns.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var pattern in kept)
            if (!RuleBook.All.Any(r => Matches(pattern, r)))
                throw new SettingsException(
                    $"{source}: the pattern '{pattern}' matches no check; give a check ID or its prefix (CREATE-AUTH, CREATE-AUTH-003) or a section as `sipconf list` shows them.");
        return kept.Count == 0 ? None : new CheckFilter(kept);
    }

    /// <summary>SIPCONF_FILTER's form: patterns separated by commas (section names with a comma need their ID prefix).</summary>
    public static CheckFilter Parse(string? text) =>
        text is null ? None : Of(text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Whether one pattern selects <paramref name="rule"/>: its ID starts with it, or it names the rule's section (heading or short name).</summary>
    public static bool Matches(string pattern, Rule rule)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Id.StartsWith(pattern, StringComparison.OrdinalIgnoreCase)
            || string.Equals(rule.Section.Heading, pattern, StringComparison.OrdinalIgnoreCase)
            || string.Equals(rule.Section.Name, pattern, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether the run judges <paramref name="rule"/> (always, without a filter).</summary>
    public bool Selects(Rule rule) => IsNone || Patterns.Any(p => Matches(p, rule));

    /// <summary>
    /// The patterns as SIPCONF_FILTER takes them back in a replay line: a section name as its ID prefix (CREATE-AUTH-),
    /// which selects the same checks and needs no quoting in a shell (a heading holds spaces, parentheses, commas).
    /// </summary>
    public string ReplayValue => string.Join(',', Patterns.Select(p =>
        RuleBook.Sections.FirstOrDefault(s => string.Equals(s.Heading, p, StringComparison.OrdinalIgnoreCase) || string.Equals(s.Name, p, StringComparison.OrdinalIgnoreCase))
            is { } section ? $"CREATE-{section.Prefix}-" : p));

    /// <summary>The patterns as one text, for the banner, the verdict and the reports.</summary>
    public override string ToString() => string.Join(", ", Patterns);

    /// <summary>The reason a check the filter leaves out is SKIPPED.</summary>
    public string LeftOutReason => $"{LeftOutPrefix} {this}";

    /// <summary>How the skip reason of a check left out by a filter starts (what reports and merge recognise it by).</summary>
    public const string LeftOutPrefix = "not run: left out by --filter";

    /// <summary>Whether two runs judged the same checks (same patterns, in any order and case).</summary>
    public bool SameAs(CheckFilter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Patterns.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(other.Patterns.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
    }

    public bool Equals(CheckFilter? other) => other is not null && SameAs(other);

    public override int GetHashCode() => Patterns.Count;
}
