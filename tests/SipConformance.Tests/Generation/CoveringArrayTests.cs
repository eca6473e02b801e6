using System.Collections;
using System.Diagnostics;
using FluentAssertions;
using NUnit.Framework;
using NUnit.Framework.Internal.Builders;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Generation.Combinatorics;

namespace SipConformance.Tests.Generation;

public class CoveringArrayTests
{
    private static IReadOnlyList<int> ContractLevels => CombinationPlan.For(SipContract.Default, Profile.Smoke).Levels;

    private static void Print(string what, IReadOnlyList<int> levels, int t, IReadOnlyList<int[]> rows, CoverageReport report) =>
        TestContext.Out.WriteLine(
            $"{what} [{string.Join(",", levels)}] t={t}: {rows.Count} rows; {t}-way tuples covered: {report.Covered}/{report.Total}");

    [TestCase(1, 4)]
    [TestCase(2, 15)]
    [TestCase(3, 50)]
    public void The_contract_factors_are_covered_completely_by_a_small_array(int t, int atMost)
    {
        var levels = ContractLevels;
        var watch = Stopwatch.StartNew();
        var rows = CoveringArray.Build(levels, t);
        watch.Stop();
        var report = CoveringArray.Measure(levels, rows, t);
        Print("contract", levels, t, rows, report);
        TestContext.Out.WriteLine($"built in {watch.Elapsed.TotalMilliseconds:F1} ms");

        report.Complete.Should().BeTrue(report.ToString());
        report.Missing.Should().BeEmpty();
        report.ToString().Should().Be($"t={t} tuples covered: {report.Total}/{report.Total}");
        rows.Count.Should().BeLessThanOrEqualTo(atMost);
        rows.Count.Should().BeGreaterThanOrEqualTo(LowerBound(levels, t));
        rows.Should().OnlyHaveUniqueItems(r => string.Join(",", r));
    }

    [Test]
    public void The_tuple_count_is_the_sum_over_factor_subsets_of_their_products()
    {
        // 14 factors [3, 4, 2 x 12]: t=1 -> 3+4+24; t=2 -> 3*4 + (3+4)*2*12 + 4*C(12,2).
        CoveringArray.Measure(ContractLevels, CoveringArray.Build(ContractLevels, 1), 1).Total.Should().Be(31);
        CoveringArray.Measure(ContractLevels, CoveringArray.Build(ContractLevels, 2), 2).Total.Should().Be(12 + 7 * 2 * 12 + 4 * 66);
    }

    [Test]
    public void Random_mixed_level_factor_sets_are_covered_completely_at_every_strength()
    {
        var random = new Random(20260318);
        var cases = 0;
        var watch = Stopwatch.StartNew();
        while (cases < 60)
        {
            var n = random.Next(1, 11);
            var levels = Enumerable.Range(0, n).Select(_ => random.Next(1, 6)).ToArray();
            var t = random.Next(1, Math.Min(4, n) + 1);
            var rows = CoveringArray.Build(levels, t);
            var report = CoveringArray.Measure(levels, rows, t);
            Print($"case {cases}", levels, t, rows, report);

            report.Complete.Should().BeTrue($"[{string.Join(",", levels)}] t={t}: {report}");
            rows.Should().OnlyContain(r => r.Length == n && r.Select((v, f) => v >= 0 && v < levels[f]).All(ok => ok));
            rows.Should().OnlyHaveUniqueItems(r => string.Join(",", r));
            rows.Count.Should().BeGreaterThanOrEqualTo(LowerBound(levels, t));
            rows.Count.Should().BeLessThanOrEqualTo((int)Math.Min(int.MaxValue, CoveringArray.ProductSize(levels)));
            cases++;
        }
        TestContext.Out.WriteLine($"{cases} factor sets in {watch.ElapsedMilliseconds} ms");
    }

    [Test]
    public void Full_strength_is_the_whole_product_and_strength_one_is_the_largest_level()
    {
        int[] levels = [3, 1, 2, 4];
        CoveringArray.Build(levels, 4).Select(r => string.Join(",", r))
            .Should().BeEquivalentTo(CoveringArray.Exhaustive(levels).Select(r => string.Join(",", r)));
        CoveringArray.Build(levels, 1).Should().HaveCount(4);
    }

    [Test]
    public void Removing_any_row_of_a_built_array_leaves_a_tuple_uncovered()
    {
        foreach (var t in new[] { 1, 2, 3 })
        {
            var rows = CoveringArray.Build(ContractLevels, t);
            for (var r = 0; r < rows.Count; r++)
            {
                var fewer = rows.Where((_, i) => i != r).ToList();
                var report = CoveringArray.Measure(ContractLevels, fewer, t);
                report.Complete.Should().BeFalse($"row {r} of the t={t} array is needed");
                report.Covered.Should().BeLessThan(report.Total);
                report.Missing.Should().NotBeEmpty();
            }
        }
    }

    [Test]
    public void A_missing_tuple_is_named_readably()
    {
        int[] levels = [2, 3];
        var rows = CoveringArray.Exhaustive(levels).Where(r => !(r[0] == 1 && r[1] == 2)).ToList();
        var report = CoveringArray.Measure(levels, rows, 2);

        report.Covered.Should().Be(5);
        report.Total.Should().Be(6);
        report.Missing.Should().Equal("(f0=1, f1=2)");
        report.ToString().Should().Be("t=2 tuples covered: 5/6; missing: (f0=1, f1=2)");
        CoveringArray.Measure(levels, rows, 1).Complete.Should().BeTrue();
    }

