namespace SipConformance.Checks;

/// <summary>contract-decisions.md, "Success (200)": the answer to a valid create, and its read-back.</summary>
public static class Success
{
    public const string Area = "success";

    public static readonly CheckInfo Status = new("CREATE-OK-001", Level.Must, Area,
        "A valid payload is answered 200", "MUST: status 200 (the description says 200, not 201)");
    public static readonly CheckInfo ContentType = new("CREATE-OK-002", Level.Must, Area,
        "The 200 answer is application/json", "MUST: Content-Type application/json (a charset parameter is fine)");
    public static readonly CheckInfo Schema = new("CREATE-OK-003", Level.Must, Area,
        "The 200 body validates against FabricSipEndpointResponse", "MUST: the body validates against FabricSipEndpointResponse as a JSON Schema 2020-12 document; extra properties are allowed");
    public static readonly CheckInfo Type = new("CREATE-OK-004", Level.Must, Area,
        "type is sip_endpoint", "MUST: type is sip_endpoint");
    public static readonly CheckInfo Uuids = new("CREATE-OK-005", Level.Must, Area,
        "id, project_id and sip_endpoint.id are UUIDs", "MUST: id, project_id, sip_endpoint.id are UUIDs");
    public static readonly CheckInfo Project = new("CREATE-OK-006", Level.Must, Area,
        "project_id is the authenticated project", "MUST: project_id is the authenticated project");
    public static readonly CheckInfo Timestamps = new("CREATE-OK-007", Level.Must, Area,
        "created_at and updated_at are RFC 3339 and updated_at >= created_at", "MUST: created_at, updated_at are RFC 3339 date-times and updated_at >= created_at");
    public static readonly CheckInfo Clock = new("CREATE-OK-008", Level.Should, Area,
        "created_at is within 5 minutes of the client's clock", "SHOULD: created_at is within 5 minutes of the client's clock");
    public static readonly CheckInfo DisplayName = new("CREATE-OK-009", Level.Must, Area,
        "display_name is a string", "MUST: display_name is a string");
    public static readonly CheckInfo DisplayNameNotEmpty = new("CREATE-OK-010", Level.Should, Area,
        "display_name is not empty", "SHOULD: it (display_name) is not empty");

    public static readonly CheckInfo EchoUsername = Echo("001", "username");
    public static readonly CheckInfo EchoCallerId = Echo("002", "caller_id");
    public static readonly CheckInfo EchoSendAs = Echo("003", "send_as");
    public static readonly CheckInfo EchoEncryption = Echo("004", "encryption");
    public static readonly CheckInfo EchoCallHandler = Echo("005", "call_handler");
    public static readonly CheckInfo EchoCiphers = new("CREATE-ECHO-006", Level.Must, Area,
        "sip_endpoint.ciphers holds the requested set", "MUST: ciphers and codecs hold the same set of values (order is free)");
    public static readonly CheckInfo EchoCodecs = new("CREATE-ECHO-007", Level.Must, Area,
        "sip_endpoint.codecs holds the requested set", "MUST: ciphers and codecs hold the same set of values (order is free)");
    public static readonly CheckInfo EchoResourceId = new("CREATE-ECHO-008", Level.Must, Area,
        "calling_handler_resource_id is the requested id for resource, null otherwise",
        "MUST: sip_endpoint.calling_handler_resource_id equals the requested id when call_handler is resource, and is null otherwise. UUIDs compare case-insensitively (RFC 9562)");

    public static readonly CheckInfo ReadBack = new("CREATE-READ-001", Level.Must, Area,
        "GET {id} returns the same data", "MUST: reading the endpoint back (GET .../{id}, where {id} is the top-level id of the create response) returns the same data");

    private static CheckInfo Echo(string n, string field) => new($"CREATE-ECHO-{n}", Level.Must, Area,
        $"sip_endpoint.{field} echoes the request byte for byte", "MUST: sip_endpoint echoes the request: username, caller_id, send_as, encryption, call_handler equal, byte for byte");
}
