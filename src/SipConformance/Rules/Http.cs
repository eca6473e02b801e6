using SipConformance.Rules.Observations;
using SipConformance.Target;

namespace SipConformance.Rules;

/// <summary>What the suite needs of every answer before any rule of the contract can be judged (docs/RULES.md, CREATE-HTTP).</summary>
public static class Http
{
    public static readonly Section Section = new("HTTP", "http", "Everything else: HTTP");

    public static readonly ManyRule<AnswerSeen> CompleteAnswer = new("CREATE-HTTP-001", Level.Must,
        "every request gets a complete HTTP answer in time",
        "A target that does not answer, answers too slowly, resets the connection or sends an unbounded body cannot meet any rule of the contract",
        (o, v) =>
        {
            if (o.Exchange.Failure is { Kind: FailureKind.Cancelled }) v.Skip(NotSent);
            else v.Judge(o.Exchange.Failure?.Message);
        });

    /// <summary>The skip reason of requests a stopped run never sent.</summary>
    public const string NotSent = "some requests were not sent: the run was cancelled or ran out of its time budget";

    public static readonly Rule<AnswerSeen> JsonBody = new("CREATE-HTTP-002", Level.Must,
        "a body labelled JSON is valid UTF-8 JSON", "The contract's answers are JSON documents (RFC 8259: UTF-8); a body sent as application/json must parse",
        o => JsonText.Answered(o.Exchange) && o.Exchange.Response!.MediaType is { } media
             && (media == SipApi.JsonContentType || media.EndsWith("+json", StringComparison.Ordinal)) && o.Exchange.Response.Body.Length > 0,
        o => o.Exchange.Response!.JsonProblem);

    public static readonly Rule<AnswerSeen> RateLimit = new("CREATE-HTTP-003", Level.Should,
        "rate limiting clears within the suite's budget", "Rate limiting: a 429 is not a finding; the suite waits (Retry-After) and retries within its budget",
        o => o.Exchange.Failure is null && o.Exchange.Response is { } r && (r.Status == Statuses.TooManyRequests || o.Exchange.RateLimitedAttempts > 0),
        o => o.Exchange.Response!.Status == Statuses.TooManyRequests
            ? $"still 429 after waiting out {o.Exchange.RateLimitedAttempts} rate-limit answer(s) within the suite's budget" : null);
}
