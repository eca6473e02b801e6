namespace SipConformance.Checks;

/// <summary>contract-decisions.md, "Authentication (401)" and project isolation.</summary>
public static class Authentication
{
    public const string Area = "auth";

    public static readonly CheckInfo NoHeader = Unauthorized("001", "no Authorization header", "no Authorization header");
    public static readonly CheckInfo WrongToken = Unauthorized("002", "a wrong token", "wrong token");
    public static readonly CheckInfo UnknownProject = Unauthorized("003", "an unknown project", "unknown project");
    public static readonly CheckInfo OtherScheme = Unauthorized("004", "a scheme other than Basic", "a scheme other than Basic");
    public static readonly CheckInfo BadBase64 = Unauthorized("005", "credentials that do not decode to id:token", "base64 that does not decode to id:token");
    public static readonly CheckInfo EmptyCredentials = Unauthorized("006", "empty credentials", "empty credentials");
    public static readonly CheckInfo RejectedCreatesNothing = new("CREATE-AUTH-007", Level.Must, Area,
        "a create rejected with 401 creates nothing", "MUST: a rejected request creates nothing");
    public static readonly CheckInfo LowerCaseScheme = new("CREATE-AUTH-008", Level.Should, Area,
        "the scheme name is case-insensitive (basic works)", "SHOULD: the scheme name is case-insensitive (basic works: RFC 9110 §11.1)");
    public static readonly CheckInfo Challenge = new("CREATE-AUTH-009", Level.Should, Area,
        "a 401 carries WWW-Authenticate: Basic", "SHOULD: a 401 carries WWW-Authenticate: Basic (RFC 9110 §11.6.1)");
    public static readonly CheckInfo Body = new("CREATE-AUTH-010", Level.Must, Area,
        "a 401 body is {\"error\": \"Unauthorized\"}", "MUST 401 with body {\"error\": \"Unauthorized\"}");

    public static readonly CheckInfo IsolationRead = new("CREATE-ISO-001", Level.Must, Area,
        "another project cannot read the endpoint (404)", "MUST (when a second project is configured): one project can neither read nor delete another project's endpoint (404)");
    public static readonly CheckInfo IsolationDelete = new("CREATE-ISO-002", Level.Must, Area,
        "another project cannot delete the endpoint (404, and it still exists)", "MUST (when a second project is configured): one project can neither read nor delete another project's endpoint (404)");

    private static CheckInfo Unauthorized(string n, string what, string clause) => new($"CREATE-AUTH-{n}", Level.Must, Area,
        $"{what} is 401", $"MUST 401 with body {{\"error\": \"Unauthorized\"}}: {clause}");
}
