using System.Text.Json;
using SipConformance.Contract;
using SipConformance.Generation;
using static SipConformance.Rules.JsonText;

namespace SipConformance.Rules;

/// <summary>The contract's call_handler / calling_handler_resource_id rules (docs/RULES.md, CREATE-HANDLER).</summary>
public static class CallHandler
{
    public static readonly Section Section = new("HANDLER", "call-handler", "Validation failures (422): call_handler resource");

    private static readonly int[] Refused = [Statuses.Unprocessable];

    public static readonly CaseRule ResourceIdMissing = new("CREATE-HANDLER-001", Level.Must,
        "call_handler resource without calling_handler_resource_id is 422", "MUST 422: call_handler: resource with calling_handler_resource_id missing or null",
        Refused, owns: m => m.Kind == ViolationKind.Missing && Validation.ResourceIdOfResource(m), needs: Requirement.Resource);

    public static readonly CaseRule ResourceIdNull = new("CREATE-HANDLER-002", Level.Must,
        "call_handler resource with a null calling_handler_resource_id is 422", "MUST 422: call_handler: resource with calling_handler_resource_id missing or null",
        Refused, owns: m => m.Kind == ViolationKind.Null && Validation.ResourceIdOfResource(m), needs: Requirement.Resource);

    public static readonly CaseRule ResourceIdMalformed = new("CREATE-HANDLER-003", Level.Must,
        "call_handler resource with a malformed id is 422", "MUST 422: a malformed UUID",
        Refused, owns: m => m.Kind == ViolationKind.MalformedUuid && Validation.ResourceIdOfResource(m), needs: Requirement.Resource);

    public static readonly CaseRule UnknownResource = new("CREATE-HANDLER-004", Level.Must,
        "call_handler resource with an id that is no resource of the project is 404 or 422", "MUST 404 or 422: call_handler: resource with a well-formed UUID that is no resource of the project",
        [Statuses.NotFound, Statuses.Unprocessable], owns: m => m.Kind == ViolationKind.UnknownResource, needs: Requirement.Resource);

    public static readonly CaseRule IdWithoutResource = new("CREATE-HANDLER-005", Level.Either,
        "a non-null id with another call_handler is 422, or 200 with null", "Either: a non-null calling_handler_resource_id with a call handler other than resource (422, or 200 with null in the response)",
        [Statuses.Ok, Statuses.Unprocessable],
        condition: (body, c, contract) => Endpoint(contract, body, FieldNames.CallingHandlerResourceId) is { ValueKind: JsonValueKind.Null } ? null
            : $"call_handler is {c.Echo?.Exact.GetValueOrDefault(FieldNames.CallHandler)}; a 200 must hold calling_handler_resource_id null, it holds {Raw(Endpoint(contract, body, FieldNames.CallingHandlerResourceId))}",
        owns: m => m.Kind == ViolationKind.NonResourceWithId);
}
