using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SipConformance.Findings;

/// <summary>One environment setting of the line that repeats a run (for example SIPCONF_SEED=42).</summary>
public sealed record SettingValue(string Name, string Value)
{
    public override string ToString() => $"{Name}={Value}";
}

/// <summary>
/// The findings document (<c>sipconformance-findings.json</c>): everything a run found, as data.
/// Every report (the summary table, JUnit, Markdown, HTML, the tool's explanations, merge) is
/// rendered from it, for a live run and for saved files alike; it is written and read by one
/// serialiser (<see cref="ToJson"/>, <see cref="Parse"/>) and carries its <see cref="FormatVersion"/>.
/// </summary>
public sealed record FindingsDocument(
    int FormatVersion,
    string ContractRevision,
    string Target,
    string? ProjectId,
    string Profile,
    long Seed,
    string RunMarker,
    bool Strict,
    IReadOnlyList<string> Notes,
    IReadOnlyList<CheckEntry> Checks,
    string? Coverage = null,
    IReadOnlyList<SettingValue>? Replay = null,
    string? Banner = null,
    bool? ResourceConfigured = null,
    bool? SecondProjectConfigured = null,
    IReadOnlyDictionary<string, int>? CreateStatuses = null,
    SchemaRevisionProbeEntry? SchemaRevisionProbe = null,
    CombinationsEntry? Combinations = null,
    ShardEntry? Shard = null,
    LearnedEntry? Learned = null,
    IReadOnlyList<string>? Filter = null)
{
    /// <summary>The format this version writes and reads. 1: the files of runs before findings were typed (evidence as text).</summary>
    public const int CurrentFormat = 2;

    /// <summary>The README's command that runs the suite (what a replay line prefixes with its environment).</summary>
    public const string SuiteCommand = "dotnet test tests/SipConformance.Conformance";

    private static readonly JsonSerializerOptions ReadOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = false,
        RespectNullableAnnotations = true,
    };

    /// <summary>How a document is written: the names it is read with, indented, nulls left out, non-ASCII text as is.</summary>
    private static readonly JsonSerializerOptions WriteOptions = new(ReadOptions)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The part of a sharded run this document is (1/1 when unsharded).</summary>
    [JsonIgnore]
    public ShardEntry ShardOrWhole => Shard ?? new ShardEntry(1, 1);

    /// <summary>
    /// The --filter patterns the run judged (null: every check; files of runs before filters have none, and read as
    /// unfiltered: an optional field, so the format stays <see cref="CurrentFormat"/>).
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<string> FilterOrNone => Filter ?? [];

    /// <summary>The filter as one text ("" when the run judged every check).</summary>
    [JsonIgnore]
    public string FilterText => string.Join(", ", FilterOrNone);

    /// <summary>Whether the check was left out by the run's filter (SKIPPED, not run).</summary>
    public static bool LeftOut(CheckEntry check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return check.Outcome == Outcome.Skipped && check.SkipReasons.Any(r => r.StartsWith(Configuration.CheckFilter.LeftOutPrefix, StringComparison.Ordinal));
    }

    /// <summary>True when a check fails the run (NON-STRICT ones only in strict mode).</summary>
    [JsonIgnore]
    public bool Failed => Checks.Any(c => c.FailsRun(Strict));

    /// <summary>How many checks had each outcome.</summary>
    public int Count(Outcome outcome) => Checks.Count(c => c.Outcome == outcome);

    /// <summary>The verdict line (written into the file for people; worked out from the checks, never read back).</summary>
    public string Verdict =>
        $"SipConformance verdict: {(Failed ? "FAIL" : "PASS")}{(Strict ? " (strict)" : "")}: {Checks.Count} checks, {Count(Outcome.Pass)} PASS, {Count(Outcome.Fail)} FAIL, " +
        $"{Count(Outcome.NonStrict)} NON-STRICT, {Count(Outcome.Skipped)} SKIPPED" +
        (FilterOrNone.Count == 0 ? "" : $" (filter: {FilterText}; {Checks.Count(c => !LeftOut(c))} of {Checks.Count} checks run)");

    /// <summary>The environment that repeats the run, as one line ("" when the document has none).</summary>
    [JsonIgnore]
    public string ReplayLine => string.Join(' ', Replay ?? []);

    /// <summary>The command that repeats one check of the run.</summary>
    public string ReplayFor(string checkId) => $"{ReplayLine} {SuiteCommand} --filter \"Name~{checkId}\"".TrimStart();

    /// <summary>The banner the document carries, or one made of its facts.</summary>
    [JsonIgnore]
    public string BannerOrFacts => Banner ??
        $"SipConformance: contract revision {ContractRevision}; target {Target}; profile {Profile}, seed {Seed}, strict {(Strict ? "true" : "false")}" +
        (FilterOrNone.Count == 0 ? "" : $", filter {FilterText}") + $"; run marker {RunMarker}";

    /// <summary>The document as a findings file (what <see cref="Parse"/> reads back).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, WriteOptions);

    /// <summary>
    /// Reads a findings file. Refuses, with a sentence that says why, JSON that is no findings
    /// document and a document of another format version (naming both versions).
    /// </summary>
    public static FindingsDocument Parse(string json)
    {
        var node = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("not a findings document: the JSON is not an object");
        if (node["checks"] is null || node["run_marker"] is null || node["contract_revision"] is null)
            throw new InvalidDataException("not a findings document: it lacks contract_revision, checks or run_marker");
        var version = node["format_version"] is JsonValue v && v.TryGetValue(out int n) ? n : 1;
        if (version != CurrentFormat)
            throw new InvalidDataException(
                $"the findings document is format {version}, and this SipConformance reads format {CurrentFormat}" +
                (version < CurrentFormat ? " (format 1 is what runs before 2026-12-05 wrote, with evidence as text): run the suite again to get a current file" : ": use the SipConformance that wrote it"));
        var doc = node.Deserialize<FindingsDocument>(ReadOptions) ?? throw new InvalidDataException("the findings document is null");
        if (doc.Checks is null || doc.Profile is null || doc.Notes is null)
            throw new InvalidDataException("not a findings document: it lacks checks, profile or notes");
        return doc;
    }

    public static FindingsDocument Load(string path) => Parse(File.ReadAllText(path));
}
