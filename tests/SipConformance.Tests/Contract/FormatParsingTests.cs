using System.Text;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;

namespace SipConformance.Tests.Contract;

/// <summary>
/// The UUID and RFC 3339 readers are written out by hand from their patterns; on many texts near the
/// patterns (one character changed, added or removed, again and again) they answer what the patterns answer.
/// </summary>
public class FormatParsingTests
{
    /// <summary>Characters a mutation puts in: the pattern's own, their neighbours, a line feed, non-ASCII digits and letters.</summary>
    private const string Alphabet = "0123456789abcdefABCDEFgGxX-:.+TtZz \n\t٣９é/";

    private static IEnumerable<string> Near(IReadOnlyList<string> seeds, int count, int seed)
    {
        var random = new Random(seed);
        foreach (var s in seeds) yield return s;
        for (var n = 0; n < count; n++)
        {
            var sb = new StringBuilder(seeds[random.Next(seeds.Count)]);
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var at = random.Next(sb.Length + 1);
                var ch = Alphabet[random.Next(Alphabet.Length)];
                switch (random.Next(3))
                {
                    case 0 when at < sb.Length: sb[at] = ch; break;
                    case 1 when at < sb.Length: sb.Remove(at, 1); break;
                    default: sb.Insert(at, ch); break;
                }
            }
            yield return sb.ToString();
        }
    }

    [Test]
    public void A_uuid_is_what_the_pattern_says_it_is()
    {
        var seeds = new[] { "0b4b7c4e-6c55-4d4b-9a7e-1c2f0a1b2c3d", "1313FE58-5E14-4C11-BBE7-6FDFA11FE780", "0b4b7c4e-6c55-4d4b-9a7e-1c2f0a1b2c3d\n", "" };
        var valid = 0;
        foreach (var text in Near(seeds, 20000, 1))
        {
            UuidText.IsValid(text).Should().Be(UuidText.MatchesPattern(text), $"\"{text}\"");
            if (UuidText.MatchesPattern(text)) valid++;
        }
        valid.Should().BeGreaterThan(500, "the texts must hold UUIDs as well as near misses");
        UuidText.IsValid(null).Should().BeFalse();
    }

    [Test]
    public void A_date_time_reads_as_the_pattern_reads_it()
    {
        var seeds = new[]
        {
            "2024-05-06T12:20:00Z", "2024-05-06t12:20:00.123456789+02:00", "2016-12-31T23:59:60z", "2024-02-29T00:00:00-23:59",
            "1999-01-01T00:00:00.000Z", "0001-01-01T00:00:00+00:00", "2024-05-06T12:20:00Z\n", "2024-05-06T12:20:00.5-00:30",
        };
        var valid = 0;
        foreach (var text in Near(seeds, 30000, 2))
        {
            bool Read(bool byPattern, out Rfc3339 value, out Exception? error)
            {
                error = null;
                value = default;
                try { return byPattern ? Rfc3339.TryParseByPattern(text, out value) : Rfc3339.TryParse(text, out value); }
                catch (FormatException e) { error = e; return false; } // \d takes digits int.Parse does not
            }
            var fast = Read(false, out var a, out var fastError);
            var reference = Read(true, out var b, out var referenceError);
            fast.Should().Be(reference, $"\"{text}\"");
            (fastError is null).Should().Be(referenceError is null, $"\"{text}\" throws with one and not the other");
            if (!reference) continue;
            valid++;
            (a.UnixSeconds, a.Fraction, a.Text, a.Precision).Should().Be((b.UnixSeconds, b.Fraction, b.Text, b.Precision), $"\"{text}\"");
        }
        valid.Should().BeGreaterThan(500, "the texts must hold date-times as well as near misses");
        Rfc3339.TryParse(null, out _).Should().BeFalse();
    }
}
