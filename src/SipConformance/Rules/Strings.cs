using System.Text;
using SipConformance.Cases;
using SipConformance.Contract;
using SipConformance.Generation;
using static SipConformance.Rules.JsonText;

namespace SipConformance.Rules;

/// <summary>
/// The contract's string rule: any Unicode text is stored and echoed exactly, or refused with 422
/// (docs/RULES.md, CREATE-STR). Each rule brings its texts, sent in every string field.
/// </summary>
public static class Strings
{
    public static readonly Section Section = new("STR", "strings", "Validation failures (422): strings");

    private const string Clause = "Strings: any Unicode text, long or short, is either stored and echoed exactly or rejected with 422. Silent truncation or re-encoding fails.";

    private static readonly int[] StoredOrRefused = [Statuses.Ok, Statuses.Unprocessable];

    /// <summary>Lengths in UTF-16 units, just past common limits (32, 64, 128, 255, 1024, 4096).</summary>
    public static readonly int[] LongLengths = [33, 65, 129, 256, 1025, 4097];

    /// <summary>Fillers for long text: one, two, three and four bytes (a surrogate pair) per character in UTF-8.</summary>
    public static readonly string[] Fillers = ["abcdefghij", "\u00e9\u00f1\u00fc\u00e7", "\u65e5\u672c\u8a9e", "\U0001F600\U0001F4DE"];

    public static readonly CaseRule Unicode = Texts("CREATE-STR-001", "non-ASCII text is stored and echoed exactly, or 422", context =>
        PayloadFactory.UnicodeSamples.Select(s => (s.Name, s.Text))
            .Concat(PayloadFactory.Locales.Select(locale => ($"Bogus {locale} name", context.Payloads.LocaleText(locale, 0)))));

    public static readonly CaseRule Long = Texts("CREATE-STR-002", "long text is stored and echoed exactly, or 422", _ =>
        Fillers.SelectMany(filler => (filler == Fillers[0] ? LongLengths : [65, 256, 1025])
            .Select(n => ($"{n} UTF-16 units of {(filler == Fillers[0] ? "ASCII" : Label(filler))}", Repeat(filler, n)))), keepLength: true);

    public static readonly CaseRule Edge = Texts("CREATE-STR-003", "empty, padded and control-character text is stored and echoed exactly, or 422", _ =>
        [("a single space", " "), ("a tab and a space", "\t "), ("a control character (U+0001)", "a\u0001b")],
        owns: m => m.Kind == ViolationKind.EmptyString && m.Field != FieldNames.Username);

    /// <summary>Code points a server is tempted to normalise, trim, fold or drop; each must come back as sent.</summary>
    public static readonly IReadOnlyList<(string Label, string Text)> ExactTexts =
    [
        ("a decomposed (NFD) letter", "Zoe\u0308 Cafe\u0301"),
        ("a compatibility character (NFKC would change it)", "\ufb01le \u2460 \uff21"),
        ("letters case folding changes", "Stra\u00dfe \u0130stanbul \u01c5"),
        ("bidirectional marks and an override", "a\u200eb\u200fc\u202ed\u202c"),
        ("noncharacters", "a\ufdd0b\ufffec\uffff"),
        ("line and paragraph separators", "a\u2028b\u2029c"),
        ("zero-width characters and a byte order mark", "a\u200bb\u200dc\ufeffd"),
        ("every C0 control character, DEL and a C1 control", string.Concat(Enumerable.Range(1, 31).Select(i => (char)i)) + "\u007f\u0085"),
        ("a NUL character (U+0000) inside the text", "sip\u0000conf"),
        ("ASCII letters of both cases", "SipConf_MixedCase"),
    ];

    public static readonly CaseRule Exact = Texts("CREATE-STR-004", "text is kept code point for code point (no normalising, trimming, folding or dropping), or 422",
        _ => ExactTexts, clause: "Strings: \"Exactly\" means the same code points, every one: a server that normalises, trims, case-folds or drops characters fails.");

    /// <summary>The text sent in each of the case's text fields came back (and was stored) exactly.</summary>
    private static string? SameText(SipContract contract, System.Text.Json.JsonElement body, CreateCase c)
    {
        var problems = new List<string>();
        foreach (var field in c.Texts)
        {
            var sent = EchoExpectation.AsString((c.Payload as System.Text.Json.Nodes.JsonObject)?[field]);
            var got = EndpointString(contract, body, field);
            if (!string.Equals(got, sent, StringComparison.Ordinal)) problems.Add($"sent {field} {Show(sent)}, got {Show(got)}{(sent is null ? "" : Difference(sent, got))}");
        }
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>
    /// A rule's texts: each one in every string field of one create; refused with 422, the same text one field at a time
    /// (so a text a target stores costs one create, and one it refuses in some field still has each field judged alone,
    /// with the field its 422 must name).
    /// </summary>
    private static CaseRule Texts(string id, string title, Func<StimulusContext, IEnumerable<(string Label, string Text)>> texts, bool keepLength = false, Func<Mutation, bool>? owns = null, string clause = Clause) =>
        new(id, Level.Must, title, clause, StoredOrRefused, condition: (body, c, contract) => SameText(contract, body, c), owns: owns,
            stimuli: context =>
            {
                var fields = context.Contract.CreateFields.Where(f => f.Kind == FieldKind.String).Select(f => f.Name).ToList();
                return texts(context).Select(t =>
                {
                    string Sent(string field) => field == FieldNames.Username ? Prefixed(context.Identity.UsernamePrefix, t.Text, keepLength) : t.Text;
                    return new Stimulus($"every string field: {t.Label}", b => b.WithTexts(fields, Sent),
                        [.. fields.Select(field => new Stimulus($"{field}: {t.Label}", b => b.WithText(field, Sent(field))))]);
                });
            });

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

    private static string Label(string s) => string.Join("", s.EnumerateRunes().Take(2).Select(r => $"U+{r.Value:X4}")) + "...";
}
