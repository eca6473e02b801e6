using System.Text.Json;
using SipConformance.Cases;
using SipConformance.Target;

namespace SipConformance.Rules.Observations;

/// <summary>A create case and its complete answer (not a 429), with the read-back that followed a 200.</summary>
public sealed class CreateSeen(CreateCase c, Exchange create, Exchange? readBack, string caseName) : Observation(caseName)
{
    public CreateSeen(CreateCase c, Exchange create, Exchange? readBack) : this(c, create, readBack, c.Describe()) { }

    public CreateCase Case => c;
    public Exchange Create => create;
    public ResponseRecord Response => create.Response!;
    public int Status => create.Response!.Status;

    /// <summary>A 200 the success and echo rules judge: the case's rule allows it and it sent a payload.</summary>
    public bool JudgedAsSuccess => Status == Statuses.Ok && c.Echo is not null;

    /// <summary>The 200 body, when it is judged as a success and is a JSON object.</summary>
    public JsonElement? SuccessBody => JudgedAsSuccess && Response.Json is { ValueKind: JsonValueKind.Object } body ? body : null;

    protected override IReadOnlyList<Exchange?> Shown => [create, readBack];
}
