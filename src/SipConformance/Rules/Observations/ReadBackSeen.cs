using System.Text.Json;
using SipConformance.Cases;
using SipConformance.Target;

namespace SipConformance.Rules.Observations;

/// <summary>The complete answer to <c>GET {id}</c> of an endpoint a create answered 200 with <see cref="Created"/>.</summary>
public sealed class ReadBackSeen(CreateCase c, JsonElement created, Exchange readBack, string caseName) : Observation(caseName)
{
    public ReadBackSeen(CreateCase c, JsonElement created, Exchange readBack) : this(c, created, readBack, NameOf(c.Describe())) { }

    /// <summary>The read-back's case name, from the create's.</summary>
    public static string NameOf(string createCaseName) => createCaseName + " (read-back)";

    public CreateCase Case => c;
    public JsonElement Created => created;
    public Exchange Exchange => readBack;
    public ResponseRecord Response => readBack.Response!;

    /// <summary>The read-back body, when it is a 200 holding a JSON object.</summary>
    public JsonElement? Body => Response is { Json: { ValueKind: JsonValueKind.Object } b } && Response.Status == Statuses.Ok ? b : null;

    protected override IReadOnlyList<Exchange?> Shown => [readBack];
}
