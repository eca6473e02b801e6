using SipConformance.Cases;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.Rules.Observations;
using SipConformance.Target;

namespace SipConformance.Rules;

/// <summary>
/// The contract's "Authentication (401)" (docs/RULES.md, CREATE-AUTH). Each 401 rule brings the
/// credentials it sends; every 401 is held to the body and challenge rules.
/// </summary>
public static class Authentication
{
    public static readonly Section Section = new("AUTH", "authentication", "Authentication (401)");

    public static readonly CaseRule NoHeader = Unauthorized("001", "no Authorization header", "no Authorization header", _ =>
        [Credential(AuthHeader.None)]);

    public static readonly CaseRule WrongToken = Unauthorized("002", "a wrong token", "wrong token", c =>
    {
        var p = c.Target.Primary;
        var fake = new Secret("sipconf-wrong-token-" + c.Identity.Marker);
        var list = new List<Stimulus>
        {
            Credential(AuthHeader.Basic("the project with a wrong token", p.ProjectId, fake, p.ProjectVar) with
                { Curl = $"-H \"Authorization: Basic $(printf '%s:%s' \"${p.ProjectVar}\" '{fake.Reveal()}' | base64 -w0)\"" }),
        };
        if (c.Target.Second is { } s)
            list.Add(Credential(AuthHeader.Basic("the project with the second project's token", p.ProjectId, s.Token, p.ProjectVar, s.TokenVar)));
        foreach (var (label, token, shell) in NearMisses.Tokens(p.Token, p.TokenVar))
            list.Add(Credential(AuthHeader.Basic(label, p.ProjectId, token, p.ProjectVar) with
                { Curl = $"-H \"Authorization: Basic $(printf '%s:%s' \"${p.ProjectVar}\" \"{shell}\" | base64 -w0)\"" }));
        return list;
    });

    public static readonly CaseRule UnknownProject = Unauthorized("003", "an unknown project", "unknown project", c =>
    {
        var p = c.Target.Primary;
        return
            from project in new[] { ("an unknown project with the real token", c.Identity.Uuid("unknown-project", 0).ToString()),
                                    ("the project id with its last digit changed, with the real token", NearMisses.ProjectId(p.ProjectId)) }
            select Credential(AuthHeader.Basic(project.Item1, project.Item2, p.Token, "SIPCONF_UNKNOWN_PROJECT", p.TokenVar) with
                { Curl = $"-H \"Authorization: Basic $(printf '%s:%s' '{project.Item2}' \"${p.TokenVar}\" | base64 -w0)\"" });
    });

    public static readonly CaseRule OtherScheme = Unauthorized("004", "a scheme other than Basic", "a scheme other than Basic", c =>
    {
        var p = c.Target.Primary;
        return
        [
            Credential(new AuthHeader("the Bearer scheme with the token", new Secret("Bearer " + p.Token.Reveal()), "Bearer " + Secret.Mask, $"-H \"Authorization: Bearer ${p.TokenVar}\"")),
            Credential(AuthHeader.Basic("the Digest scheme name with Basic credentials", p.ProjectId, p.Token, p.ProjectVar, p.TokenVar, scheme: "Digest")),
        ];
    });

    public static readonly CaseRule BadBase64 = Unauthorized("005", "credentials that do not decode to id:token", "base64 that does not decode to id:token", _ =>
    [
        Credential(AuthHeader.Literal("Basic with text that is not base64", "Basic !!not*base64!!")),
        Credential(AuthHeader.Literal("Basic with base64 of text without a colon", "Basic " + AuthHeader.Base64("sipconf-no-colon"))),
    ]);

    public static readonly CaseRule EmptyCredentials = Unauthorized("006", "empty credentials", "empty credentials", c =>
    [
        Credential(AuthHeader.Literal("Basic with nothing after it", "Basic ")),
        Credential(AuthHeader.Literal("Basic with base64 of \":\"", "Basic " + AuthHeader.Base64(":"))),
        Credential(AuthHeader.Literal("Basic with an empty token", "Basic " + AuthHeader.Base64(c.Target.Primary.ProjectId + ":"))),
    ]);

    public static readonly ManyRule<RejectionsSeen> RejectedCreatesNothing = new("CREATE-AUTH-007", Level.Must,
        "a create rejected with 401 creates nothing", "MUST: a rejected request creates nothing", Validation.CreatedNothing);

    public static readonly CaseRule LowerCaseScheme = new("CREATE-AUTH-008", Level.Should,
        "the scheme name is case-insensitive (basic works)", "SHOULD: the scheme name is case-insensitive (basic works: RFC 9110 §11.1)",
        [Statuses.Ok], stimuli: c =>
            from scheme in new[] { "basic", "BASIC" }
            let p = c.Target.Primary
            select new Stimulus($"the scheme name written {scheme}", b => b.As(AuthHeader.Basic($"the scheme name written {scheme}", p.ProjectId, p.Token, p.ProjectVar, p.TokenVar, scheme))));

    public static readonly Rule<CreateSeen> Challenge = new("CREATE-AUTH-009", Level.Should,
        "a 401 carries WWW-Authenticate: Basic", "SHOULD: a 401 carries WWW-Authenticate: Basic (RFC 9110 §11.6.1)",
        o => o.Status == Statuses.Unauthorized,
        o => o.Response.Header("WWW-Authenticate") is var challenge && Target.Challenges.Offers(challenge, "Basic")
            ? null : $"WWW-Authenticate is {(challenge is null ? "absent" : JsonText.Show(challenge))}; expected a Basic challenge among its challenges");

    public static readonly Rule<CreateSeen> Body = new("CREATE-AUTH-010", Level.Must,
        "a 401 body is {\"error\": \"Unauthorized\"}", "MUST 401 with body {\"error\": \"Unauthorized\"}",
        o => o.Status == Statuses.Unauthorized,
        o => o.Response.Json is { } json ? Success.Validate(o.Contract, SchemaNames.Unauthorized, json) : o.Response.JsonProblem);

    private static Stimulus Credential(AuthHeader auth) => new(auth.Label, b => b.As(auth));

    private static CaseRule Unauthorized(string n, string what, string clause, Func<StimulusContext, IEnumerable<Stimulus>> credentials) =>
        new($"CREATE-AUTH-{n}", Level.Must, $"{what} is 401", $"MUST 401 with body {{\"error\": \"Unauthorized\"}}: {clause}",
            [Statuses.Unauthorized], stimuli: credentials);
}
