using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SipConformance.Configuration;

namespace SipConformance.Generation;

/// <summary>
/// One entry of fixtures/payloads/parser-differentials.json (docs/PARSERS.md): what one server stack does
/// with one input beyond the grammar, the exact stimulus that shows it, and the answer the contract requires.
/// </summary>
public sealed record Differential(
    string Id, string Stack, string Input, string Direction, string? Field, string Stimulus, string? Plain, string Expect, string Rule, string What, string Source)
{
    /// <summary>The statuses <see cref="Expect"/> names ("404|400|422"); empty for same-as-plain, exact-echo and no-5xx.</summary>
    public IReadOnlyList<int> ExpectedStatuses =>
        Expect.Split('|').All(p => int.TryParse(p, out _)) ? Expect.Split('|').Select(int.Parse).ToList() : [];

    public override string ToString() => Id;
}

/// <summary>What the placeholders of a stimulus expand to in one run (docs/PARSERS.md, "Placeholders").</summary>
/// <param name="Valid">the valid payload the stimulus changes (null where the entry needs none)</param>
/// <param name="Resource">the configured resource id</param>
/// <param name="Endpoint">the top-level id of an endpoint the run created</param>
/// <param name="ProjectId">the project id (for credentials)</param>
/// <param name="Token">the API token (for credentials; never written anywhere)</param>
public sealed record DifferentialValues(JsonObject? Valid = null, string? Resource = null, string? Endpoint = null, string? ProjectId = null, Secret? Token = null);

/// <summary>The parser-differential catalogue, read from the copy embedded in the library, and its placeholders.</summary>
public static partial class Differentials
{
    /// <summary>Every entry of the catalogue, in file order.</summary>
    public static IReadOnlyList<Differential> All { get; } = Load();

    /// <summary>The placeholder pattern of docs/PARSERS.md, leftmost first.</summary>
    [GeneratedRegex(@"\{\{([a-z][a-z0-9-]*)(?::([^{}]*))?\}\}")]
    private static partial Regex Placeholder();

