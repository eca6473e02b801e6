using System.Globalization;
using System.Text.RegularExpressions;

namespace SipConformance.Configuration;

/// <summary>
/// One of <see cref="Count"/> deterministic parts of a run (SIPCONF_SHARD=i/n): shard i sends the
/// cases whose index (within their probe's stream) is i-1 modulo n, so every case of the unsharded
/// run lands in exactly one shard; the one-off probes (lifecycle, isolation, pact) run in shard 1 only.
/// </summary>
public sealed partial record Shard(int Index, int Count)
{
    /// <summary>The unsharded run: one part, which owns every case.</summary>
    public static readonly Shard Whole = new(1, 1);

    public bool IsWhole => Count == 1;

    /// <summary>True when the case with this index is this shard's.</summary>
    public bool Owns(long index) => index >= 0 && index % Count == Index - 1;

    /// <summary>True for the shard that runs the one-off probes (shard 1).</summary>
    public bool RunsOneOffs => Index == 1;

    public override string ToString() => $"{Index.ToString(CultureInfo.InvariantCulture)}/{Count.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses "i/n" (1 &lt;= i &lt;= n); anything else is a <see cref="SettingsException"/> naming <paramref name="name"/>.</summary>
    public static Shard Parse(string text, string name = SettingsLoader.Shard)
    {
        var m = Form().Match(text);
        if (m.Success
            && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && int.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n >= 1 && i >= 1 && i <= n)
            return new Shard(i, n);
        throw new SettingsException($"{name} must be i/n with 1 <= i <= n (for example 2/3: the second of three shards), not '{text}'.");
    }

    [GeneratedRegex(@"^\s*(\d{1,6})\s*/\s*(\d{1,6})\s*$")]
    private static partial Regex Form();
}
