using System.Numerics;

namespace SipConformance.Generation.Combinatorics;

/// <summary>
/// Mixed-level covering arrays of any strength t, built with IPOG (In-Parameter-Order-General,
/// Lei, Kacker, Kuhn, Okun, Lawrence 2007), and the measure of how many t-way tuples a set of rows
/// covers.
/// <para>
/// A factor set is a list of levels: factor f takes the values 0 .. levels[f]-1. A row is an
/// <c>int[]</c> holding one value index per factor. A covering array of strength t is a set of rows
/// in which every t-way tuple (t distinct factors, one value each) occurs in at least one row.
/// </para>
/// <para>
/// The build is deterministic: ties are broken by fixed rules (least used value first, then lowest
/// index, first compatible row), never by a clock or an unseeded generator.
/// </para>
/// </summary>
public static class CoveringArray
{
    /// <summary>A position that no covered tuple depends on yet (IPOG's "don't care").</summary>
    private const int DontCare = -1;

    /// <summary>Refuse bookkeeping larger than this many tuples (or initial rows): 2^27.</summary>
    private const long MaxTuples = 1L << 27;

    /// <summary>A covering array of the given strength over the factor set.</summary>
    /// <param name="levels">How many values each factor has (each at least 1).</param>
    /// <param name="strength">t, from 1 to the number of factors.</param>
    /// <returns>Rows of value indexes, one entry per factor, in the order of <paramref name="levels"/>.</returns>
    public static IReadOnlyList<int[]> Build(IReadOnlyList<int> levels, int strength) => Build(levels, strength, []);

    /// <summary>
    /// A covering array of the given strength that starts with the seed rows: the seeds come first
    /// (in their order, duplicates dropped), then the rows IPOG adds to cover every t-way tuple the
    /// seeds miss. No row of the result repeats another.
    /// </summary>
    public static IReadOnlyList<int[]> Build(IReadOnlyList<int> levels, int strength, IReadOnlyList<int[]> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ValidateLevels(levels);
        ValidateStrength(levels, strength);
        var n = levels.Count;
        var distinctSeeds = new List<int[]>();
        var seen = new HashSet<int[]>(RowComparer.Instance);
        foreach (var seed in seeds)
        {
            ValidateRow(levels, seed, nameof(seeds));
            if (seen.Add(seed)) distinctSeeds.Add((int[])seed.Clone());
        }

        // IPOG takes the factors in non-increasing order of levels: the first t form the initial
        // product, so the largest factors set the starting size. Ties keep the caller's order.
        var order = Enumerable.Range(0, n).OrderByDescending(f => levels[f]).ThenBy(f => f).ToArray();
        var lv = order.Select(f => levels[f]).ToArray();
        var seedRows = distinctSeeds.Select(s => order.Select(f => s[f]).ToArray()).ToList();

        var rows = InitialRows(lv, strength, seedRows);
        for (var i = strength; i < n; i++)
            Extend(lv, strength, i, seedRows, rows);
        FillDontCares(lv, seedRows, rows);

        // Back to the caller's factor order, then drop the rows the others make redundant.
        var built = rows.Select(r =>
        {
            var row = new int[n];
            for (var p = 0; p < n; p++) row[order[p]] = r[p];
            return row;
        }).ToList();
        var added = RemoveRedundant(levels, strength, distinctSeeds, built);
        return [.. distinctSeeds, .. added];
    }

    /// <summary>How many t-way tuples of the factor set the rows cover, with the first few missing ones.</summary>
    public static CoverageReport Measure(IReadOnlyList<int> levels, IReadOnlyList<int[]> rows, int strength) =>
        Measure(levels, rows, strength, static (f, v) => $"f{f}={v}");

