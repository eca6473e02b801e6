namespace SipConformance.Generation.Combinatorics;

/// <summary>
/// How many of the t-way tuples of a factor set a set of rows covers. A t-way tuple is a choice of
/// t distinct factors and one value for each; a row covers it when it holds all t values.
/// </summary>
/// <param name="Strength">t.</param>
/// <param name="Covered">How many distinct t-way tuples the rows cover.</param>
/// <param name="Total">How many t-way tuples the factor set has.</param>
/// <param name="Missing">The first few tuples no row covers, readable (empty when complete).</param>
public sealed record CoverageReport(int Strength, long Covered, long Total, IReadOnlyList<string> Missing)
{
    /// <summary>At most this many missing tuples are listed in <see cref="Missing"/>.</summary>
    public const int MissingListed = 10;

    public bool Complete => Covered == Total;

    /// <summary>"t=2 tuples covered: 321/321", followed by the first missing tuples when incomplete.</summary>
    public override string ToString() =>
        Complete
            ? $"t={Strength} tuples covered: {Covered}/{Total}"
            : $"t={Strength} tuples covered: {Covered}/{Total}; missing: {string.Join("; ", Missing)}{(Total - Covered > Missing.Count ? "; ..." : "")}";
}
