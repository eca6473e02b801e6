namespace SipConformance.Checks;

/// <summary>contract-decisions.md: the call_handler / calling_handler_resource_id rules.</summary>
public static class CallHandler
{
    public const string Area = "call_handler";

    public static readonly CheckInfo ResourceIdMissing = new("CREATE-HANDLER-001", Level.Must, Area,
        "call_handler resource without calling_handler_resource_id is 422", "MUST 422: call_handler: resource with calling_handler_resource_id missing or null");
    public static readonly CheckInfo ResourceIdNull = new("CREATE-HANDLER-002", Level.Must, Area,
        "call_handler resource with a null calling_handler_resource_id is 422", "MUST 422: call_handler: resource with calling_handler_resource_id missing or null");
    public static readonly CheckInfo ResourceIdMalformed = new("CREATE-HANDLER-003", Level.Must, Area,
        "call_handler resource with a malformed id is 422", "MUST 422: a malformed UUID");
    public static readonly CheckInfo UnknownResource = new("CREATE-HANDLER-004", Level.Must, Area,
        "call_handler resource with an id that is no resource of the project is 404 or 422", "MUST 404 or 422: call_handler: resource with a well-formed UUID that is no resource of the project");
    public static readonly CheckInfo IdWithoutResource = new("CREATE-HANDLER-005", Level.May, Area,
        "a non-null id with another call_handler is 422, or 200 with null", "Either: a non-null calling_handler_resource_id with a call handler other than resource (422, or 200 with null in the response)");
}
