namespace SipConformance.Checks;

/// <summary>contract-decisions.md, "Everything else", and what the suite needs of every answer.</summary>
public static class Transport
{
    public const string Area = "http";

    public static readonly CheckInfo MalformedJson = new("CREATE-MISC-001", Level.May, Area,
        "malformed JSON is 400 or 422", "Malformed JSON: 400 or 422");
    public static readonly CheckInfo NonJsonContentType = new("CREATE-MISC-002", Level.Should, Area,
        "a non-JSON Content-Type is 415, 400 or 422", "SHOULD: a non-JSON Content-Type gets 415, 400 or 422");
    public static readonly CheckInfo NoServerError = new("CREATE-MISC-003", Level.Must, Area,
        "no input gets a 5xx", "MUST: no input, however malformed, gets a 5xx");
    public static readonly CheckInfo CompleteAnswer = new("CREATE-HTTP-001", Level.Must, Area,
        "every request gets a complete HTTP answer in time", "A target that does not answer, answers too slowly, resets the connection or sends an unbounded body cannot meet any rule of the contract");
    public static readonly CheckInfo JsonBody = new("CREATE-HTTP-002", Level.Must, Area,
        "a body labelled JSON is valid UTF-8 JSON", "The contract's answers are JSON documents (RFC 8259: UTF-8); a body sent as application/json must parse");
    public static readonly CheckInfo RateLimit = new("CREATE-HTTP-003", Level.Should, Area,
        "rate limiting clears within the suite's budget", "Rate limiting: a 429 is not a finding; the suite waits (Retry-After) and retries within its budget");
    public static readonly CheckInfo Delete = new("CREATE-DEL-001", Level.Must, Area,
        "DELETE answers 204", "DELETE answers 204");
    public static readonly CheckInfo List = new("CREATE-LIST-001", Level.Must, Area,
        "the list answers {data, links} and its links.next ends", "The list answers one object {\"data\": [...], \"links\": {\"self\", \"first\", \"next\"?, \"prev\"?}}; follow links.next until it is absent");
}