    /// <summary>A stimulus expanded to the octets it sends: placeholders replaced (a {{byte:HH}} is that one raw octet, the rest UTF-8); null for {{absent}}.</summary>
    public static byte[]? Expand(string template, DifferentialValues values)
    {
        var bytes = new List<byte>(template.Length + 256);
        var at = 0;
        foreach (Match m in Placeholder().Matches(template))
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(template[at..m.Index]));
            at = m.Index + m.Length;
            var name = m.Groups[1].Value;
            var arg = m.Groups[2].Success ? m.Groups[2].Value : "";
            if (name == "absent") return null;
            if (name == "byte") { bytes.Add(Convert.ToByte(arg, 16)); continue; }
            bytes.AddRange(Encoding.UTF8.GetBytes(Text(name, arg, values)));
        }
        bytes.AddRange(Encoding.UTF8.GetBytes(template[at..]));
        return [.. bytes];
    }

    /// <summary>A stimulus expanded as text (for header values and JSON texts without raw octets).</summary>
    public static string? ExpandText(string template, DifferentialValues values) =>
        Expand(template, values) is { } b ? Encoding.UTF8.GetString(b) : null;

    /// <summary>Whether a stimulus holds a placeholder of this name.</summary>
    public static bool Uses(string template, string name) => Placeholder().Matches(template).Any(m => m.Groups[1].Value == name);

    private static string Text(string name, string arg, DifferentialValues v)
    {
        string Need(string? value, string what) => value ?? throw new InvalidOperationException($"the stimulus needs {what}");
        switch (name)
        {
            case "valid":
                var valid = Need(v.Valid?.ToJsonString(Target.SipApi.PayloadJson), "a valid payload");
                return arg switch
                {
                    "" => valid,
                    "spaced" => Spaced(valid),
                    "reversed" => new JsonObject(v.Valid!.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString(Target.SipApi.PayloadJson),
                    _ => throw new FormatException($"unknown form valid:{arg}"),
                };
            case "members": return Members(v.Valid ?? throw new InvalidOperationException("the stimulus needs a valid payload"), null);
            case "members-without": return Members(v.Valid ?? throw new InvalidOperationException("the stimulus needs a valid payload"), arg);
            case "value": return v.Valid?[arg]?.ToJsonString(Target.SipApi.PayloadJson) ?? "null";
            case "nest": var n = int.Parse(arg, System.Globalization.CultureInfo.InvariantCulture); return new string('[', n) + new string(']', n);
            case "resource": return Form(Need(v.Resource, "a resource id (SIPCONF_RESOURCE_ID)"), arg);
            case "endpoint": return Form(Need(v.Endpoint, "an endpoint the run created"), arg);
            case "project": return Need(v.ProjectId, "the project id");
            case "token": return (v.Token ?? throw new InvalidOperationException("the stimulus needs the API token")).Reveal();
            case "basic":
                var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Need(v.ProjectId, "the project id")}:{(v.Token ?? throw new InvalidOperationException("the stimulus needs the API token")).Reveal()}"));
                return arg switch
                {
                    "" => basic,
                    "nopad" => basic.TrimEnd('='),
                    "url" => basic.Replace('+', '-').Replace('/', '_'),
                    "head" => basic[..4],
                    "tail" => basic[4..],
                    _ => throw new FormatException($"unknown form basic:{arg}"),
                };
            default: throw new FormatException($"unknown placeholder {{{{{name}}}}}");
        }
    }

    private static string Form(string uuid, string arg) => arg switch
    {
        "" => uuid,
        "n" => uuid.Replace("-", "", StringComparison.Ordinal),
        "upper" => uuid.ToUpperInvariant(),
        // Every digit full-width (U+FF10-U+FF19), the letters kept: Unicode decimal digits Java's and Python's number parsers read.
        "fullwidth" => string.Concat(uuid.Select(c => char.IsAsciiDigit(c) ? (char)('\uFF10' + (c - '0')) : c)),
        _ => throw new FormatException($"unknown UUID form :{arg}"),
    };

    /// <summary>The valid object's members, comma-separated, without the braces (and without member <paramref name="without"/>).</summary>
    public static string Members(JsonObject valid, string? without)
    {
        var json = new JsonObject(valid.Where(p => p.Key != without).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString(Target.SipApi.PayloadJson);
        return json[1..^1];
    }

    /// <summary>Space, tab, CR and LF around every structural character outside strings.</summary>
    private static string Spaced(string json)
    {
        var sb = new StringBuilder(json.Length * 3);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\') sb.Append(json[++i]);
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') { inString = true; sb.Append(c); continue; }
            if (c is '{' or '}' or '[' or ']' or ':' or ',') sb.Append(" \t").Append(c).Append("\r\n");
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>The JSON value a stimulus's text stands for, when a strict reader reads it (null when it does not).</summary>
    public static JsonNode? Decode(byte[] json, out bool readable)
    {
        try
        {
            var node = JsonNode.Parse(json);
            // A lone surrogate escape is read by System.Text.Json but is no Unicode text: such a value has no meaning to compare.
            readable = node is null || !HasLoneSurrogate(node);
            return readable ? node : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            readable = false;
            return null;
        }
    }

    private static bool HasLoneSurrogate(JsonNode node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => !IsWellFormed(s),
        JsonArray a => a.Any(x => x is not null && HasLoneSurrogate(x)),
        JsonObject o => o.Any(p => !IsWellFormed(p.Key) || (p.Value is not null && HasLoneSurrogate(p.Value))),
        _ => false,
    };

    private static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { i++; continue; }
            if (char.IsSurrogate(s[i])) return false;
        }
        return true;
    }

    private static List<Differential> Load()
    {
        using var stream = typeof(Differentials).Assembly.GetManifestResourceStream("payloads/parser-differentials.json")
            ?? throw new InvalidOperationException("payloads/parser-differentials.json is not embedded");
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.GetProperty("entries").EnumerateArray().Select(e => new Differential(
            e.GetProperty("id").GetString()!, e.GetProperty("stack").GetString()!, e.GetProperty("input").GetString()!, e.GetProperty("direction").GetString()!,
            e.GetProperty("field").ValueKind == JsonValueKind.Null ? null : e.GetProperty("field").GetString(),
            e.GetProperty("stimulus").GetString()!,
            e.TryGetProperty("plain", out var plain) && plain.ValueKind == JsonValueKind.String ? plain.GetString() : null,
            e.GetProperty("expect").GetString()!, e.GetProperty("rule").GetString()!, e.GetProperty("what").GetString()!, e.GetProperty("source").GetString()!)).ToList();
    }
}
