using FluentAssertions;
using NUnit.Framework;
using SipConformance.Cli;
using SipConformance.Configuration;
using SipConformance.Findings;
using SipConformance.Reporting;
using SipConformance.Reporting.Html;
using SipConformance.Rules;

namespace SipConformance.Tests.Reporting;

/// <summary>Merging shards' findings: the arithmetic (sums, worst outcome), the refusals, and `sipconf merge`'s files and exit codes.</summary>
[TestFixture]
public sealed class MergeTests
{
    private const Outcome Pass = Outcome.Pass;
    private const Outcome Fail = Outcome.Fail;
    private const Outcome NonStrict = Outcome.NonStrict;
    private const Outcome Skipped = Outcome.Skipped;

    private static FindingsDocument Shard(int i, int n, Func<CheckEntry, CheckEntry>? bend = null, long seed = 4242, string profile = "smoke") =>
        ReportSamples.Document(bend) with
        {
            Shard = new ShardEntry(i, n), Seed = seed, Profile = profile, RunMarker = $"m{i}",
            Replay = [new("SIPCONF_SEED", $"{seed}"), new("SIPCONF_RUN_MARKER", $"m{i}"), new("SIPCONF_SHARD", $"{i}/{n}")],
        };

    private static IReadOnlyList<ShardFindings> Named(params FindingsDocument[] docs) =>
        docs.Select((d, k) => new ShardFindings($"shard-dir-{k + 1}", d)).ToList();

    private static CheckEntry Row(FindingsDocument d, Rule rule) => d.Checks.Single(c => c.Id == rule.Id);

    [Test]
    public void Counts_are_summed_per_check_and_the_worst_outcome_wins()
    {
        var evidence = new Violation("a case", "type is wrong") { Text = "-> POST ..." };
        var a = Shard(1, 3, c => c.Id == Success.Type.Id ? c with { Passes = 4, Requests = 5 } : c);
        var b = Shard(2, 3, c => c.Id == Success.Type.Id ? ReportSamples.Failing(c with { Passes = 2, Requests = 3 }, evidence)
            : c.Id == Echo.Username.Id ? c with { Outcome = NonStrict, Violations = 1 } : c);
        var c3 = Shard(3, 3, c => c.Id == Success.Type.Id || c.Id == Echo.Username.Id ? c with { Outcome = Skipped, Passes = 0, Requests = 0, SkipReasons = ["nothing here"] } : c);

        var merged = Merge.Documents(Named(c3, a, b));

        var type = Row(merged, Success.Type);
        type.Outcome.Should().Be(Fail);
        type.Passes.Should().Be(6);
        type.Violations.Should().Be(1);
        type.Requests.Should().Be(8);
        type.Evidence.Should().ContainSingle().Which.Should().Be(evidence);
        type.SkipReason.Should().BeNull();
        Row(merged, Echo.Username).Outcome.Should().Be(NonStrict, "NON-STRICT is worse than PASS and SKIPPED");
        Row(merged, Success.Status).Outcome.Should().Be(Pass);
        Row(merged, Success.Status).Requests.Should().Be(3);
        merged.Checks.Select(c => c.Id).Should().Equal(RuleBook.All.Select(r => r.Id).Order(StringComparer.Ordinal));
        merged.Verdict.Should().StartWith("SipConformance verdict: FAIL").And.Contain("1 FAIL, 1 NON-STRICT");
        merged.Failed.Should().BeTrue();
        merged.CreateStatuses.Should().BeEquivalentTo(new Dictionary<string, int> { ["200"] = 30 });
        merged.ReplayLine.Should().Be("SIPCONF_SEED=4242 SIPCONF_RUN_MARKER=m1", "the merged run replays unsharded");
        merged.ReplayFor(Success.Type.Id).Should().Be($"SIPCONF_SEED=4242 SIPCONF_RUN_MARKER=m1 {FindingsDocument.SuiteCommand} --filter \"Name~{Success.Type.Id}\"");
        merged.Notes[0].Should().Contain("merged from 3 shard(s): 1/3 (run marker m1), 2/3 (run marker m2), 3/3 (run marker m3)");
    }

