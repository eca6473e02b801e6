namespace SipConformance.Findings;

/// <summary>
/// What the learning phase found the target takes in each string field of the create body
/// (<c>learned</c> in the findings document; absent in documents of runs without the phase): the
/// baseline payload's answer, then per field each class of text and each length, as stored
/// exactly, refused (422), mangled (200 but stored otherwise) or other. Every shard learns the
/// same table (the phase is deterministic for a seed and a target); merge refuses shards whose
/// tables differ.
/// </summary>
/// <param name="BaselineStatus">What the unvaried baseline payload was answered (0: no answer).</param>
/// <param name="BaselineRefusedByCallerId">The baseline and every payload varying another field than caller_id were refused while SIPCONF_CALLER_ID was unset: the generated caller id is what the target refuses.</param>
/// <param name="Creates">The creates the phase sent (the baseline included).</param>
public sealed record LearnedEntry(int BaselineStatus, bool BaselineRefusedByCallerId, int Creates, IReadOnlyList<LearnedFieldEntry> Fields)
{
    public const string Stored = "stored", Refused = "refused", Mangled = "mangled", Other = "other";

    /// <summary>One line per field: every class stored, refused, mangled (and answered otherwise).</summary>
    public IEnumerable<string> Lines() => Fields.Select(f => f.Line());

    /// <summary>One short line per field, for the banner: counts, the classes stored, and every one mangled or answered otherwise.</summary>
    public IEnumerable<string> ShortLines() => Fields.Select(f => f.Short());

    /// <summary>Where <paramref name="other"/> learned otherwise ("username / upper-case letters: stored here, refused there"); empty when the tables are the same.</summary>
    public IReadOnlyList<string> Differences(LearnedEntry other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var found = new List<string>();
        if (BaselineStatus != other.BaselineStatus) found.Add($"the baseline payload: {BaselineStatus} here, {other.BaselineStatus} there");
        var fields = Fields.Select(f => f.Field).Union(other.Fields.Select(f => f.Field), StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var mine = Fields.FirstOrDefault(f => f.Field == field)?.Classes ?? [];
            var theirs = other.Fields.FirstOrDefault(f => f.Field == field)?.Classes ?? [];
            foreach (var name in mine.Select(c => c.Class).Union(theirs.Select(c => c.Class), StringComparer.Ordinal))
            {
                var a = mine.FirstOrDefault(c => c.Class == name);
                var b = theirs.FirstOrDefault(c => c.Class == name);
                if (a?.Verdict != b?.Verdict)
                    found.Add($"{field} / {name}: {a?.Describe() ?? "not learned"} here, {b?.Describe() ?? "not learned"} there");
            }
        }
        return found;
    }
}

/// <summary>What one string field took, class by class (lengths are classes named "length N").</summary>
public sealed record LearnedFieldEntry(string Field, IReadOnlyList<LearnedClassEntry> Classes)
{
    /// <summary>The classes of one verdict, in the order they were sent.</summary>
    public IReadOnlyList<string> With(string verdict) => Classes.Where(c => c.Verdict == verdict).Select(c => c.Class).ToList();

    /// <summary>"username: 7 of 19 stored (lower-case letters, ...), 12 refused" (mangled and other named); "all 20 stored" when nothing else.</summary>
    public string Short()
    {
        var stored = With(LearnedEntry.Stored);
        if (stored.Count == Classes.Count) return $"{Field}: all {Classes.Count} stored";
        var parts = new List<string> { stored.Count == 0 ? $"none of {Classes.Count} stored" : $"{stored.Count} of {Classes.Count} stored ({string.Join(", ", stored)})" };
        if (With(LearnedEntry.Refused).Count is > 0 and var refused) parts.Add($"{refused} refused");
        if (With(LearnedEntry.Mangled) is { Count: > 0 } mangled) parts.Add($"{mangled.Count} MANGLED ({string.Join(", ", mangled)})");
        var other = Classes.Where(c => c.Verdict == LearnedEntry.Other).Select(c => $"{c.Class} {c.Status}").ToList();
        if (other.Count > 0) parts.Add($"{other.Count} other ({string.Join(", ", other)})");
        return $"{Field}: {string.Join(", ", parts)}";
    }

    /// <summary>"username: stored lower-case letters, ...; refused ...; mangled ..." (the verdicts that occur).</summary>
    public string Line()
    {
        var parts = new[] { LearnedEntry.Stored, LearnedEntry.Refused, LearnedEntry.Mangled }
            .Select(v => (v, With(v))).Where(p => p.Item2.Count > 0).Select(p => $"{p.v} {string.Join(", ", p.Item2)}").ToList();
        var other = Classes.Where(c => c.Verdict == LearnedEntry.Other).Select(c => $"{c.Class} {c.Describe()[LearnedEntry.Other.Length..].Trim()}").ToList();
        if (other.Count > 0) parts.Add($"other: {string.Join(", ", other)}");
        return $"{Field}: {string.Join("; ", parts)}";
    }
}

/// <summary>One class of text (or length) sent in a field, and what became of it.</summary>
/// <param name="Verdict">stored, refused, mangled or other (<see cref="LearnedEntry"/>).</param>
/// <param name="Status">The answer's status (0: no answer).</param>
public sealed record LearnedClassEntry(string Class, string Verdict, int Status)
{
    public string Describe() => Verdict == LearnedEntry.Other ? $"other ({(Status == 0 ? "no answer" : Status.ToString(System.Globalization.CultureInfo.InvariantCulture))})" : Verdict;
}
