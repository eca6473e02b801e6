using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace SipConformance.Contract;

/// <summary>
/// The formats the contract's schemas assert, as predicates on a string instance: the JSON Schema
/// evaluation (JsonSchema.Net's format registry) and <see cref="CompiledSchema"/> both call these, so they
/// cannot disagree on a format.
/// </summary>
public static class ContractFormats
{
    /// <summary><c>format: uuid</c>.</summary>
    public static bool IsUuid(string? text) => UuidText.IsValid(text);

    /// <summary><c>format: date-time</c>.</summary>
    public static bool IsDateTime(string? text) => Rfc3339.TryParse(text, out _);
}

/// <summary>UUID text as RFC 9562 defines it: 8-4-4-4-12 hexadecimal digits, either case.</summary>
public static partial class UuidText
{
    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? text)
    {
        if (text is null) return false;
        var span = text.AsSpan();
        // The pattern's "$" also matches before a final line feed.
        if (span.Length == 37 && span[36] == '\n') span = span[..36];
        if (span.Length != 36) return false;
        for (var i = 0; i < 36; i++)
            if (i is 8 or 13 or 18 or 23 ? span[i] != '-' : !char.IsAsciiHexDigit(span[i])) return false;
        return true;
    }

    /// <summary>The definition <see cref="IsValid"/> is written out from (the tests hold the two equal).</summary>
    public static bool MatchesPattern(string? text) => text is not null && Pattern().IsMatch(text);

    /// <summary>UUIDs compare case-insensitively (RFC 9562); anything that is not a UUID compares exactly.</summary>
    public static bool SameUuid(string? a, string? b) =>
        IsValid(a) && IsValid(b) ? string.Equals(a, b, StringComparison.OrdinalIgnoreCase) : string.Equals(a, b, StringComparison.Ordinal);
}