    [Test]
    public void Pass_and_skipped_merge_to_pass_and_skipped_everywhere_stays_skipped_with_the_reasons()
    {
        var skipped = (CheckEntry c) => c with { Outcome = Skipped, Passes = 0, Requests = 0, SkipReasons = [c.Id == Isolation.Read.Id ? "no second project" : "nothing observed"] };
        var merged = Merge.Documents(Named(Shard(1, 2), Shard(2, 2, skipped)));
        merged.Checks.Should().OnlyContain(c => c.Outcome == Pass);
        merged.Verdict.Should().StartWith("SipConformance verdict: PASS");

        var allSkipped = Merge.Documents(Named(Shard(1, 2, c => skipped(c) with { SkipReasons = ["a", "b"] }), Shard(2, 2, skipped)));
        Row(allSkipped, Isolation.Read).SkipReason.Should().Be("a; b; no second project");
    }

    [Test]
    public void Evidence_is_kept_up_to_the_run_s_limit_in_shard_order()
    {
        Violation[] Evidence(int shard) => Enumerable.Range(0, 15).Select(k => new Violation($"shard {shard} case {k}", "broken")).ToArray();
        var merged = Merge.Documents(Named(
            Shard(2, 2, c => c.Id == Success.Type.Id ? ReportSamples.Failing(c, Evidence(2)) : c),
            Shard(1, 2, c => c.Id == Success.Type.Id ? ReportSamples.Failing(c, Evidence(1)) : c)));
        var type = Row(merged, Success.Type);
        type.Violations.Should().Be(30);
        type.Evidence.Should().HaveCount(CheckResult.KeptViolations);
        type.Evidence[0].Case.Should().Be("shard 1 case 0");
        type.Evidence[^1].Case.Should().Be("shard 2 case 4");
    }

    [Test]
    public void The_combination_cells_and_tallies_are_summed()
    {
        CombinationsEntry Combos(int rows, int failedRow) => new(["required", "optional"], ["block-pstn"], 1, rows, rows,
            [new CellEntry("encryption=required, call_handler=block-pstn", "required", "block-pstn", rows, 1,
                [new CellFailureEntry(failedRow, "smoke row", ["A"], ["PCMU"], [Success.Type.Id])], failedRow == 3 ? new SmallestEntry(Success.Type.Id, ["A"], []) : null)],
            new Dictionary<string, IReadOnlyDictionary<string, int>> { ["ciphers"] = new Dictionary<string, int> { ["A"] = rows } });
        var merged = Merge.Documents(Named(Shard(1, 2) with { Combinations = Combos(5, 4) }, Shard(2, 2) with { Combinations = Combos(4, 3) }));
        var combos = merged.Combinations!;
        combos.PlannedRows.Should().Be(9);
        combos.SentRows.Should().Be(9);
        combos.SkippedRows.Should().Be(2);
        var cell = combos.Cells.Should().ContainSingle().Subject;
        cell.Rows.Should().Be(9);
        cell.FailedRows.Should().Be(2);
        cell.Failures.Select(f => f.Row).Should().Equal(3, 4);
        cell.Smallest!.Check.Should().Be(Success.Type.Id, "the smallest lists of the first failing row (3, shard 2's)");
        combos.Sent["ciphers"]["A"].Should().Be(9);
    }

    [TestCase("seed", "different seeds")]
    [TestCase("profile", "different profiles")]
    [TestCase("revision", "different contract revisions")]
    [TestCase("n", "different shard counts")]
    [TestCase("strict", "different strictness")]
    [TestCase("filter", "different filters (--filter, SIPCONF_FILTER)")]
    [TestCase("unfiltered", "different filters (--filter, SIPCONF_FILTER)")]
    public void Shards_of_different_runs_are_refused(string what, string message)
    {
        var other = what switch
        {
            "seed" => Shard(2, 2, seed: 1),
            "profile" => Shard(2, 2, profile: "pairwise"),
            "revision" => Shard(2, 2) with { ContractRevision = "2026-08-21" },
            "n" => Shard(2, 3),
            "filter" => Shard(2, 2) with { Filter = ["CREATE-OK"] },
            "unfiltered" => Shard(2, 2),
            _ => Shard(2, 2) with { Strict = true },
        };
        var first = what switch
        {
            "filter" => Shard(1, 2) with { Filter = ["CREATE-AUTH"] },
            "unfiltered" => Shard(1, 2) with { Filter = ["CREATE-AUTH"] },
            _ => Shard(1, 2),
        };
        var act = () => Merge.Documents(Named(first, other));
        act.Should().Throw<MergeRefusedException>().WithMessage($"*not shards of one run*{message}*shard-dir-1*shard-dir-2*");
    }

