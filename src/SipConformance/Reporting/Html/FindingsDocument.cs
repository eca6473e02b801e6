using System.Text.Json;
using System.Text.Json.Serialization;

namespace SipConformance.Reporting.Html;

/// <summary>
/// The findings document (<c>sipconformance-findings.json</c>, as <see cref="Reports"/> writes it)
/// read back: what the HTML report is built from, for a live run and for saved files alike. The
/// fields <see cref="FindingsExtras"/> adds are optional, so files of older runs still load.
/// </summary>
public sealed record FindingsDocument(
    string ContractRevision,
    string Target,
    string? ProjectId,
    string Profile,
    long Seed,
    string RunMarker,
    bool Strict,
    string Verdict,
    string? Coverage,
    IReadOnlyList<string> Notes,
    IReadOnlyList<CheckEntry> Checks,
    string? Replay = null,
    bool? ResourceConfigured = null,
    bool? SecondProjectConfigured = null,
    IReadOnlyDictionary<string, int>? CreateStatuses = null,
    SchemaRevisionProbeEntry? SchemaRevisionProbe = null,
    CombinationsEntry? Combinations = null,
    ShardEntry? Shard = null,
    string? Banner = null)
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = false,
        RespectNullableAnnotations = true,
    };

    /// <summary>How <see cref="ToJson"/> writes a document: the names it is read with, indented, nulls left out.</summary>
    public static readonly JsonSerializerOptions WriteOptions = new(Options)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The part of a sharded run this document is (null: a document of a run before shards existed, i.e. 1/1).</summary>
    [JsonIgnore]
    public ShardEntry ShardOrWhole => Shard ?? new ShardEntry(1, 1);

    /// <summary>The document as a findings file (what <see cref="Parse"/> reads back).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, WriteOptions);

    /// <summary>True when the verdict line says the run failed.</summary>
    [JsonIgnore]
    public bool Failed => Verdict.Contains("verdict: FAIL", StringComparison.Ordinal);

    public static FindingsDocument Parse(string json)
    {
        var doc = JsonSerializer.Deserialize<FindingsDocument>(json, Options) ?? throw new InvalidDataException("the findings document is null");
        // A JSON object of another kind deserializes with its properties missing (null): say so here, not as a null reference later.
        if (doc.ContractRevision is null || doc.Verdict is null || doc.Checks is null || doc.Profile is null || doc.RunMarker is null)
            throw new InvalidDataException("not a findings document: it lacks contract_revision, verdict, checks, profile or run_marker");
        return doc;
    }

    public static FindingsDocument Load(string path) => Parse(File.ReadAllText(path));
}