    /// <summary>
    /// As <see cref="Measure(IReadOnlyList{int}, IReadOnlyList{int[]}, int)"/>, naming each value of a
    /// missing tuple with <paramref name="describe"/>(factor, value), e.g. "encryption=required".
    /// </summary>
    public static CoverageReport Measure(IReadOnlyList<int> levels, IEnumerable<int[]> rows, int strength, Func<int, int, string> describe)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(describe);
        ValidateLevels(levels);
        ValidateStrength(levels, strength);
        var space = new TupleSpace(levels, strength);
        var covered = new Bitset(space.Total);
        foreach (var row in rows)
        {
            ValidateRow(levels, row, nameof(rows));
            for (var k = 0; k < space.Combos.Length; k++)
                covered.Set(space.Offsets[k] + space.Index(k, row));
        }
        var count = covered.Count();
        var missing = new List<string>();
        if (count < space.Total)
        {
            for (var b = covered.NextClear(0); b >= 0 && missing.Count < CoverageReport.MissingListed; b = covered.NextClear(b + 1))
            {
                var (combo, values) = space.Decode(b);
                missing.Add("(" + string.Join(", ", combo.Select((f, j) => describe(f, values[j]))) + ")");
            }
        }
        return new CoverageReport(strength, count, space.Total, missing);
    }

    /// <summary>
    /// Every row of the full product, lazily and in lexicographic order (the last factor varies
    /// fastest). Each row is a fresh array the caller may keep.
    /// </summary>
    public static IEnumerable<int[]> Exhaustive(IReadOnlyList<int> levels)
    {
        ValidateLevels(levels);
        var copy = levels.ToArray();
        return Enumerate(copy);

        static IEnumerable<int[]> Enumerate(int[] levels)
        {
            var current = new int[levels.Length];
            while (true)
            {
                yield return (int[])current.Clone();
                var p = levels.Length - 1;
                for (; p >= 0; p--)
                {
                    if (++current[p] < levels[p]) break;
                    current[p] = 0;
                }
                if (p < 0) yield break;
            }
        }
    }

    /// <summary>How many rows the full product has.</summary>
    public static long ProductSize(IReadOnlyList<int> levels)
    {
        ValidateLevels(levels);
        long size = 1;
        foreach (var l in levels) size = checked(size * l);
        return size;
    }

    // ---- IPOG -------------------------------------------------------------------------------

    /// <summary>The product of the first t factors, less the combinations the seeds already hold.</summary>
    private static List<int[]> InitialRows(int[] lv, int t, List<int[]> seedRows)
    {
        long size = 1;
        for (var p = 0; p < t; p++) size = checked(size * lv[p]);
        if (size > MaxTuples) throw new ArgumentException($"the initial product of {size} rows is too large", "levels");
        var fromSeeds = new Bitset(size);
        foreach (var s in seedRows) fromSeeds.Set(MixedIndex(s, lv, t));

        var rows = new List<int[]>();
        var digits = new int[t];
        for (long index = 0; index < size; index++)
        {
            if (!fromSeeds.Get(index))
            {
                var row = new int[lv.Length];
                Array.Fill(row, DontCare);
                Array.Copy(digits, row, t);
                rows.Add(row);
            }
            for (var p = t - 1; p >= 0; p--)
            {
                if (++digits[p] < lv[p]) break;
                digits[p] = 0;
            }
        }
        return rows;
    }

    /// <summary>Adds factor i: horizontal growth over the existing rows, then vertical growth.</summary>
    private static void Extend(int[] lv, int t, int i, List<int[]> seedRows, List<int[]> rows)
    {
        // π: every t-tuple made of factor i and t-1 earlier factors, one bit each, set while uncovered.
        var combos = Combinations(i, t - 1).ToArray();
        var offsets = new long[combos.Length];
        long total = 0;
        for (var k = 0; k < combos.Length; k++)
        {
            offsets[k] = total;
            long size = lv[i];
            foreach (var f in combos[k]) size = checked(size * lv[f]);
            total = checked(total + size);
            if (total > MaxTuples) throw new ArgumentException($"more than {MaxTuples} tuples to track at factor {i}", "levels");
        }
        var uncovered = new Bitset(total);
        uncovered.SetAll();
        var remaining = total;

        // Index of the values a row holds on combo k (mixed radix), or -1 when one is a don't care.
        long ComboIndex(int[] row, int k)
        {
            long index = 0;
            foreach (var f in combos[k])
            {
                if (row[f] == DontCare) return -1;
                index = index * lv[f] + row[f];
            }
            return index;
        }

        void Cover(int[] row)
        {
            if (row[i] == DontCare) return;
            for (var k = 0; k < combos.Length; k++)
            {
                var index = ComboIndex(row, k);
                if (index >= 0 && uncovered.Clear(offsets[k] + index * lv[i] + row[i])) remaining--;
            }
        }

        foreach (var seed in seedRows) Cover(seed);

        // Horizontal growth: each row takes the value of factor i that covers the most uncovered
        // tuples; ties go to the value used least so far in this column, then the lowest. A row
        // that would cover nothing keeps a don't care, for vertical growth to use.
        var used = new int[lv[i]];
        foreach (var s in seedRows) used[s[i]]++;
        var gains = new long[lv[i]];
        foreach (var row in rows)
        {
            if (remaining == 0) break;
            Array.Clear(gains);
            for (var k = 0; k < combos.Length; k++)
            {
                var index = ComboIndex(row, k);
                if (index < 0) continue;
                var bit = offsets[k] + index * lv[i];
                for (var v = 0; v < lv[i]; v++)
                    if (uncovered.Get(bit + v)) gains[v]++;
            }
            var best = 0;
            for (var v = 1; v < lv[i]; v++)
                if (gains[v] > gains[best] || (gains[v] == gains[best] && used[v] < used[best])) best = v;
            if (gains[best] == 0) continue;
            row[i] = best;
            used[best]++;
            Cover(row);
        }

        // Vertical growth: each tuple still uncovered goes into the first row whose positions are
        // equal or don't care, or into a new row of don't cares.
        var combo = 0;
        var values = new int[t - 1];
        for (var bit = uncovered.NextSet(0); bit >= 0; bit = uncovered.NextSet(bit + 1))
        {
            while (combo + 1 < combos.Length && offsets[combo + 1] <= bit) combo++;
            var local = bit - offsets[combo];
            var v = (int)(local % lv[i]);
            var index = local / lv[i];
            var cols = combos[combo];
            for (var j = cols.Length - 1; j >= 0; j--)
            {
                values[j] = (int)(index % lv[cols[j]]);
                index /= lv[cols[j]];
            }

            int[]? target = null;
            foreach (var row in rows)
            {
                if (row[i] != DontCare && row[i] != v) continue;
                var fits = true;
                for (var j = 0; j < cols.Length && fits; j++)
                    fits = row[cols[j]] == DontCare || row[cols[j]] == values[j];
                if (fits) { target = row; break; }
            }
            if (target is null)
            {
                target = new int[lv.Length];
                Array.Fill(target, DontCare);
                rows.Add(target);
            }
            target[i] = v;
            for (var j = 0; j < cols.Length; j++) target[cols[j]] = values[j];
            Cover(target);
        }
    }

    /// <summary>Gives every don't care the value used least so far in its column (then the lowest).</summary>
    private static void FillDontCares(int[] lv, List<int[]> seedRows, List<int[]> rows)
    {
        var used = lv.Select(l => new int[l]).ToArray();
        foreach (var row in seedRows.Concat(rows))
            for (var f = 0; f < lv.Length; f++)
                if (row[f] != DontCare) used[f][row[f]]++;
        foreach (var row in rows)
            for (var f = 0; f < lv.Length; f++)
            {
                if (row[f] != DontCare) continue;
                var best = 0;
                for (var v = 1; v < lv[f]; v++)
                    if (used[f][v] < used[f][best]) best = v;
                row[f] = best;
                used[f][best]++;
            }
    }

    /// <summary>
    /// Drops, from the last to the first, every added row whose t-tuples all occur in other rows
    /// (duplicates included). Seeds are never dropped.
    /// </summary>
    private static List<int[]> RemoveRedundant(IReadOnlyList<int> levels, int t, List<int[]> seeds, List<int[]> added)
    {
        var space = new TupleSpace(levels, t);
        var counts = new int[space.Total];
        foreach (var row in seeds.Concat(added))
            for (var k = 0; k < space.Combos.Length; k++)
                counts[space.Offsets[k] + space.Index(k, row)]++;
        var keep = new bool[added.Count];
        for (var r = added.Count - 1; r >= 0; r--)
        {
            var row = added[r];
            var redundant = true;
            for (var k = 0; k < space.Combos.Length && redundant; k++)
                redundant = counts[space.Offsets[k] + space.Index(k, row)] > 1;
            if (redundant)
                for (var k = 0; k < space.Combos.Length; k++)
                    counts[space.Offsets[k] + space.Index(k, row)]--;
            else
                keep[r] = true;
        }
        return added.Where((_, r) => keep[r]).ToList();
    }

    // ---- helpers ----------------------------------------------------------------------------

    /// <summary>The mixed-radix index of a row's first t values.</summary>
    private static long MixedIndex(int[] row, int[] lv, int t)
    {
        long index = 0;
        for (var p = 0; p < t; p++) index = index * lv[p] + row[p];
        return index;
    }

    /// <summary>The k-subsets of 0..n-1 in lexicographic order (one empty subset for k = 0).</summary>
    internal static IEnumerable<int[]> Combinations(int n, int k)
    {
        var c = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return (int[])c.Clone();
            var p = k - 1;
            while (p >= 0 && c[p] == n - k + p) p--;
            if (p < 0) yield break;
            c[p]++;
            for (var q = p + 1; q < k; q++) c[q] = c[q - 1] + 1;
        }
    }

    private static void ValidateLevels(IReadOnlyList<int> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (levels.Count == 0) throw new ArgumentException("at least one factor is needed", nameof(levels));
        for (var f = 0; f < levels.Count; f++)
            if (levels[f] < 1) throw new ArgumentException($"factor {f} has {levels[f]} levels; each needs at least 1", nameof(levels));
    }

    private static void ValidateStrength(IReadOnlyList<int> levels, int strength)
    {
        if (strength < 1 || strength > levels.Count)
            throw new ArgumentOutOfRangeException(nameof(strength), strength, $"strength must be from 1 to the number of factors ({levels.Count})");
    }

    private static void ValidateRow(IReadOnlyList<int> levels, int[]? row, string parameter)
    {
        if (row is null) throw new ArgumentException("a row is null", parameter);
        if (row.Length != levels.Count) throw new ArgumentException($"a row has {row.Length} values for {levels.Count} factors", parameter);
        for (var f = 0; f < row.Length; f++)
            if (row[f] < 0 || row[f] >= levels[f])
                throw new ArgumentException($"a row holds value {row[f]} for factor {f}, which has {levels[f]} levels", parameter);
    }

    /// <summary>Every t-way tuple of a factor set, numbered: combo k's tuples start at Offsets[k].</summary>
    private sealed class TupleSpace
    {
        private readonly IReadOnlyList<int> _levels;
        public int[][] Combos { get; }
        public long[] Offsets { get; }
        public long Total { get; }

        public TupleSpace(IReadOnlyList<int> levels, int t)
        {
            _levels = levels;
            Combos = Combinations(levels.Count, t).ToArray();
            Offsets = new long[Combos.Length];
            long total = 0;
            for (var k = 0; k < Combos.Length; k++)
            {
                Offsets[k] = total;
                long size = 1;
                foreach (var f in Combos[k]) size = checked(size * levels[f]);
                total = checked(total + size);
                if (total > MaxTuples) throw new ArgumentException($"more than {MaxTuples} {t}-way tuples to track", nameof(levels));
            }
            Total = total;
        }

        public long Index(int k, int[] row)
        {
            long index = 0;
            foreach (var f in Combos[k]) index = index * _levels[f] + row[f];
            return index;
        }

        public (int[] Combo, int[] Values) Decode(long bit)
        {
            var k = Array.BinarySearch(Offsets, bit);
            if (k < 0) k = ~k - 1;
            var combo = Combos[k];
            var values = new int[combo.Length];
            var index = bit - Offsets[k];
            for (var j = combo.Length - 1; j >= 0; j--)
            {
                values[j] = (int)(index % _levels[combo[j]]);
                index /= _levels[combo[j]];
            }
            return (combo, values);
        }
    }

    /// <summary>A fixed-size set of bits over ulong words.</summary>
    private sealed class Bitset(long size)
    {
        private readonly ulong[] _words = new ulong[(size + 63) >> 6];
        public long Size { get; } = size;

        public bool Get(long bit) => (_words[bit >> 6] & (1UL << (int)(bit & 63))) != 0;

        public void Set(long bit) => _words[bit >> 6] |= 1UL << (int)(bit & 63);

        /// <summary>Clears a bit; true when it was set.</summary>
        public bool Clear(long bit)
        {
            ref var word = ref _words[bit >> 6];
            var mask = 1UL << (int)(bit & 63);
            if ((word & mask) == 0) return false;
            word &= ~mask;
            return true;
        }

        public void SetAll()
        {
            Array.Fill(_words, ulong.MaxValue);
            var tail = (int)(Size & 63);
            if (tail != 0) _words[^1] = (1UL << tail) - 1;
        }

        public long Count()
        {
            long count = 0;
            foreach (var w in _words) count += BitOperations.PopCount(w);
            return count;
        }

        public long NextSet(long from)
        {
            if (from >= Size) return -1;
            var w = (int)(from >> 6);
            var word = _words[w] & (ulong.MaxValue << (int)(from & 63));
            while (true)
            {
                if (word != 0) return ((long)w << 6) + BitOperations.TrailingZeroCount(word);
                if (++w == _words.Length) return -1;
                word = _words[w];
            }
        }

        public long NextClear(long from)
        {
            if (from >= Size) return -1;
            var w = (int)(from >> 6);
            var word = ~_words[w] & (ulong.MaxValue << (int)(from & 63));
            while (true)
            {
                if (word != 0)
                {
                    var bit = ((long)w << 6) + BitOperations.TrailingZeroCount(word);
                    return bit < Size ? bit : -1;
                }
                if (++w == _words.Length) return -1;
                word = ~_words[w];
            }
        }
    }

    /// <summary>Compares rows by content.</summary>
    private sealed class RowComparer : IEqualityComparer<int[]>
    {
        public static readonly RowComparer Instance = new();
        public bool Equals(int[]? x, int[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));
        public int GetHashCode(int[] row)
        {
            var hash = new HashCode();
            foreach (var v in row) hash.Add(v);
            return hash.ToHashCode();
        }
    }
}