    [Test]
    public void Shards_of_one_filter_merge_and_the_merged_run_names_it()
    {
        const string reason = "not run: left out by --filter CREATE-AUTH, CREATE-OK-001";
        CheckEntry LeftOut(CheckEntry c) =>
            c.Id.StartsWith("CREATE-AUTH", StringComparison.Ordinal) || c.Id == Success.Status.Id ? c
            : c with { Outcome = Skipped, Passes = 0, Violations = 0, Requests = 0, SkipReasons = [reason], Evidence = [] };
        var merged = Merge.Documents(Named(
            Shard(1, 2, LeftOut) with { Filter = ["CREATE-AUTH", "CREATE-OK-001"] },
            Shard(2, 2, LeftOut) with { Filter = ["create-ok-001", "create-auth"] }));

        merged.Filter.Should().Equal("CREATE-AUTH", "CREATE-OK-001");
        var run = RuleBook.All.Count(r => r.Section == Authentication.Section) + 1;
        merged.Verdict.Should().EndWith($"(filter: CREATE-AUTH, CREATE-OK-001; {run} of {RuleBook.All.Count} checks run)");
        merged.BannerOrFacts.Should().Contain("filter CREATE-AUTH, CREATE-OK-001");
        Row(merged, Success.Type).SkipReason.Should().Be(reason);
        FindingsDocument.Parse(merged.ToJson()).Filter.Should().Equal("CREATE-AUTH", "CREATE-OK-001");
    }

    [Test]
    public void A_duplicate_shard_is_refused_naming_both_sources()
    {
        var act = () => Merge.Documents(Named(Shard(1, 2), Shard(2, 2), Shard(2, 2)));
        act.Should().Throw<MergeRefusedException>().WithMessage("duplicate shards: shard 2/2 is in shard-dir-2 and shard-dir-3");
    }

    [Test]
    public void Missing_shards_are_named()
    {
        var act = () => Merge.Documents(Named(Shard(3, 4), Shard(1, 4)));
        act.Should().Throw<MergeRefusedException>().WithMessage("missing shards: 2/4, 4/4 (given: 1/4, 3/4)");
        var none = () => Merge.Documents([]);
        none.Should().Throw<MergeRefusedException>().WithMessage("no shard to merge*");
    }

    [Test]
    public void A_document_without_a_shard_is_a_whole_run_of_one()
    {
        var merged = Merge.Documents(Named(ReportSamples.Document()));
        merged.Checks.Should().BeEquivalentTo(ReportSamples.Document().Checks);
        merged.Shard.Should().Be(new ShardEntry(1, 1));
    }

    [Test]
    public void A_merged_document_round_trips_through_its_findings_file()
    {
        var merged = Merge.Documents(Named(Shard(1, 2, c => c.Id == Success.Type.Id ? ReportSamples.Failing(c, ReportSamples.Shown("c", "m", 200, "{}")) : c), Shard(2, 2)));
        var back = FindingsDocument.Parse(merged.ToJson());
        back.ToJson().Should().Be(merged.ToJson());
        back.Verdict.Should().Be(merged.Verdict);
        back.Shard.Should().Be(merged.Shard);
        back.CreateStatuses.Should().BeEquivalentTo(merged.CreateStatuses);
        merged.ToJson().Should().NotContain("\"failed\":").And.NotContain("\"broken\":", "computed members are not written");
    }

    // ---- sipconf merge

