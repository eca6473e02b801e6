namespace SipConformance.Generation.Combinatorics;

/// <summary>
/// One payload's share of the enum combinations: the encryption and call_handler values and the
/// cipher and codec lists (in the contract's order of values; either may be empty).
/// </summary>
/// <param name="Index">The row's position in <see cref="CombinationPlan.Rows"/>, from 0.</param>
/// <param name="Origin">Where the row comes from: "pairwise row 7" (the 7th row the covering
/// array added, from 1), "boundary: all in", "exhaustive #123" (the 123rd row of the product, from 1).</param>
public sealed record ComboRow(
    int Index,
    string Encryption,
    string CallHandler,
    IReadOnlyList<string> Ciphers,
    IReadOnlyList<string> Codecs,
    string Origin)
{
    /// <summary>How a failure names its cell.</summary>
    public string Cell => $"encryption={Encryption}, call_handler={CallHandler}";

    /// <summary>Value equality, the lists compared element by element.</summary>
    public bool Equals(ComboRow? other) =>
        other is not null
        && Index == other.Index
        && Encryption == other.Encryption
        && CallHandler == other.CallHandler
        && Ciphers.SequenceEqual(other.Ciphers)
        && Codecs.SequenceEqual(other.Codecs)
        && Origin == other.Origin;

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Index);
        hash.Add(Encryption);
        hash.Add(CallHandler);
        foreach (var c in Ciphers) hash.Add(c);
        hash.Add('|');
        foreach (var c in Codecs) hash.Add(c);
        hash.Add(Origin);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        $"#{Index} {Cell}, ciphers=[{string.Join(",", Ciphers)}], codecs=[{string.Join(",", Codecs)}] ({Origin})";
}
