using System.Text.Json;
using System.Text.Json.Nodes;

namespace SipConformance.Contract;

/// <summary>
/// The create answer's schema of another revision than the one a run enforces, read from that
/// revision's own contract file (<c>openapi/sip-endpoints.{revision}.openapi.yaml</c>, checked at load
/// like every revision). It judges nothing: the report asks it whether bodies that fail the run's
/// response schema are that revision's answer instead.
/// </summary>
public sealed class RevisionResponseSchema
{
    /// <summary>The later revision whose create answer points at a different schema.</summary>
    public const string LaterRevision = ContractRevisions.August2026;

    private static readonly Lazy<RevisionResponseSchema> LaterSchema = new(() => Load(LaterRevision));
    private readonly SipContract _contract;

    private RevisionResponseSchema(SipContract contract)
    {
        _contract = contract;
        Name = contract.EndpointResponseSchema;
        Required = (contract.SchemaObject(Name)["required"] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();
    }

    /// <summary>The 2026-08-21 revision's SipEndpointResponse.</summary>
    public static RevisionResponseSchema Later => LaterSchema.Value;

    public string Revision => _contract.Revision;

    /// <summary>The schema's name in that revision.</summary>
    public string Name { get; }

    /// <summary>The properties the schema requires, in the file's order.</summary>
    public IReadOnlyList<string> Required { get; }

    /// <summary>The create answer's schema of a revision shipped with this assembly.</summary>
    public static RevisionResponseSchema Load(string revision) =>
        SipContract.Revisions.Contains(revision)
            ? new RevisionResponseSchema(SipContract.Of(revision))
            : throw new ArgumentException($"no contract revision '{revision}' is shipped (known: {string.Join(", ", SipContract.Revisions)})", nameof(revision));

    public bool Validates(JsonElement instance) => _contract.Validate(Name, instance).IsValid;

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
