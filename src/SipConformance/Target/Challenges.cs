namespace SipConformance.Target;

/// <summary>
/// The auth schemes of a WWW-Authenticate field, read as RFC 9110 section 11.6.1 lets a server write it:
/// <c>WWW-Authenticate = #challenge</c>, so one field (or several lines, combined with ", ") may carry several
/// challenges, in any order, each <c>auth-scheme [ 1*SP ( token68 / #auth-param ) ]</c>, and a challenge's
/// parameters are separated by the same commas as the challenges. An element of the list starts a new challenge
/// when it is a token followed by nothing, or by spaces and something other than "=" (an auth-param is
/// <c>token BWS "=" BWS ( token / quoted-string )</c>, section 11.2); commas inside a quoted-string
/// (section 5.6.4) separate nothing. Scheme names are case-insensitive (section 11.1).
/// </summary>
public static class Challenges
{
    /// <summary>The schemes of the challenges in <paramref name="field"/>, in order (empty for null or an empty field).</summary>
    public static IReadOnlyList<string> Schemes(string? field)
    {
        var schemes = new List<string>();
        if (field is null) return schemes;
        foreach (var element in Elements(field))
        {
            var e = element.Trim(' ', '\t');
            if (e.Length == 0) continue;
            var end = 0;
            while (end < e.Length && IsTokenChar(e[end])) end++;
            if (end == 0) continue;
            var rest = e[end..].TrimStart(' ', '\t');
            // "token" alone, or "token SP token68/auth-param": a challenge; "token = value": a parameter of the last one.
            if (rest.Length == 0 || (end < e.Length && (e[end] == ' ' || e[end] == '\t') && rest[0] != '='))
                schemes.Add(e[..end]);
        }
        return schemes;
    }

    /// <summary>Whether one of the challenges is of <paramref name="scheme"/> (compared case-insensitively).</summary>
    public static bool Offers(string? field, string scheme) =>
        Schemes(field).Any(s => string.Equals(s, scheme, StringComparison.OrdinalIgnoreCase));

    /// <summary>The comma-separated elements of a list field, commas inside a quoted-string (with its quoted-pairs) kept.</summary>
    private static IEnumerable<string> Elements(string field)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < field.Length; i++)
        {
            var c = field[i];
            if (quoted)
            {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',')
            {
                yield return field[start..i];
                start = i + 1;
            }
        }
        yield return field[start..];
    }

    /// <summary>tchar of RFC 9110 section 5.6.2.</summary>
    private static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
        || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
