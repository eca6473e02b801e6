using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Generation.Combinatorics;

namespace SipConformance.Tests.Generation;

public class CombinationPlanTests
{
    private static SipContract C => SipContract.Default;

    private static readonly Profile[] CoveringProfiles = [Profile.Smoke, Profile.Pairwise, Profile.Threewise];

    private static string Key(ComboRow r) =>
        $"{r.Encryption}|{r.CallHandler}|{string.Join(",", r.Ciphers)}|{string.Join(",", r.Codecs)}";

    [Test]
    public void The_factors_are_read_from_the_contract()
    {
        var plan = CombinationPlan.For(C, Profile.Pairwise);

        plan.Levels.Should().Equal([C.Encryptions.Count, C.CallHandlers.Count, .. C.Ciphers.Select(_ => 2), .. C.Codecs.Select(_ => 2)]);
        plan.Levels.Should().Equal(3, 4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2);
        plan.FactorNames.Should().Equal(["encryption", "call_handler", .. C.Ciphers.Select(c => "cipher:" + c), .. C.Codecs.Select(c => "codec:" + c)]);
        plan.FactorNames.Should().Contain("cipher:AEAD_AES_256_GCM_8");
        plan.Profile.Should().Be(Profile.Pairwise);
    }

    [TestCase(Profile.Smoke, 1)]
    [TestCase(Profile.Pairwise, 2)]
    [TestCase(Profile.Threewise, 3)]
    public void A_covering_profile_covers_every_tuple_of_its_strength_and_below(Profile profile, int t)
    {
        var plan = CombinationPlan.For(C, profile);
        var rows = plan.Rows().ToList();
        TestContext.Out.WriteLine($"{profile}: {plan.Count} rows ({rows.Count(r => r.Origin.StartsWith("boundary:", StringComparison.Ordinal))} boundary rows)");

        plan.Strength.Should().Be(t);
        rows.Should().HaveCount((int)plan.Count);
        for (var s = 1; s <= t; s++)
        {
            var report = plan.Coverage(s);
            TestContext.Out.WriteLine($"{s}-way tuples covered: {report.Covered}/{report.Total}");
            report.Complete.Should().BeTrue(report.ToString());
        }
        rows.Select(Key).Should().OnlyHaveUniqueItems();
        rows.Select(r => r.Index).Should().Equal(Enumerable.Range(0, rows.Count));
        rows.Should().OnlyContain(r => r.Origin.StartsWith("boundary: ", StringComparison.Ordinal)
            || r.Origin.StartsWith(profile.ToString().ToLowerInvariant() + " row ", StringComparison.Ordinal));
    }

    [TestCase(Profile.Smoke)]
    [TestCase(Profile.Pairwise)]
    [TestCase(Profile.Threewise)]
    public void A_covering_profile_stays_small(Profile profile)
    {
        // 9 boundary rows plus what the covering array still needs.
        var limit = profile switch { Profile.Smoke => 12, Profile.Pairwise => 24, _ => 60 };
        CombinationPlan.For(C, profile).Count.Should().BeLessThanOrEqualTo(limit);
    }

    [Test]
    public void Coverage_of_a_plan_without_one_row_is_incomplete()
    {
        var plan = CombinationPlan.For(C, Profile.Pairwise);
        var encoded = plan.Rows().Select(r => CombinationPlan.Encode(r, C)).ToList();
        var dropped = 0;
        for (var r = 0; r < encoded.Count; r++)
        {
            var report = CoveringArray.Measure(plan.Levels, encoded.Where((_, i) => i != r).ToList(), 2);
            if (!report.Complete) dropped++;
        }
        TestContext.Out.WriteLine($"{dropped} of {encoded.Count} rows are each needed for pairwise coverage");
        // Every row the covering array added past the boundary rows is needed.
        dropped.Should().BeGreaterThanOrEqualTo(plan.Rows().Count(r => !r.Origin.StartsWith("boundary:", StringComparison.Ordinal)));
        dropped.Should().BeGreaterThan(0);
    }

    [Test]
    public void Exhaustive_yields_the_whole_product_lazily_with_the_empty_lists_and_the_all_in_row()
    {
        var plan = CombinationPlan.For(C, Profile.Exhaustive);
        plan.Count.Should().Be(49_152);
        plan.Strength.Should().Be(14);

        var rows = plan.Rows().ToList();
        rows.Should().HaveCount(49_152);
        rows.Select(Key).Distinct().Should().HaveCount(49_152);
        rows.Should().Contain(r => r.Ciphers.Count == 0 && r.Codecs.Count == 0);
        rows.Should().Contain(r => r.Ciphers.SequenceEqual(C.Ciphers) && r.Codecs.SequenceEqual(C.Codecs));
        rows[0].Origin.Should().Be("exhaustive #1");
        rows[^1].Origin.Should().Be("exhaustive #49152");
        rows[^1].Index.Should().Be(49_151);
        plan.Rows().Take(1).Single().Should().BeEquivalentTo(rows[0]);

        var report = plan.Coverage(3);
        TestContext.Out.WriteLine($"exhaustive: 3-way tuples covered: {report.Covered}/{report.Total}");
        report.Complete.Should().BeTrue();
        plan.Coverage(plan.Strength).Should().Match<CoverageReport>(r => r.Complete && r.Total == 49_152);
    }

