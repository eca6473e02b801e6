namespace SipConformance.Contract;

/// <summary>
/// Names the code refers to in the contract file. Each is checked against the file when the
/// contract loads, so a rename in the file fails fast instead of silently.
/// </summary>
public static class FieldNames
{
    public const string Id = "id";
    public const string Username = "username";
    public const string CallerId = "caller_id";
    public const string SendAs = "send_as";
    public const string Ciphers = "ciphers";
    public const string Codecs = "codecs";
    public const string Encryption = "encryption";
    public const string CallHandler = "call_handler";
    public const string CallingHandlerResourceId = "calling_handler_resource_id";

    public static readonly IReadOnlyList<string> All =
        [Id, Username, CallerId, SendAs, Ciphers, Codecs, Encryption, CallHandler, CallingHandlerResourceId];
}

/// <summary>Properties of the SIP endpoint resource (FabricSipEndpointResponse) the code reads.</summary>
public static class ResponseFields
{
    public const string Id = "id";
    public const string ProjectId = "project_id";
    public const string DisplayName = "display_name";
    public const string Type = "type";
    public const string CreatedAt = "created_at";
    public const string UpdatedAt = "updated_at";
    public const string SipEndpoint = "sip_endpoint";

    public static readonly IReadOnlyList<string> All = [Id, ProjectId, DisplayName, Type, CreatedAt, UpdatedAt, SipEndpoint];

    /// <summary>What a flat answer (2026-08-21's SipEndpointResponse) must define beside the endpoint's fields.</summary>
    public static readonly IReadOnlyList<string> Flat = [Id, Type, FieldNames.Username];
}

/// <summary>The list answer's shape: {"data": [...], "links": {"self", "first", "next"?, "prev"?}}.</summary>
public static class ListFields
{
    public const string Data = "data";
    public const string Links = "links";
    public const string Self = "self";
    public const string First = "first";
    public const string Next = "next";
    public const string Prev = "prev";

    public static readonly IReadOnlyList<string> RequiredLinks = [Self, First];
    public static readonly IReadOnlyList<string> OptionalLinks = [Next, Prev];
}

/// <summary>The 422 answer's shape: {"errors": [{type, code, message, attribute?, url}]}.</summary>
public static class ErrorFields
{
    public const string Errors = "errors";
    public const string Attribute = "attribute";
}

/// <summary>The call_handler value that needs a resource id.</summary>
public static class CallHandlerValues
{
    public const string Resource = "resource";
}

/// <summary>Schema and operation names of the contract file.</summary>
public static class SchemaNames
{
    public const string CreateOperation = "create_sip_endpoint";
    public const string GetOperation = "get_sip_endpoint";
    public const string ListOperation = "list_sip_endpoints";
    public const string DeleteOperation = "delete_sip_endpoint";

    public const string CreateRequest = "SipEndpointCreateRequest";
    /// <summary>The 2026-03-18 answer's schema; a run reads its revision's from <see cref="SipContract.EndpointResponseSchema"/>.</summary>
    public const string EndpointResponse = "FabricSipEndpointResponse";
    /// <summary>The 2026-03-18 list's schema; a run reads its revision's from <see cref="SipContract.ListResponseSchema"/>.</summary>
    public const string ListResponse = "FabricSipEndpointListResponse";
    public const string ValidationError = "ResourceSipEndpointCreateStatusCode422";
    public const string Unauthorized = "Types.StatusCodes.StatusCode401";
    public const string NotFound = "Types.StatusCodes.StatusCode404";

    /// <summary>The inbound handlers an answer's call_handler names in 2026-08-21.</summary>
    public const string InboundCallHandler = "SipEndpointCallHandler";
}

/// <summary>The contract revisions this project ships (openapi/sip-endpoints.{revision}.openapi.yaml).</summary>
public static class ContractRevisions
{
    /// <summary>The revision the project was specified from; the default.</summary>
    public const string March2026 = "2026-03-18";

    /// <summary>The later revision (renamed "SIP credential", OPUS variants, a flat answer): SIPCONF_REVISION=2026-08-21.</summary>
    public const string August2026 = "2026-08-21";

    public static readonly IReadOnlyList<string> All = [March2026, August2026];
}
