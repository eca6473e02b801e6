using System.Text;
using System.Text.Json.Serialization;

namespace SipConformance.Findings;

/// <summary>
/// One check's row of the findings document: the rule (ID, level, section, title, clause), its
/// outcome and counts, why it was skipped (and the settings that would let it run), and the first
/// violations kept, each with its typed evidence.
/// </summary>
public sealed record CheckEntry(
    string Id,
    string Level,
    string Area,
    string Title,
    string Clause,
    Outcome Outcome,
    int Passes,
    int Violations,
    int Requests,
    IReadOnlyList<string> SkipReasons,
    IReadOnlyList<string> SkipSettings,
    IReadOnlyList<Violation> Evidence)
{
    /// <summary>What a skipped check without a recorded reason says.</summary>
    public const string NothingObserved = "nothing the check applies to was observed in this run";

    [JsonIgnore]
    public bool Broken => Violations > 0;

    /// <summary>Why the check was skipped (null unless it was).</summary>
    [JsonIgnore]
    public string? SkipReason => Outcome != Outcome.Skipped ? null : SkipReasons.Count == 0 ? NothingObserved : string.Join("; ", SkipReasons);

    /// <summary>The shrunk property failure its violations hold, if any.</summary>
    [JsonIgnore]
    public PropertyFailure? PropertyFailure => Evidence.Select(v => v.Property).FirstOrDefault(p => p is not null);

    /// <summary>Whether this row fails the run (NON-STRICT only in strict mode).</summary>
    public bool FailsRun(bool strict) => Outcome == Outcome.Fail || (strict && Outcome == Outcome.NonStrict);

    /// <summary>The row of a check's result.</summary>
    public static CheckEntry Of(CheckResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var outcome = r.Outcome;
        return new CheckEntry(r.Check.Id, r.Check.LevelName, r.Check.Section.Name, r.Check.Title, r.Check.Clause, outcome,
            r.Passes, r.ViolationCount, r.Requests, r.SkipReasons, r.SkipSettings, r.Violations);
    }

    /// <summary>A report a person can act on: the rule, then each kept violation with its evidence.</summary>
    public string Explain()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{Id} [{Level}] {Title}: {Outcome.Label()}");
        sb.AppendLine($"  contract: {Clause}");
        switch (Outcome)
        {
            case Outcome.Pass: sb.AppendLine($"  held {Passes} time(s) over {Requests} request(s)"); break;
            case Outcome.Skipped: sb.AppendLine($"  skipped: {SkipReason}"); break;
            default:
                sb.AppendLine($"  broken {Violations} time(s) (held {Passes}); the first {Evidence.Count}:");
                foreach (var v in Evidence)
                {
                    sb.AppendLine($"  - {v.Case}: {v.Message}");
                    if (v.EvidenceText() is { } text)
                        foreach (var line in text.Split('\n'))
                            sb.AppendLine("      " + line.TrimEnd('\r'));
                }
                break;
        }
        return sb.ToString();
    }
}