    private static string Write(FindingsDocument doc)
    {
        var dir = Directory.CreateTempSubdirectory("sipconf-merge-shard-").FullName;
        File.WriteAllText(Path.Combine(dir, Reports.FindingsFileName), doc.ToJson());
        return dir;
    }

    private static async Task<(int Code, string Out, string Err, string Artifacts)> Merge3(params string[] dirs)
    {
        var artifacts = Directory.CreateTempSubdirectory("sipconf-merged-").FullName;
        var env = new Dictionary<string, string?> { [SettingsLoader.Artifacts] = artifacts, [SettingsLoader.ApiToken] = ReportSamples.Token };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await MergeCommand.RunAsync(dirs, stdout, stderr, n => env.GetValueOrDefault(n), CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString(), artifacts);
    }

    [Test]
    public async Task Merge_writes_every_report_of_the_whole_run_and_exits_1_on_a_FAIL()
    {
        var leak = new Violation("a case", $"quoted the token {ReportSamples.Token}");
        var (code, stdout, stderr, artifacts) = await Merge3(
            Write(Shard(1, 3)), Write(Shard(2, 3, c => c.Id == Success.Type.Id ? ReportSamples.Failing(c, leak) : c)), Write(Shard(3, 3)));

        code.Should().Be(1, stderr);
        var verdict = FindingsDocument.Load(Path.Combine(artifacts, Reports.FindingsFileName)).Verdict;
        verdict.Should().StartWith("SipConformance verdict: FAIL");
        stdout.Should().Contain(verdict).And.Contain($"{Success.Type.Id,-19} MUST   FAIL");
        foreach (var name in new[] { Reports.FindingsFileName, Reports.JUnitFileName, Reports.SummaryFileName, HtmlReport.FileName })
        {
            var text = File.ReadAllText(Path.Combine(artifacts, name));
            text.Should().NotContain(ReportSamples.Token[..20], $"{name} holds no token");
            text.Should().Contain(Success.Type.Id, name);
        }
        File.ReadAllText(Path.Combine(artifacts, Reports.JUnitFileName)).Should().Contain("<failure message=\"FAIL: a case: quoted the token [REDACTED]\"");
        File.ReadAllText(Path.Combine(artifacts, Reports.SummaryFileName)).Should().Contain("merged shards 1/3, 2/3, 3/3").And.Contain($"| {Success.Type.Id} | MUST | FAIL |");
        File.ReadAllText(Path.Combine(artifacts, HtmlReport.FileName)).Should().Contain($"data-check=\"{Success.Type.Id}\" data-outcome=\"FAIL\"");
    }

    [Test]
    public async Task Merge_exits_0_on_a_PASS_and_accepts_findings_files_as_well_as_directories()
    {
        var one = Write(Shard(1, 2));
        var (code, stdout, _, _) = await Merge3(Path.Combine(one, Reports.FindingsFileName), Write(Shard(2, 2)));
        code.Should().Be(0);
        stdout.Should().Contain("SipConformance verdict: PASS");
    }

    [Test]
    public async Task Merge_refuses_with_2_and_a_clear_message()
    {
        var (code, stdout, stderr, artifacts) = await Merge3(Write(Shard(1, 3)), Write(Shard(3, 3)));
        code.Should().Be(2);
        stderr.Should().Contain("sipconf merge: refused: missing shard: 2/3");
        stdout.Should().BeEmpty();
        Directory.EnumerateFiles(artifacts).Should().BeEmpty("a refused merge writes nothing");

        var empty = Directory.CreateTempSubdirectory("sipconf-merge-empty-").FullName;
        (code, _, stderr, _) = await Merge3(Write(Shard(1, 2)), empty);
        code.Should().Be(2);
        stderr.Should().Contain($"{empty} holds no {Reports.FindingsFileName}");

        (code, _, stderr, _) = await Merge3(Write(Shard(1, 2, seed: 1)), Write(Shard(2, 2, seed: 2)));
        code.Should().Be(2);
        stderr.Should().Contain("different seeds");

        (code, _, stderr, _) = await Merge3();
        code.Should().Be(2);
        stderr.Should().Contain("refused: no shard given");
    }
}