    [TestCase(Profile.Smoke)]
    [TestCase(Profile.Pairwise)]
    [TestCase(Profile.Threewise)]
    [TestCase(Profile.Exhaustive)]
    public void Every_profile_contains_the_boundary_rows(Profile profile)
    {
        var rows = CombinationPlan.For(C, profile).Rows().ToList();

        rows.Should().Contain(r => r.Ciphers.SequenceEqual(C.Ciphers) && r.Codecs.SequenceEqual(C.Codecs), "all in");
        rows.Should().Contain(r => r.Ciphers.Count == 0 && r.Codecs.Count == 0, "all out");
        foreach (var cipher in C.Ciphers)
            rows.Should().Contain(r => r.Ciphers.Count == 1 && r.Ciphers[0] == cipher && r.Codecs.Count == 1, $"{cipher} alone");
        foreach (var codec in C.Codecs)
            rows.Should().Contain(r => r.Codecs.Count == 1 && r.Codecs[0] == codec && r.Ciphers.Count == 1, $"{codec} alone");
    }

    [TestCase(Profile.Smoke)]
    [TestCase(Profile.Pairwise)]
    [TestCase(Profile.Threewise)]
    public void Boundary_rows_come_first_and_take_encryption_and_call_handler_round_robin(Profile profile)
    {
        var rows = CombinationPlan.For(C, profile).Rows().ToList();
        var boundary = rows.TakeWhile(r => r.Origin.StartsWith("boundary:", StringComparison.Ordinal)).ToList();

        boundary.Should().HaveCount(2 + Math.Max(C.Ciphers.Count, C.Codecs.Count));
        rows.Skip(boundary.Count).Should().NotContain(r => r.Origin.StartsWith("boundary:", StringComparison.Ordinal));
        boundary[0].Origin.Should().Be("boundary: all in");
        boundary[1].Origin.Should().Be("boundary: all out");
        for (var k = 0; k < boundary.Count; k++)
        {
            boundary[k].Encryption.Should().Be(C.Encryptions[k % C.Encryptions.Count]);
            boundary[k].CallHandler.Should().Be(C.CallHandlers[k % C.CallHandlers.Count]);
        }
        boundary.Select(r => r.Cell).Should().OnlyHaveUniqueItems();
    }

    [TestCase(Profile.Smoke)]
    [TestCase(Profile.Pairwise)]
    [TestCase(Profile.Threewise)]
    [TestCase(Profile.Exhaustive)]
    public void Lists_keep_the_contract_order(Profile profile)
    {
        foreach (var r in CombinationPlan.For(C, profile).Rows())
        {
            r.Ciphers.Should().Equal(C.Ciphers.Where(r.Ciphers.Contains));
            r.Codecs.Should().Equal(C.Codecs.Where(r.Codecs.Contains));
        }
    }

    [TestCase(Profile.Smoke)]
    [TestCase(Profile.Pairwise)]
    [TestCase(Profile.Threewise)]
    public void Plans_are_deterministic(Profile profile)
    {
        var first = CombinationPlan.For(C, profile).Rows().Select(r => r.ToString()).ToList();
        var second = CombinationPlan.For(SipContract.LoadRevision(SipContract.DefaultRevision), profile).Rows().Select(r => r.ToString()).ToList();
        second.Should().Equal(first);
    }

    [Test]
    public void Encode_is_the_inverse_of_the_rows_values()
    {
        var plan = CombinationPlan.For(C, Profile.Threewise);
        foreach (var row in plan.Rows())
        {
            var values = CombinationPlan.Encode(row, C);
            values.Should().HaveCount(plan.Levels.Count);
            C.Encryptions[values[0]].Should().Be(row.Encryption);
            C.CallHandlers[values[1]].Should().Be(row.CallHandler);
            C.Ciphers.Where((_, j) => values[2 + j] == CombinationPlan.In).Should().Equal(row.Ciphers);
            C.Codecs.Where((_, j) => values[2 + C.Ciphers.Count + j] == CombinationPlan.In).Should().Equal(row.Codecs);
        }
        var bad = new ComboRow(0, "sometimes", C.CallHandlers[0], [], [], "test");
        FluentActions.Invoking(() => CombinationPlan.Encode(bad, C)).Should().Throw<ArgumentException>().WithMessage("*sometimes*");
        var badCodec = new ComboRow(0, C.Encryptions[0], C.CallHandlers[0], [], ["MP3"], "test");
        FluentActions.Invoking(() => CombinationPlan.Encode(badCodec, C)).Should().Throw<ArgumentException>().WithMessage("*MP3*");
    }

    [Test]
    public void Rows_compare_by_value()
    {
        var a = new ComboRow(3, "optional", "resource", ["AEAD_AES_256_GCM_8"], [], "test");
        var b = new ComboRow(3, "optional", "resource", new List<string> { "AEAD_AES_256_GCM_8" }, new List<string>(), "test");
        a.Should().Be(b);
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.Should().NotBe(b with { Codecs = ["PCMU"] });
        a.Should().NotBe(b with { Ciphers = [] });
        CombinationPlan.For(C, Profile.Threewise).Rows().Should().Equal(CombinationPlan.For(C, Profile.Threewise).Rows());
    }

    [Test]
    public void A_row_names_its_cell()
    {
        var row = CombinationPlan.For(C, Profile.Smoke).Rows().First();
        row.Cell.Should().Be($"encryption={row.Encryption}, call_handler={row.CallHandler}");
        row.Cell.Should().Be("encryption=required, call_handler=default");
    }

    [Test]
    public void A_missing_tuple_of_the_plan_names_factors_and_values()
    {
        var plan = CombinationPlan.For(C, Profile.Smoke);
        var levels = plan.Levels;
        // Only rows with encryption=required: the other encryption values are missing.
        var rows = plan.Rows().Select(r => CombinationPlan.Encode(r, C)).Where(v => v[0] == 0).ToList();
        var report = CoveringArray.Measure(levels, rows, 1, (f, v) => $"{plan.FactorNames[f]}={v}");
        report.Complete.Should().BeFalse();
        report.Missing.Should().Contain("(encryption=1)");
    }
}
