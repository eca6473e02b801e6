namespace SipConformance.Checks;

/// <summary>contract-decisions.md, "Validation failures (422)" and its string rule.</summary>
public static class Validation
{
    public const string Area = "validation";

    public static readonly CheckInfo MissingRequired = new("CREATE-VAL-001", Level.Must, Area,
        "username, ciphers, codecs or call_handler missing is 422", "MUST 422: username, ciphers, codecs or call_handler missing");
    public static readonly CheckInfo WrongType = new("CREATE-VAL-002", Level.Must, Area,
        "a field of the wrong JSON type is 422", "MUST 422: a field of the wrong JSON type");
    public static readonly CheckInfo Null = new("CREATE-VAL-003", Level.Must, Area,
        "null where the schema does not allow it is 422", "null counts as a wrong JSON type for every field whose schema does not allow it (all but calling_handler_resource_id): MUST 422");
    public static readonly CheckInfo UnknownEnum = new("CREATE-VAL-004", Level.Must, Area,
        "a value outside its enum is 422", "MUST 422: a value outside its enum");
    public static readonly CheckInfo UnknownEnumItem = new("CREATE-VAL-005", Level.Must, Area,
        "an item outside its enum in ciphers/codecs is 422", "MUST 422: a value outside its enum (also inside ciphers/codecs)");
    public static readonly CheckInfo MalformedUuid = new("CREATE-VAL-006", Level.Must, Area,
        "a malformed UUID is 422", "MUST 422: a malformed UUID");
    public static readonly CheckInfo ErrorBody = new("CREATE-VAL-007", Level.Must, Area,
        "a 422 body validates against ResourceSipEndpointCreateStatusCode422", "MUST: status 422 and a body that validates against ResourceSipEndpointCreateStatusCode422 (errors: [{type, code, message, attribute?, url}])");
    public static readonly CheckInfo Attribute = new("CREATE-VAL-008", Level.Should, Area,
        "one error's attribute names the offending field", "SHOULD: one error's attribute names the offending field");
    public static readonly CheckInfo MissingMarkedRequired = new("CREATE-VAL-009", Level.Should, Area,
        "id, caller_id, send_as or calling_handler_resource_id missing is 422", "SHOULD 422: id, caller_id, send_as or calling_handler_resource_id missing (marked required, though a create call rarely needs them)");
    public static readonly CheckInfo EmptyUsername = new("CREATE-VAL-010", Level.Should, Area,
        "an empty username is 422", "SHOULD 422: username empty");
    public static readonly CheckInfo NotAnObject = new("CREATE-VAL-011", Level.May, Area,
        "valid JSON that is not an object is 400 or 422", "Either: a body that is valid JSON but not an object (400 or 422)");
    public static readonly CheckInfo ExtraProperty = new("CREATE-VAL-012", Level.May, Area,
        "an unknown extra property is ignored (200) or 422", "Either: an unknown extra property (200, ignoring it, or 422)");
    public static readonly CheckInfo EncryptionMissing = new("CREATE-VAL-013", Level.May, Area,
        "encryption missing is 422, or 200 with encryption default", "Either: encryption missing (422, or 200 with encryption: default)");
    public static readonly CheckInfo EmptyList = new("CREATE-VAL-014", Level.May, Area,
        "empty ciphers or codecs is 422 or 200", "Either: ciphers or codecs empty (422 or 200)");
    public static readonly CheckInfo Duplicates = new("CREATE-VAL-015", Level.May, Area,
        "duplicate list values are 422, or 200 with the set", "Either: duplicate values in them (422, or 200 with the set)");
    public static readonly CheckInfo RejectedCreatesNothing = new("CREATE-VAL-016", Level.Must, Area,
        "a create rejected with 4xx creates nothing", "MUST: a rejected request creates nothing");

    public static readonly CheckInfo UnicodeText = new("CREATE-STR-001", Level.Must, Area,
        "non-ASCII text is stored and echoed exactly, or 422", "Strings: any Unicode text, long or short, is either stored and echoed exactly or rejected with 422. Silent truncation or re-encoding fails.");
    public static readonly CheckInfo LongText = new("CREATE-STR-002", Level.Must, Area,
        "long text is stored and echoed exactly, or 422", "Strings: any Unicode text, long or short, is either stored and echoed exactly or rejected with 422. Silent truncation or re-encoding fails.");
    public static readonly CheckInfo EdgeText = new("CREATE-STR-003", Level.Must, Area,
        "empty, padded and control-character text is stored and echoed exactly, or 422", "Strings: any Unicode text, long or short, is either stored and echoed exactly or rejected with 422. Silent truncation or re-encoding fails.");
}