    [Test]
    public void Seeds_come_first_and_the_rest_completes_the_coverage()
    {
        var levels = ContractLevels;
        var seeds = new List<int[]>
        {
            levels.Select(l => l - 1).ToArray(),
            levels.Select(_ => 0).ToArray(),
            levels.Select(_ => 0).ToArray(),
        };
        var rows = CoveringArray.Build(levels, 2, seeds);

        rows.Take(2).Should().BeEquivalentTo(seeds.Take(2), o => o.WithStrictOrdering());
        rows.Should().OnlyHaveUniqueItems(r => string.Join(",", r));
        CoveringArray.Measure(levels, rows, 2).Complete.Should().BeTrue();
    }

    [Test]
    public void Builds_are_deterministic()
    {
        var random = new Random(7);
        for (var c = 0; c < 20; c++)
        {
            var levels = Enumerable.Range(0, random.Next(2, 12)).Select(_ => random.Next(1, 5)).ToArray();
            var t = random.Next(1, Math.Min(3, levels.Length) + 1);
            var first = CoveringArray.Build(levels, t).Select(r => string.Join(",", r)).ToList();
            var second = CoveringArray.Build(levels.ToList(), t).Select(r => string.Join(",", r)).ToList();
            second.Should().Equal(first);
        }
    }

    [Test]
    public void Exhaustive_is_lazy_and_lexicographic()
    {
        CoveringArray.Exhaustive([2, 3]).Select(r => string.Join(",", r))
            .Should().Equal("0,0", "0,1", "0,2", "1,0", "1,1", "1,2");
        // 1000^10 rows could never be materialised: taking three must return at once.
        CoveringArray.Exhaustive(Enumerable.Repeat(1000, 10).ToArray()).Take(3).Last()
            .Should().Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
        var rows = CoveringArray.Exhaustive([2, 2]).ToList();
        rows[0].Should().NotBeSameAs(rows[1]);
    }

    [Test]
    public void Bad_input_is_refused()
    {
        FluentActions.Invoking(() => CoveringArray.Build([2, 3], 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => CoveringArray.Build([2, 3], 3)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => CoveringArray.Build([2, 0], 1)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => CoveringArray.Build([], 1)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => CoveringArray.Exhaustive([2, 0])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => CoveringArray.Measure([2, 3], [[0, 3]], 1)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => CoveringArray.Measure([2, 3], [[0]], 1)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => CoveringArray.Build([2, 3], 2, [[2, 0]])).Should().Throw<ArgumentException>();
    }

    [Test]
    public void Our_arrays_are_no_larger_than_NUnit_pairwise()
    {
        var levels = ContractLevels;
        var sources = levels.Select(l => (IEnumerable)Enumerable.Range(0, l).ToArray()).ToArray();
        var nunitRows = new PairwiseStrategy().GetTestCases(sources)
            .Select(c => c.Arguments.Select(a => (int)a!).ToArray()).ToList();
        var nunitReport = CoveringArray.Measure(levels, nunitRows, 2);

        var sizes = new[] { 1, 2, 3 }.Select(t => CoveringArray.Build(levels, t).Count).ToArray();
        var plans = new[] { Profile.Smoke, Profile.Pairwise, Profile.Threewise }
            .Select(p => CombinationPlan.For(SipContract.Default, p).Count).ToArray();
        TestContext.Out.WriteLine($"factors [{string.Join(",", levels)}]");
        TestContext.Out.WriteLine($"t=1: ours {sizes[0]} rows (smoke plan with boundary rows: {plans[0]})");
        TestContext.Out.WriteLine($"t=2: ours {sizes[1]} rows, NUnit PairwiseStrategy {nunitRows.Count} rows ({nunitReport}) (pairwise plan with boundary rows: {plans[1]})");
        TestContext.Out.WriteLine($"t=3: ours {sizes[2]} rows (threewise plan with boundary rows: {plans[2]}); NUnit has no t=3 strategy");

        nunitReport.Complete.Should().BeTrue("NUnit's own array is a pairwise covering array");
        sizes[1].Should().BeLessThanOrEqualTo(nunitRows.Count);
    }

    [Test]
    public void Our_pairwise_is_no_larger_than_NUnit_on_random_factor_sets()
    {
        var random = new Random(424242);
        var (ours, theirs) = (0, 0);
        for (var c = 0; c < 15; c++)
        {
            var levels = Enumerable.Range(0, random.Next(3, 12)).Select(_ => random.Next(2, 6)).ToArray();
            var sources = levels.Select(l => (IEnumerable)Enumerable.Range(0, l).ToArray()).ToArray();
            var nunit = new PairwiseStrategy().GetTestCases(sources).Count();
            var our = CoveringArray.Build(levels, 2).Count;
            TestContext.Out.WriteLine($"[{string.Join(",", levels)}]: ours {our}, NUnit {nunit}");
            ours += our;
            theirs += nunit;
        }
        TestContext.Out.WriteLine($"total: ours {ours}, NUnit {theirs}");
        ours.Should().BeLessThanOrEqualTo(theirs);
    }

    /// <summary>No array of strength t is smaller than the product of the t largest levels.</summary>
    private static int LowerBound(IReadOnlyList<int> levels, int t) =>
        levels.OrderDescending().Take(t).Aggregate(1, (a, l) => a * l);
}
