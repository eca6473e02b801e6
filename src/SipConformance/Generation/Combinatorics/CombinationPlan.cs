using SipConformance.Configuration;
using SipConformance.Contract;

namespace SipConformance.Generation.Combinatorics;

/// <summary>
/// Which enum combinations a profile sends, read from the contract: the factors are encryption,
/// call_handler, and each cipher and each codec in or out of its list.
/// <list type="bullet">
/// <item>smoke, pairwise, threewise: a covering array of strength 1, 2 or 3 that starts with the
/// boundary rows (all in, all out, each list holding exactly one value), no row repeated;</item>
/// <item>exhaustive: the full product, lazily, in lexicographic order (the empty lists and the all-in
/// row included).</item>
/// </list>
/// Factor value indexes: encryption and call_handler by the contract's order of values; a cipher or
/// codec factor is 0 when the value is out of the list and 1 when it is in.
/// </summary>
public sealed class CombinationPlan
{
    /// <summary>Value index of a cipher or codec factor when the value is not in the list.</summary>
    public const int Out = 0;

    /// <summary>Value index of a cipher or codec factor when the value is in the list.</summary>
    public const int In = 1;

    private const int EncryptionFactor = 0;
    private const int CallHandlerFactor = 1;
    private const int FirstCipherFactor = 2;

    private readonly SipContract _contract;
    private readonly IReadOnlyList<(int[] Values, string Origin)>? _rows;

