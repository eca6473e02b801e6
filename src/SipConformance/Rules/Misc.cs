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
        o => o.Exchange.Response!.Status >= Statuses.FirstServerError ? $"answered {JsonText.StatusText(o.Exchange.Response!)}" : null);

    /// <summary>Body sizes from kilobytes to a few MiB (a valid payload with one unknown property holding the bulk).</summary>
    public static readonly int[] LargeBodySizes = [64 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024];

    /// <summary>How deep the nested unknown property goes (well past what a payload needs).</summary>
    public const int NestingDepth = 200;

    public static readonly CaseRule LargeBody = new("CREATE-MISC-004", Level.Either,
        "a very large or deeply nested body is 413, 422 or 400, or accepted", "MUST: no input, however malformed or large, gets a 5xx. A very large body may be answered 413 or 422, or accepted.",
        [Statuses.Ok, Statuses.BadRequest, Statuses.ContentTooLarge, Statuses.Unprocessable], stimuli: _ =>
            LargeBodySizes.Select(size => new Stimulus($"a body of {size:N0} bytes", b => b.Change(p => p[Generation.Mutations.UnknownProperty] = Filler(p, size))))
                .Append(new Stimulus($"an unknown property nested {NestingDepth} levels deep", b => b.WithBody(Utf8(Nested(b.Payload!))))));

    /// <summary>Text that makes the payload about <paramref name="size"/> bytes long.</summary>
    private static string Filler(System.Text.Json.Nodes.JsonObject payload, int size) =>
        new('x', Math.Max(1, size - payload.ToJsonString(Target.SipApi.PayloadJson).Length - Generation.Mutations.UnknownProperty.Length - 6));

    private static string Nested(System.Text.Json.Nodes.JsonObject payload)
    {
        var json = payload.ToJsonString(Target.SipApi.PayloadJson);
        return json[..^1] + $",\"{Generation.Mutations.UnknownProperty}\":" + new string('[', NestingDepth) + new string(']', NestingDepth) + "}";
    }

    private static Stimulus Bytes(string name, string text) => new(name, b => b.WithBody(Utf8(text)));

    private static Stimulus FromValid(string name, Func<string, string> change) =>
        new(name, b => b.WithBody(Utf8(change(b.Payload!.ToJsonString(Target.SipApi.PayloadJson)))));
}
