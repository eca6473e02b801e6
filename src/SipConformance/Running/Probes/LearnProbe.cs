using SipConformance.Cases;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Rules;

namespace SipConformance.Running.Probes;

/// <summary>
/// The learning phase ("learn"): what each string field of the create body takes beyond the
/// baseline. A real service may refuse any text with 422 and still be correct; this phase asks the
/// target, class by class, so the run can say what it takes (the findings document's learned
/// table, the banner, every report). From a baseline payload it varies one field at a time over
/// classes of text (letters of each case, digits, space and ASCII punctuation in small groups,
/// Latin letters with diacritics, Cyrillic, CJK, a character outside the BMP, a control character)
/// and over lengths, in every string field the contract's create body has (caller_id too: its
/// baseline is E.164, its classes are learned like the others). Each case is bound to CREATE-STR-004
/// (text kept exactly, or 422), so what the target mangles is judged there, as any other stimulus
/// (and every answer goes to every rule), unless the baseline itself is refused (below).
/// <para>
/// Every shard runs it (it is no one-off): the table is the same in each, for a seed and a target,
/// and merge refuses shards whose tables differ. It runs before every phase that needs a 200
/// (<see cref="Probe.NeedsAccepted"/>): when the baseline itself is refused only because of the
/// generated caller id (and SIPCONF_CALLER_ID is unset), those phases could judge nothing but that
/// refusal, so the run does not run them and SKIPs their checks with a reason naming the setting.
/// </para>
/// </summary>
public sealed class LearnProbe : Probe
{
    public const string PhaseName = "learn";

    public override string Name => PhaseName;

    public override bool NeedsAccepted => false;

    /// <summary>
    /// Its creates (every answer, every 200, every 422) and CREATE-STR-004, whose cases they are. A run filtered to checks no
    /// create feeds (CREATE-AUTH, say) leaves it out, and with it the caller-id diagnosis: the phases left run as they would.
    /// </summary>
    public override bool Feeds(Rule rule) => Feeding.Creates(rule) || rule == Strings.Exact;

    /// <summary>The classes of text, each one stimulus per field. The ASCII punctuation (with space) is grouped the way a SIP stack sees it: RFC 3261 §25.1 marks, user-unreserved, the rest; 4 or 5 characters a group bound the cost.</summary>
    public static readonly IReadOnlyList<(string Class, string Text)> Classes =
    [
        (LowerCase, "abcxyz"),
        ("upper-case letters", "ABCXYZ"),
        ("digits", "0123456789"),
        ("space", "a b"),
        ("punctuation -_.!~", "-_.!~"),
        ("punctuation *'()", "*'()"),
        ("punctuation &=+$", "&=+$"),
        ("punctuation ,;?/", ",;?/"),
        ("punctuation \"#%:<", "\"#%:<"),
        ("punctuation >@[\\]", ">@[\\]"),
        ("punctuation ^`{|}", "^`{|}"),
        ("Latin letters with diacritics", "\u00e9\u00f1\u00fc\u00e7\u00c5\u00f8"),
        ("Cyrillic", "\u041f\u0440\u0438\u0432\u0435\u0442"),
        ("CJK", "\u6771\u4eac\u65e5\u672c"),
        ("outside the BMP", "\U0001F600\U0001F4DE"),
        ("a control character", "a\u0001b"),
    ];

    /// <summary>The class a character is sent between when a refused group is split (and that must be stored for it).</summary>
    private const string LowerCase = "lower-case letters";

    /// <summary>The classes that are groups of ASCII punctuation (each split, when refused, into its characters): name, text.</summary>
    private static readonly IReadOnlyDictionary<string, string> PunctuationGroups = Classes
        .Where(c => c.Text.All(ch => char.IsAscii(ch) && (char.IsPunctuation(ch) || char.IsSymbol(ch))))
        .ToDictionary(c => c.Class, c => c.Text, StringComparer.Ordinal);

    /// <summary>Whether a class is a group of ASCII punctuation (split, when refused, into its characters).</summary>
    public static bool IsPunctuationGroup(string className) => PunctuationGroups.ContainsKey(className);

    /// <summary>The end of the class name of one character of a refused group, sent alone between letters.</summary>
    public const string SplitSuffix = " inside letters";

