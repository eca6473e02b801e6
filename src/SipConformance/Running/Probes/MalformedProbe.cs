using System.Text;
using SipConformance.Checks;
using SipConformance.Target;

namespace SipConformance.Running.Probes;

/// <summary>Bodies that are not JSON, JSON that is not an object, and JSON under a non-JSON Content-Type.</summary>
public sealed class MalformedProbe : Probe
{
    public override string Name => "malformed";


    public override async Task RunAsync(SuiteRun run, CancellationToken ct)
    {
        var p = run.Target.Primary;
        var valid = run.Payloads.Valid("malformed", 0, run.RandomChoice("malformed", 0));
        var validJson = valid.ToJsonString(SipApi.PayloadJson);
        var cases = new List<CreateCase>();
        void Add(string name, byte[] body, string? contentType, Expectation expect) =>
            cases.Add(new CreateCase(name, "malformed", null, body, contentType, null, p.Auth, p, expect));
        byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

        foreach (var (name, body) in new (string, byte[])[]
        {
            ("an unclosed object", Utf8("{")),
            ("a property without a value", Utf8("{\"username\": }")),
            ("plain text", Utf8("this is not json")),
            ("an empty body", []),
            ("a valid payload cut in half", Utf8(validJson[..(validJson.Length / 2)])),
            ("a valid payload followed by garbage", Utf8(validJson + "}}")),
            ("single-quoted JSON", Utf8(validJson.Replace('"', '\''))),
            ("invalid UTF-8 inside a string", [.. Utf8("{\"username\": \""), 0xC3, 0x28, 0xFF, .. Utf8("\"}")]),
        })
            Add(name, body, SipApi.JsonContentType, AnswerTable.MalformedJson());

        foreach (var (name, body) in new[] { ("an array", "[]"), ("a string", "\"text\""), ("a number", "42"), ("null", "null"), ("true", "true"), ("a valid payload inside an array", $"[{validJson}]") })
            Add($"valid JSON that is not an object: {name}", Utf8(body), SipApi.JsonContentType, AnswerTable.NotAnObject());

        var i = 1;
        // A missing Content-Type is not "a non-JSON Content-Type": the contract leaves it open, so it is not sent.
        foreach (var contentType in new[] { "text/plain", "application/x-www-form-urlencoded", "application/xml" })
        {
            var payload = run.Payloads.Valid("malformed", i, run.RandomChoice("malformed", i));
            i++;
            cases.Add(new CreateCase($"a valid JSON payload sent as {contentType}", "malformed", null,
                SipApi.Serialize(payload), contentType, payload, p.Auth, p, AnswerTable.NonJsonContentType()));
        }
        await run.ExecuteAllAsync(cases, ct).ConfigureAwait(false);
    }
}
