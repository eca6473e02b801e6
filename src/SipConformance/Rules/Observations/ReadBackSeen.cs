using System.Text.Json;
using SipConformance.Cases;
using SipConformance.Target;

namespace SipConformance.Rules.Observations;

/// <summary>The complete answer to <c>GET {id}</c> of an endpoint a create answered 200 with <see cref="Created"/>.</summary>
public sealed class ReadBackSeen(CreateCase c, JsonElement created, Exchange readBack) : Observation(c.Describe() + " (read-back)")
{
    public CreateCase Case => c;
    public JsonElement Created => created;
    public Exchange Exchange => readBack;
    public ResponseRecord Response => readBack.Response!;

    /// <summary>The read-back body, when it is a 200 holding a JSON object.</summary>
    public JsonElement? Body => Response is { Status: 200, Json: { ValueKind: JsonValueKind.Object } b } ? b : null;

    public override string? Evidence(Redactor redactor) => Findings.Evidence.Format(redactor, readBack);
}