    /// <summary>The class name of one punctuation character sent alone between letters ("punctuation ! inside letters").</summary>
    public static string SplitClass(char ch) => $"punctuation {ch}{SplitSuffix}";

    /// <summary>
    /// The characters of the punctuation groups a field refused, each alone between lower-case letters ("a!b"; for username
    /// after the run's prefix), when the field stored lower-case letters (else a refusal would say nothing of the character):
    /// the table then names the very characters the target refuses. In the order of the groups, one item per character,
    /// each with the index of its group in <paramref name="items"/>. <paramref name="prefix"/>: the run's username prefix.
    /// </summary>
    public static IReadOnlyList<(int Group, Item Item)> Splits(string prefix, IReadOnlyList<Item> items, IReadOnlyList<LearnedClassEntry> verdicts)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(verdicts);
        var splits = new List<(int, Item)>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (!PunctuationGroups.TryGetValue(item.Class, out var group) || verdicts[i].Verdict != LearnedEntry.Refused) continue;
            var lettersStored = items.Select((it, k) => (it, k)).Any(x => x.it.Field == item.Field && x.it.Class == LowerCase && verdicts[x.k].Verdict == LearnedEntry.Stored);
            if (!lettersStored) continue;
            foreach (var ch in group)
                splits.Add((i, new(item.Field, SplitClass(ch), (item.Field == FieldNames.Username ? prefix : "") + "a" + ch + "b")));
        }
        return splits;
    }

    /// <summary>The lengths learned (UTF-16 units, the whole text: for username, the run's prefix included).</summary>
    public static readonly IReadOnlyList<int> Lengths = [1, 32, 64, 255];

    /// <summary>The class name of a length.</summary>
    public static string LengthClass(int n) => $"length {n}";

    /// <summary>One stimulus: the field, its class, the text sent.</summary>
    public sealed record Item(string Field, string Class, string Text);

    /// <summary>
    /// What the phase sends after the baseline payload, in order: per string field of the create body,
    /// each class, then each length (lower-case letters; for caller_id '+' and digits, the E.164 shape).
    /// A username carries the run's prefix (so cleanup finds it): a length shorter than the prefix is not sent.
    /// </summary>
    public static IReadOnlyList<Item> Items(SuiteRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var prefix = run.Identity.UsernamePrefix;
        var items = new List<Item>();
        foreach (var field in run.Contract.CreateFields.Where(f => f.Kind == FieldKind.String).Select(f => f.Name))
        {
            var username = field == FieldNames.Username;
            foreach (var (name, text) in Classes) items.Add(new(field, name, username ? prefix + text : text));
            foreach (var n in Lengths)
            {
                if (username && n <= prefix.Length) continue;
                var lead = username ? prefix : field == FieldNames.CallerId ? "+" : "";
                var filler = field == FieldNames.CallerId ? "0123456789" : "abcdefghij";
                items.Add(new(field, LengthClass(n), lead + Fill(filler, n - lead.Length)));
            }
        }
        return items;
    }

    private static string Fill(string filler, int n) => n <= 0 ? "" : string.Concat(Enumerable.Repeat(filler, n / filler.Length + 1))[..n];

    /// <summary>The baseline payload and every item, each a case the contract lets be a 200 (create, read-back, delete), in every shard.</summary>
    public override long PlannedRequests(SuiteRun run, Profile profile, Shard shard) => (1 + Items(run).Count) * (long)AcceptedCaseRequests;

    public override async Task RunAsync(SuiteRun run, CancellationToken ct)
    {
        // The baseline payload itself, judged apart: were it refused because of the generated caller id, that
        // is a diagnosis, not a FAIL (the run's other phases judge the baseline's answers in any case).
        var baseline = await run.ExecuteAsync(run.ValidCase(Name, 0).Named("the baseline payload, unvaried").Build(Success.Status), ct,
            into: new RunFindings(redactor: run.Redactor)).ConfigureAwait(false);
        if (baseline.Create.Response?.Status == Statuses.Ok) run.BaselineTaken();
        // The items are judged apart too, and their verdicts kept unless the baseline turns out refused for its caller id:
        // then each 422 names caller_id, not the field varied, and judging it would only repeat that one refusal.
        var judged = new RunFindings(redactor: run.Redactor);
        var items = Items(run);
        var cases = items.Select((item, i) => run.ValidCase(Name, i + 1).Named($"learning {item.Field}: {item.Class}")
            .From($"{Name}, seed {run.Settings.Seed}").WithText(item.Field, item.Text).Build(Strings.Exact)).ToList();
        var results = await run.ExecuteAllAsync(cases, ct, into: judged).ConfigureAwait(false);
        var byCase = results.ToDictionary(r => r.Case);
        LearnedClassEntry Verdict(IReadOnlyDictionary<CreateCase, CaseResult> answered, CreateCase c, Item item) =>
            answered.TryGetValue(c, out var r) ? Judge(run.Contract, r, item) : new LearnedClassEntry(item.Class, LearnedEntry.Other, 0);
        var learned = items.Select((item, i) => (item, verdict: Verdict(byCase, cases[i], item))).ToList();
        // A punctuation group refused: each of its characters alone, so that the table names the ones refused.
        var splits = Splits(run.Identity.UsernamePrefix, items, learned.Select(l => l.verdict).ToList());
        var splitCases = splits.Select((split, i) => run.ValidCase(Name + "/split", i).Named($"learning {split.Item.Field}: {split.Item.Class}")
            .From($"{Name}, seed {run.Settings.Seed}").WithText(split.Item.Field, split.Item.Text).Build(Strings.Exact)).ToList();
        var splitResults = splitCases.Count == 0 ? [] : await run.ExecuteAllAsync(splitCases, ct, into: judged).ConfigureAwait(false);
        var splitByCase = splitResults.ToDictionary(r => r.Case);
        // Each group's characters right after the group, in the group's order.
        var byGroup = splits.Select((split, k) => (split.Group, item: split.Item, verdict: Verdict(splitByCase, splitCases[k], split.Item))).ToLookup(s => s.Group);
        var ordered = learned.SelectMany((l, i) => byGroup[i].Select(s => (s.item, s.verdict)).Prepend(l)).ToList();
        var fields = ordered.GroupBy(l => l.item.Field, StringComparer.Ordinal)
            .Select(g => new LearnedFieldEntry(g.Key, g.Select(l => l.verdict).ToList())).ToList();
        results = [.. results, .. splitResults];
        var baselineStatus = baseline.Create.Response?.Status ?? 0;
        // Refused only because of the generated caller id: the baseline is 422, so is every payload that varies another
        // field (with the same generated caller id), and no caller id was given. A server refusing other baseline text
        // would take some of those; one refusing everything is not told apart, and the diagnosis names the setting to try.
        var byCallerId = run.Settings.CallerId is null && baselineStatus == Statuses.Unprocessable
            && learned.Where(l => l.item.Field != FieldNames.CallerId).All(l => l.verdict.Status == Statuses.Unprocessable);
        // Every shard learns (each needs the table), shard 1 alone judges and tallies what it learned from: the shards
        // merged then hold the verdicts and create statuses of the unsharded run, not one copy per shard.
        if (!byCallerId && run.Shard.RunsOneOffs) run.Findings.Add(judged);
        if (!run.Shard.RunsOneOffs)
            foreach (var create in results.Select(r => r.Create).Append(baseline.Create)) run.Api.Untally(create);
        run.Learned(new LearnedEntry(baselineStatus, byCallerId, 1 + results.Count, fields));
    }

    /// <summary>Stored exactly (200 and the echo is the text), refused (422), mangled (200 and another text), or other.</summary>
    private static LearnedClassEntry Judge(SipContract contract, CaseResult r, Item item)
    {
        var status = r.Create.Response?.Status ?? 0;
        if (status == Statuses.Unprocessable) return new(item.Class, LearnedEntry.Refused, status);
        if (status != Statuses.Ok || r.Create.Response!.Json is not { } body) return new(item.Class, LearnedEntry.Other, status);
        var echoed = JsonText.EndpointString(contract, body, item.Field);
        return new(item.Class, string.Equals(echoed, item.Text, StringComparison.Ordinal) ? LearnedEntry.Stored : LearnedEntry.Mangled, status);
    }
}
