using System.Globalization;
using System.Text.RegularExpressions;

namespace SipConformance.Target;

/// <summary>
/// HTTP-date as RFC 9110 section 5.6.7 asks a recipient to read it: the preferred IMF-fixdate
/// (<c>Sun, 06 Nov 1994 08:49:37 GMT</c>) and both obsolete formats, which a recipient MUST accept:
/// rfc850-date (<c>Sunday, 06-Nov-94 08:49:37 GMT</c>, its two-digit year read as the RFC says) and
/// asctime-date (<c>Sun Nov  6 08:49:37 1994</c>). Read robustly (names in any letter case, runs of
/// whitespace, a one-digit day, a leap second), as the section encourages.
/// </summary>
public static partial class HttpDate
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    [GeneratedRegex(@"^\s*[A-Za-z]{3},\s*(?<d>\d{1,2})\s+(?<m>[A-Za-z]{3})\s+(?<y>\d{4})\s+(?<t>\d{1,2}:\d{2}:\d{2})\s+GMT\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ImfFixdate();

    [GeneratedRegex(@"^\s*[A-Za-z]{6,9},\s*(?<d>\d{1,2})-(?<m>[A-Za-z]{3})-(?<y>\d{2})\s+(?<t>\d{1,2}:\d{2}:\d{2})\s+GMT\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Rfc850Date();

    [GeneratedRegex(@"^\s*[A-Za-z]{3}\s+(?<m>[A-Za-z]{3})\s+(?<d>\d{1,2})\s+(?<t>\d{1,2}:\d{2}:\d{2})\s+(?<y>\d{4})\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AsctimeDate();

    /// <summary>Reads an HTTP-date in any of the three formats; <paramref name="now"/> decides the century of an rfc850 two-digit year.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value, DateTimeOffset? now = null)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (ImfFixdate().Match(text) is { Success: true } imf) return Build(imf, FourDigitYear(imf), out value);
        if (AsctimeDate().Match(text) is { Success: true } asc) return Build(asc, FourDigitYear(asc), out value);
        if (Rfc850Date().Match(text) is { Success: true } rfc)
        {
            // RFC 9110 5.6.7: a two-digit year that appears more than 50 years in the future is the most
            // recent year in the past with the same last two digits.
            var reference = (now ?? DateTimeOffset.UtcNow).Year;
            var twoDigits = int.Parse(rfc.Groups["y"].Value, CultureInfo.InvariantCulture);
            var year = reference / 100 * 100 + twoDigits;
            if (year > reference + 50) year -= 100;
            return Build(rfc, year, out value);
        }
        return false;
    }

    private static int FourDigitYear(Match m) => int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);

    private static bool Build(Match m, int year, out DateTimeOffset value)
    {
        value = default;
        var month = Array.IndexOf(Months, m.Groups["m"].Value.ToLowerInvariant()) + 1;
        if (month == 0) return false;
        var day = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
        var time = m.Groups["t"].Value.Split(':');
        var hour = int.Parse(time[0], CultureInfo.InvariantCulture);
        var minute = int.Parse(time[1], CultureInfo.InvariantCulture);
        var second = Math.Min(59, int.Parse(time[2], CultureInfo.InvariantCulture)); // a leap second (60) read as :59
        if (year < 1 || year > 9999 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59) return false;
        value = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }
}
