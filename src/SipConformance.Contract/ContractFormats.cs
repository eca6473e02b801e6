using System.Globalization;
using System.Numerics;
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

    public static bool IsValid(string? text) => text is not null && Pattern().IsMatch(text);

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

    public static bool TryParse(string? text, out Rfc3339 value)
    {
        value = default;
        if (text is null) return false;
        var m = Pattern().Match(text);
        if (!m.Success) return false;
        int G(int i) => int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
        int year = G(1), month = G(2), day = G(3), hour = G(4), minute = G(5), second = G(6);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month)) return false;
        if (year < 1 || hour > 23 || minute > 59 || second > 60) return false;
        var offsetMinutes = 0;
        if (!m.Groups[8].Success)
        {
            int oh = G(10), om = G(11);
            if (oh > 23 || om > 59) return false;
            offsetMinutes = (oh * 60 + om) * (m.Groups[9].Value == "-" ? -1 : 1);
        }
        var fraction = m.Groups[7].Success ? m.Groups[7].Value.TrimEnd('0') : "";
        long leap = 0;
        if (second == 60) { second = 59; leap = 1; } // a leap second sorts after :59
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        var unix = (long)(local - DateTime.UnixEpoch).TotalSeconds - offsetMinutes * 60L + leap;
        value = new Rfc3339 { UnixSeconds = unix, Fraction = fraction, Text = text };
        return true;
    }

    public DateTimeOffset ToDateTimeOffset()
    {
        var ticks = Fraction.Length == 0 ? 0 : long.Parse(Fraction.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);
        return DateTimeOffset.FromUnixTimeSeconds(UnixSeconds).AddTicks(ticks);
    }

    /// <summary>The number of fraction digits the text gave (its precision).</summary>
    public int Precision => Text is null ? 0 : Pattern().Match(Text).Groups[7].Value.Length;

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
