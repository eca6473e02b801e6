using System.Text.Json;
using System.Text.Json.Serialization;

namespace SipConformance.Findings;

/// <summary>The outcome of one check over a run (written as PASS, FAIL, NON-STRICT, SKIPPED).</summary>
[JsonConverter(typeof(OutcomeJsonConverter))]
public enum Outcome
{
    Pass,
    Fail,
    /// <summary>A SHOULD was broken: a warning, a failure only in strict mode.</summary>
    NonStrict,
    Skipped,
}

public static class OutcomeLabels
{
    public static string Label(this Outcome o) => o switch
    {
        Outcome.Pass => "PASS",
        Outcome.Fail => "FAIL",
        Outcome.NonStrict => "NON-STRICT",
        _ => "SKIPPED",
    };

    /// <summary>The outcome a label names.</summary>
    public static Outcome Parse(string label) => label switch
    {
        "PASS" => Outcome.Pass,
        "FAIL" => Outcome.Fail,
        "NON-STRICT" => Outcome.NonStrict,
        "SKIPPED" => Outcome.Skipped,
        _ => throw new JsonException($"'{label}' is no outcome (PASS, FAIL, NON-STRICT, SKIPPED)"),
    };

    /// <summary>Worst first: FAIL, NON-STRICT, PASS, SKIPPED (what a merge of shards keeps).</summary>
    public static int Rank(this Outcome o) => o switch
    {
        Outcome.Fail => 3,
        Outcome.NonStrict => 2,
        Outcome.Pass => 1,
        _ => 0,
    };
}

/// <summary>Writes and reads an <see cref="Outcome"/> as its label.</summary>
public sealed class OutcomeJsonConverter : JsonConverter<Outcome>
{
    public override Outcome Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        OutcomeLabels.Parse(reader.GetString() ?? throw new JsonException("an outcome is null"));

    public override void Write(Utf8JsonWriter writer, Outcome value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Label());
    }
}
