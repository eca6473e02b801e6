using System.Text.Json;
using SipConformance.Configuration;
using SipConformance.Contract;

namespace SipConformance.Generation;

/// <summary>
/// Inputs just beside the valid ones, drawn from the contract: the kind of wrong value a server
/// accepts by mistake because it is plausible (fixtures/payloads/near-misses.json holds the
/// values the contract file cannot give: the later revision's, and common words).
/// </summary>
public static class NearMisses
{
    private static readonly JsonDocument Data = Load();

    /// <summary>
    /// Wrong values for an enum field: an invented one, every value in other letter cases, with
    /// whitespace around it, the values of the contract's other enums, the values only another revision of the contract lists,
    /// common words, the empty string. None is a value of the field.
    /// </summary>
    public static IEnumerable<(string Label, string Text)> EnumValues(SipContract contract, FieldSpec field)
    {
        var own = field.Values.ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<(string, string)> Candidates()
        {
            yield return ("an invented value", "SIPCONF_NOT_A_VALUE");
            var first = field.Values[0];
            yield return ($"wrong case ({first.ToLowerInvariant()})", first.ToLowerInvariant());
            yield return ($"wrong case ({first.ToUpperInvariant()})", first.ToUpperInvariant());
            yield return ($"title case ({Title(first)})", Title(first));
            yield return ("a valid value with a trailing space", first + " ");
            yield return ("a valid value with a leading space", " " + first);
            yield return ("a valid value with a trailing tab", first + "\t");
            // One value of each other enum field (the first that is not this field's own).
            foreach (var other in contract.CreateFields.Where(f => f.Kind is FieldKind.Enum or FieldKind.EnumArray && f.Name != field.Name))
                if (other.Values.FirstOrDefault(v => !own.Contains(v)) is { } v)
                    yield return ($"a value of {other.Name} ({v})", v);
            // The values another shipped revision lists for this field (2026-08-21's OPUS@... codecs, held to 2026-03-18).
            foreach (var revision in SipContract.Revisions.Where(r => r != contract.Revision))
                foreach (var v in SipContract.Of(revision).CreateFields.FirstOrDefault(f => f.Name == field.Name)?.Values ?? [])
                    yield return ($"a value only the {revision} revision lists ({v})", v);
            foreach (var v in Strings("words", field.Name).Take(2))
                yield return ($"a common word for it ({v})", v);
            yield return ("empty string", "");
        }
        foreach (var (label, text) in Candidates())
            if (!own.Contains(text) && seen.Add(text)) yield return (label, text);
    }

    /// <summary>Tokens that differ from the real one only slightly: one character changed, added, dropped, the letter case flipped.</summary>
    public static IEnumerable<(string Label, Secret Token, string Shell)> Tokens(Secret token, string variable)
    {
        var t = token.Reveal();
        if (t.Length == 0) yield break;
        static char Other(char c) => c == 'x' ? 'y' : 'x';
        yield return ("the real token with its last character changed", new Secret(t[..^1] + Other(t[^1])), $"${{{variable}%?}}{Other(t[^1])}");
        yield return ("the real token with one character more", new Secret(t + "x"), $"${{{variable}}}x");
        yield return ("the real token without its last character", new Secret(t[..^1]), $"${{{variable}%?}}");
        // A decoder that splits id:token at every ':' (const [id, token] = s.split(':')) reads the real token here.
        yield return ("the real token followed by ':' and more", new Secret(t + ":sipconf"), $"${{{variable}}}:sipconf");
        if (t.Any(char.IsLetter) && t.ToUpperInvariant() != t)
            yield return ("the real token in upper case", new Secret(t.ToUpperInvariant()), $"${{{variable}^^}}");
        if (t.Any(char.IsLetter) && t.ToLowerInvariant() != t)
            yield return ("the real token in lower case", new Secret(t.ToLowerInvariant()), $"${{{variable},,}}");
    }

    /// <summary>A project id that differs from the real one in its last hex digit (a well-formed id of no project).</summary>
    public static string ProjectId(string projectId) =>
        projectId.Length == 0 ? "0" : projectId[..^1] + (projectId[^1] == '0' ? '1' : '0');

    private static string Title(string v) => v.Length == 0 ? v : char.ToUpperInvariant(v[0]) + v[1..].ToLowerInvariant();

    private static IEnumerable<string> Strings(string group, string field) =>
        Data.RootElement.GetProperty(group).TryGetProperty(field, out var list) ? list.EnumerateArray().Select(e => e.GetString()!) : [];

    private static JsonDocument Load()
    {
        using var stream = typeof(NearMisses).Assembly.GetManifestResourceStream("payloads/near-misses.json")
            ?? throw new InvalidOperationException("payloads/near-misses.json is not embedded");
        return JsonDocument.Parse(stream);
    }
}
