using System.Text.Json;
using Json.Schema;

namespace SipConformance.Contract;

/// <summary>
/// The create answer's schema of another revision of the API than the one the suite enforces,
/// shipped as our own file (<c>openapi/sip-endpoints.{revision}.response-schema.yaml</c>, one JSON
/// Schema 2020-12 document). It judges nothing: the report asks it whether bodies that fail
/// <see cref="SchemaNames.EndpointResponse"/> are that revision's answer instead.
/// </summary>
public sealed class RevisionResponseSchema
{
    /// <summary>The later revision whose create answer points at a different schema (contract-decisions.md, sources).</summary>
    public const string LaterRevision = "2026-08-21";

    private static readonly Lazy<RevisionResponseSchema> LaterSchema = new(() => Load(LaterRevision));
    private readonly JsonSchema _schema;
    private readonly EvaluationOptions _options = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };

    private RevisionResponseSchema(string revision, string name, IReadOnlyList<string> required, JsonSchema schema)
    {
        Revision = revision;
        Name = name;
        Required = required;
        _schema = schema;
    }

    /// <summary>The 2026-08-21 revision's SipEndpointResponse.</summary>
    public static RevisionResponseSchema Later => LaterSchema.Value;

    public string Revision { get; }

    /// <summary>The schema's name in that revision (the last segment of the file's <c>$id</c>).</summary>
    public string Name { get; }

    /// <summary>The properties the schema requires, in the file's order.</summary>
    public IReadOnlyList<string> Required { get; }

    /// <summary>Loads the response schema of a revision shipped with this assembly.</summary>
    public static RevisionResponseSchema Load(string revision)
    {
        var resource = $"revision-schemas/sip-endpoints.{revision}.response-schema.yaml";
        using var stream = typeof(RevisionResponseSchema).Assembly.GetManifestResourceStream(resource)
            ?? throw new ArgumentException($"no response schema of revision '{revision}' is shipped", nameof(revision));
        using var reader = new StreamReader(stream);
        var document = YamlToJson.Convert(reader.ReadToEnd()) ?? throw new InvalidDataException($"{resource} is empty");
        var id = document["$id"]?.GetValue<string>() ?? throw new InvalidDataException($"{resource} has no $id");
        var required = (document["required"] as System.Text.Json.Nodes.JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();
        var schema = JsonSchema.Build(JsonSerializer.SerializeToElement(document), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        return new RevisionResponseSchema(revision, id[(id.LastIndexOf('/') + 1)..], required, schema);
    }

    public bool Validates(JsonElement instance) => _schema.Evaluate(instance, _options).IsValid;

    public bool Validates(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return Validates(doc.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