    private CombinationPlan(SipContract contract, Profile profile)
    {
        _contract = contract;
        Profile = profile;
        Levels = [contract.Encryptions.Count, contract.CallHandlers.Count,
            .. contract.Ciphers.Select(_ => 2), .. contract.Codecs.Select(_ => 2)];
        FactorNames = [FieldNames.Encryption, FieldNames.CallHandler,
            .. contract.Ciphers.Select(c => "cipher:" + c), .. contract.Codecs.Select(c => "codec:" + c)];

        if (profile == Profile.Exhaustive)
        {
            Strength = Levels.Count;
            Count = CoveringArray.ProductSize(Levels);
            return;
        }

        var (t, name) = profile switch
        {
            Profile.Smoke => (1, "smoke"),
            Profile.Pairwise => (2, "pairwise"),
            Profile.Threewise => (3, "threewise"),
            _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "unknown profile"),
        };
        Strength = Math.Min(t, Levels.Count);
        var boundary = BoundaryRows();
        var built = CoveringArray.Build(Levels, Strength, boundary.Select(b => b.Values).ToList());
        var rows = new List<(int[], string)>(built.Count);
        for (var r = 0; r < built.Count; r++)
            rows.Add((built[r], r < boundary.Count ? boundary[r].Origin : $"{name} row {r - boundary.Count + 1}"));
        _rows = rows;
        Count = rows.Count;
    }

    /// <summary>The plan of a profile over the contract's factors.</summary>
    public static CombinationPlan For(SipContract contract, Profile profile)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return new CombinationPlan(contract, profile);
    }

    public Profile Profile { get; }

    /// <summary>How many values each factor has: [encryptions, call handlers, 2 per cipher, 2 per codec].</summary>
    public IReadOnlyList<int> Levels { get; }

    /// <summary>"encryption", "call_handler", "cipher:AEAD_AES_256_GCM_8", ..., "codec:PCMU", ...</summary>
    public IReadOnlyList<string> FactorNames { get; }

    /// <summary>How many rows <see cref="Rows"/> yields.</summary>
    public long Count { get; }

    /// <summary>1, 2 or 3 for the covering profiles; the number of factors for exhaustive.</summary>
    public int Strength { get; }

    /// <summary>The rows, always in the same order; lazily for exhaustive.</summary>
    public IEnumerable<ComboRow> Rows()
    {
        if (_rows is null)
            return CoveringArray.Exhaustive(Levels).Select((values, r) => Decode(values, r, $"exhaustive #{r + 1}"));
        return _rows.Select((row, r) => Decode(row.Values, r, row.Origin));
    }

    /// <summary>The t-way coverage of the rows this plan yields (each row encoded back from its values).</summary>
    public CoverageReport Coverage(int strength) =>
        CoveringArray.Measure(Levels, Rows().Select(r => Encode(r, _contract)), strength, Describe);

    /// <summary>A row as factor value indexes (see the class remarks), for measuring and shrinking.</summary>
    public static int[] Encode(ComboRow row, SipContract contract)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(contract);
        var values = new int[FirstCipherFactor + contract.Ciphers.Count + contract.Codecs.Count];
        values[EncryptionFactor] = IndexOf(contract.Encryptions, row.Encryption, FieldNames.Encryption);
        values[CallHandlerFactor] = IndexOf(contract.CallHandlers, row.CallHandler, FieldNames.CallHandler);
        foreach (var cipher in row.Ciphers)
            values[FirstCipherFactor + IndexOf(contract.Ciphers, cipher, FieldNames.Ciphers)] = In;
        foreach (var codec in row.Codecs)
            values[FirstCipherFactor + contract.Ciphers.Count + IndexOf(contract.Codecs, codec, FieldNames.Codecs)] = In;
        return values;
    }

    /// <summary>
    /// The boundary rows: all in, all out, then rows whose cipher list and codec list each hold exactly
    /// one value, until every cipher and every codec has been alone once. encryption and call_handler
    /// take their values round-robin. Rows that repeat an earlier one are left out.
    /// </summary>
    private List<(int[] Values, string Origin)> BoundaryRows()
    {
        var ciphers = _contract.Ciphers;
        var codecs = _contract.Codecs;
        var specs = new List<(IReadOnlyList<string> Ciphers, IReadOnlyList<string> Codecs, string Origin)>
        {
            (ciphers, codecs, "boundary: all in"),
            ([], [], "boundary: all out"),
        };
        var singles = Math.Max(ciphers.Count, codecs.Count);
        for (var j = 0; j < singles; j++)
        {
            IReadOnlyList<string> c = ciphers.Count == 0 ? [] : [ciphers[j % ciphers.Count]];
            IReadOnlyList<string> d = codecs.Count == 0 ? [] : [codecs[j % codecs.Count]];
            specs.Add((c, d, $"boundary: one each ({string.Join(", ", c.Concat(d))})"));
        }

        var rows = new List<(int[], string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var k = 0; k < specs.Count; k++)
        {
            var (c, d, origin) = specs[k];
            var row = new ComboRow(k, _contract.Encryptions[k % _contract.Encryptions.Count],
                _contract.CallHandlers[k % _contract.CallHandlers.Count], c, d, origin);
            var values = Encode(row, _contract);
            if (seen.Add(string.Join(",", values))) rows.Add((values, origin));
        }
        return rows;
    }

    private ComboRow Decode(int[] values, int index, string origin)
    {
        var ciphers = _contract.Ciphers;
        var codecs = _contract.Codecs;
        return new ComboRow(
            index,
            _contract.Encryptions[values[EncryptionFactor]],
            _contract.CallHandlers[values[CallHandlerFactor]],
            ciphers.Where((_, j) => values[FirstCipherFactor + j] == In).ToList(),
            codecs.Where((_, j) => values[FirstCipherFactor + ciphers.Count + j] == In).ToList(),
            origin);
    }

    private string Describe(int factor, int value) => factor switch
    {
        EncryptionFactor => $"{FactorNames[factor]}={_contract.Encryptions[value]}",
        CallHandlerFactor => $"{FactorNames[factor]}={_contract.CallHandlers[value]}",
        _ => $"{FactorNames[factor]}={(value == In ? "in" : "out")}",
    };

    private static int IndexOf(IReadOnlyList<string> values, string value, string field)
    {
        for (var j = 0; j < values.Count; j++)
            if (string.Equals(values[j], value, StringComparison.Ordinal)) return j;
        throw new ArgumentException($"'{value}' is not a value of {field} in the contract", nameof(value));
    }
}
