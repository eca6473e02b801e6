using System.Text;
using SipConformance.Checks;
using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.Target;

namespace SipConformance.Running.Probes;

/// <summary>
/// String fidelity: every string field gets non-ASCII text (fixtures and several Bogus locales),
/// long text (ASCII and multi-byte, around common limits) and edge text; each must come back
/// (and read back) exactly, or be rejected with 422.
/// </summary>
public sealed class StringProbe : Probe
{
    public override string Name => "strings";


    /// <summary>Lengths in UTF-16 units, just past common limits (32, 64, 128, 255, 1024, 4096).</summary>
    public static readonly int[] LongLengths = [33, 65, 129, 256, 1025, 4097];

    /// <summary>Fillers for long text: one byte, two bytes, three bytes and four bytes (a surrogate pair) per character in UTF-8.</summary>
    public static readonly string[] Fillers = ["abcdefghij", "\u00e9\u00f1\u00fc\u00e7", "\u65e5\u672c\u8a9e", "\U0001F600\U0001F4DE"];

    public static IEnumerable<(CheckInfo Check, string Label, string Text)> Texts(PayloadFactory payloads)
    {
        foreach (var (name, text) in PayloadFactory.UnicodeSamples)
            yield return (Validation.UnicodeText, name, text);
        foreach (var locale in PayloadFactory.Locales)
            yield return (Validation.UnicodeText, $"Bogus {locale} name", payloads.LocaleText(locale, 0));
        foreach (var filler in Fillers)
            foreach (var n in filler == Fillers[0] ? LongLengths : [65, 256, 1025])
                yield return (Validation.LongText, $"{n} UTF-16 units of {(filler == Fillers[0] ? "ASCII" : JsonLabel(filler))}", Repeat(filler, n));
        yield return (Validation.EdgeText, "a single space", " ");
        yield return (Validation.EdgeText, "a tab and a space", "\t ");
        yield return (Validation.EdgeText, "a control character (U+0001)", "a\u0001b");
    }

    public override async Task RunAsync(SuiteRun run, CancellationToken ct)
    {
        var cases = new List<CreateCase>();
        var i = 0;
        foreach (var field in run.Contract.CreateFields.Where(f => f.Kind == FieldKind.String))
            foreach (var (check, label, text) in Texts(run.Payloads))
            {
                var sent = field.Name == FieldNames.Username ? Prefixed(run.Identity.UsernamePrefix, text, check == Validation.LongText) : text;
                var payload = run.Payloads.Valid("strings", i, run.RandomChoice("strings", i));
                i++;
                payload[field.Name] = sent;
                cases.Add(new CreateCase($"{field.Name}: {label}", $"string fidelity, seed {run.Settings.Seed}", null,
                    SipApi.Serialize(payload), SipApi.JsonContentType, payload, run.Target.Primary.Auth, run.Target.Primary,
                    run.Answers.StringFidelity(check, field.Name, sent, payload)));
            }
        await run.ExecuteAllAsync(cases, ct).ConfigureAwait(false);
    }

    /// <summary>The run's username prefix, then the text (for long text: cut so the whole is the target length).</summary>
    private static string Prefixed(string prefix, string text, bool keepLength)
    {
        if (!keepLength || text.Length <= prefix.Length) return prefix + text;
        var body = text[prefix.Length..];
        if (char.IsLowSurrogate(body[0])) body = "x" + body[1..];
        return prefix + body;
    }

    private static string Repeat(string filler, int length)
    {
        var sb = new StringBuilder(length + 2);
        while (sb.Length < length) sb.Append(filler);
        var text = sb.ToString(0, length);
        return char.IsHighSurrogate(text[^1]) ? text[..^1] + "x" : text;
    }

    private static string JsonLabel(string s) => string.Join("", s.EnumerateRunes().Take(2).Select(r => $"U+{r.Value:X4}")) + "...";
}
