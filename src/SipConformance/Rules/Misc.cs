using SipConformance.Cases;
using SipConformance.Rules.Observations;
using static SipConformance.Rules.Validation;

namespace SipConformance.Rules;

/// <summary>The contract's "Everything else": malformed bodies, other media types, no 5xx (docs/RULES.md, CREATE-MISC).</summary>
public static class Misc
{
    public static readonly Section Section = new("MISC", "misc", "Everything else");

    public static readonly CaseRule MalformedJson = new("CREATE-MISC-001", Level.Either,
        "malformed JSON is 400 or 422", "Malformed JSON: 400 or 422",
        [Statuses.BadRequest, Statuses.Unprocessable], stimuli: _ =>
        [
            Bytes("an unclosed object", "{"),
            Bytes("a property without a value", "{\"username\": }"),
            Bytes("plain text", "this is not json"),
            new("an empty body", b => b.WithBody([])),
            FromValid("a valid payload cut in half", json => json[..(json.Length / 2)]),
            FromValid("a valid payload followed by garbage", json => json + "}}"),
            FromValid("single-quoted JSON", json => json.Replace('"', '\'')),
            new("invalid UTF-8 inside a string", b => b.WithBody([.. Utf8("{\"username\": \""), 0xC3, 0x28, 0xFF, .. Utf8("\"}")])),
        ]);

    // A missing Content-Type is not "a non-JSON Content-Type": the contract leaves it open, so it is not sent.
    public static readonly CaseRule NonJsonContentType = new("CREATE-MISC-002", Level.Should,
        "a non-JSON Content-Type is 415, 400 or 422", "SHOULD: a non-JSON Content-Type gets 415, 400 or 422",
        [Statuses.UnsupportedMediaType, Statuses.BadRequest, Statuses.Unprocessable], stimuli: _ =>
            from type in new[] { "text/plain", "application/x-www-form-urlencoded", "application/xml" }
            select new Stimulus($"a valid JSON payload sent as {type}", b => b.WithContentType(type)));

    public static readonly Rule<AnswerSeen> NoServerError = new("CREATE-MISC-003", Level.Must,
        "no input gets a 5xx", "MUST: no input, however malformed, gets a 5xx",
        o => JsonText.Answered(o.Exchange),
        o => o.Exchange.Response!.Status >= 500 ? $"answered {JsonText.StatusText(o.Exchange.Response!)}" : null);

    private static Stimulus Bytes(string name, string text) => new(name, b => b.WithBody(Utf8(text)));

    private static Stimulus FromValid(string name, Func<string, string> change) =>
        new(name, b => b.WithBody(Utf8(change(b.Payload!.ToJsonString(Target.SipApi.PayloadJson)))));
}