/// <summary>
/// An RFC 3339 date-time (section 5.6: full-date "T" full-time), kept exact: any number of fraction
/// digits, any offset. Comparison is by the instant, to the last digit given.
/// </summary>
public readonly partial record struct Rfc3339 : IComparable<Rfc3339>
{
    [GeneratedRegex(@"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$")]
    private static partial Regex Pattern();

    /// <summary>Whole seconds since the Unix epoch, in UTC.</summary>
    public long UnixSeconds { get; init; }

    /// <summary>The fraction of a second, as digits (may be empty; trailing zeros dropped).</summary>
    public string Fraction { get; init; }

    public string Text { get; init; }

    public static bool TryParse(string? text, out Rfc3339 value) => TryParse(text, byPattern: false, out value);

    /// <summary>The definition <see cref="TryParse(string?, out Rfc3339)"/> is written out from: the text split by the pattern itself (the tests hold the two equal).</summary>
    public static bool TryParseByPattern(string? text, out Rfc3339 value) => TryParse(text, byPattern: true, out value);

    private static bool TryParse(string? text, bool byPattern, out Rfc3339 value)
    {
        value = default;
        if (text is null || !(byPattern ? SplitByPattern(text, out var p) : Split(text, out p))) return false;
        if (p.Month is < 1 or > 12 || p.Day < 1 || p.Day > DateTime.DaysInMonth(Math.Max(1, p.Year), p.Month)) return false;
        if (p.Year < 1 || p.Hour > 23 || p.Minute > 59 || p.Second > 60) return false;
        var offsetMinutes = 0;
        if (!p.Utc)
        {
            if (p.OffsetHours > 23 || p.OffsetMinutes > 59) return false;
            offsetMinutes = (p.OffsetHours * 60 + p.OffsetMinutes) * (p.Negative ? -1 : 1);
        }
        var fraction = p.Fraction.TrimEnd('0');
        long leap = 0;
        var second = p.Second;
        if (second == 60) { second = 59; leap = 1; } // a leap second sorts after :59
        var local = new DateTime(p.Year, p.Month, p.Day, p.Hour, p.Minute, second, DateTimeKind.Unspecified);
        var unix = (long)(local - DateTime.UnixEpoch).TotalSeconds - offsetMinutes * 60L + leap;
        value = new Rfc3339 { UnixSeconds = unix, Fraction = fraction, Text = text };
        return true;
    }

    /// <summary>The pattern's fields of a text (fraction digits as given), or false when the text does not match it.</summary>
    private readonly record struct Parts(int Year, int Month, int Day, int Hour, int Minute, int Second, string Fraction, bool Utc, bool Negative, int OffsetHours, int OffsetMinutes);

    /// <summary>
    /// Splits a text by <see cref="Pattern"/>. ASCII text without a final line feed (every timestamp a server sends)
    /// is read character by character; anything else goes through the pattern itself, whose \d takes any Unicode digit.
    /// </summary>
    private static bool Split(string text, out Parts parts)
    {
        parts = default;
        if (!Ascii.IsValid(text) || text.EndsWith('\n')) return SplitByPattern(text, out parts);
        var s = text;
        bool Digits(int at, int n) => at + n <= s.Length && !s.AsSpan(at, n).ContainsAnyExceptInRange('0', '9');
        int Number(int at, int n)
        {
            var v = 0;
            for (var i = at; i < at + n; i++) v = v * 10 + (s[i] - '0');
            return v;
        }
        if (s.Length < 20 || !Digits(0, 4) || s[4] != '-' || !Digits(5, 2) || s[7] != '-' || !Digits(8, 2) || s[10] is not ('T' or 't')
            || !Digits(11, 2) || s[13] != ':' || !Digits(14, 2) || s[16] != ':' || !Digits(17, 2)) return false;
        var at = 19;
        var fraction = "";
        if (s[at] == '.')
        {
            var end = at + 1;
            while (end < s.Length && char.IsAsciiDigit(s[end])) end++;
            if (end == at + 1) return false;
            fraction = text[(at + 1)..end];
            at = end;
        }
        bool utc = false, negative = false;
        int oh = 0, om = 0;
        if (at + 1 == s.Length && s[at] is 'Z' or 'z') utc = true;
        else if (at + 6 == s.Length && s[at] is '+' or '-' && Digits(at + 1, 2) && s[at + 3] == ':' && Digits(at + 4, 2))
        {
            negative = s[at] == '-';
            oh = Number(at + 1, 2);
            om = Number(at + 4, 2);
        }
        else return false;
        parts = new Parts(Number(0, 4), Number(5, 2), Number(8, 2), Number(11, 2), Number(14, 2), Number(17, 2), fraction, utc, negative, oh, om);
        return true;
    }

    private static bool SplitByPattern(string text, out Parts parts)
    {
        parts = default;
        var m = Pattern().Match(text);
        if (!m.Success) return false;
        int G(int i) => int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
        var utc = m.Groups[8].Success;
        parts = new Parts(G(1), G(2), G(3), G(4), G(5), G(6), m.Groups[7].Success ? m.Groups[7].Value : "", utc,
            !utc && m.Groups[9].Value == "-", utc ? 0 : G(10), utc ? 0 : G(11));
        return true;
    }

    public DateTimeOffset ToDateTimeOffset()
    {
        var ticks = Fraction.Length == 0 ? 0 : long.Parse(Fraction.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);
        return DateTimeOffset.FromUnixTimeSeconds(UnixSeconds).AddTicks(ticks);
    }

    /// <summary>The number of fraction digits the text gave (its precision).</summary>
    public int Precision => Text is not null && Split(Text, out var p) ? p.Fraction.Length : 0;

    public int CompareTo(Rfc3339 other)
    {
        var c = UnixSeconds.CompareTo(other.UnixSeconds);
        if (c != 0) return c;
        var width = Math.Max(Fraction.Length, other.Fraction.Length);
        return BigInteger.Parse("0" + Fraction.PadRight(width, '0'), CultureInfo.InvariantCulture)
            .CompareTo(BigInteger.Parse("0" + other.Fraction.PadRight(width, '0'), CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The same instant as far as the coarser of the two texts can say: the finer one is cut to the
    /// coarser one's precision (servers may store more digits than they print, or fewer).
    /// </summary>
    public bool SameInstantAtCoarserPrecision(Rfc3339 other)
    {
        if (UnixSeconds != other.UnixSeconds) return false;
        var digits = Math.Min(Precision, other.Precision);
        string Cut(string f) => f.PadRight(digits, '0')[..digits];
        return Cut(Fraction) == Cut(other.Fraction);
    }

    public static bool operator <(Rfc3339 a, Rfc3339 b) => a.CompareTo(b) < 0;
    public static bool operator >(Rfc3339 a, Rfc3339 b) => a.CompareTo(b) > 0;
    public static bool operator <=(Rfc3339 a, Rfc3339 b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Rfc3339 a, Rfc3339 b) => a.CompareTo(b) >= 0;

    public override string ToString() => Text;
}
