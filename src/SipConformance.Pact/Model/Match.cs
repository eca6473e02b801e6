using System.Text.Json.Nodes;

namespace SipConformance.Pact.Model;

/// <summary>
/// Pact matchers and generators in the engine's "integration JSON" form (a JSON object with
/// <c>pact:matcher:type</c> and an example <c>value</c>), to embed in bodies and header values.
/// Every regex here must mean the same to .NET (which checks examples) and to Rust's regex crate
/// (which the engine uses): plain classes, anchors, groups, alternation and counts only.
/// </summary>
public static class Match
{
    public const string MatcherKey = "pact:matcher:type";
    public const string GeneratorKey = "pact:generator:type";

    /// <summary>RFC 9562 UUID text, either case.</summary>
    public const string UuidPattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    /// <summary>An RFC 3339 date-time: any number of fraction digits, Z or a numeric offset.</summary>
    public const string Rfc3339Pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$";

    /// <summary>Same JSON type as the example (strings match any string).</summary>
    public static JsonObject Type(JsonNode example) => new() { [MatcherKey] = "type", ["value"] = example.DeepClone() };

    /// <summary>A string that matches a regex (anchor it: the engine searches).</summary>
    public static JsonObject Regex(string pattern, string example) =>
        new() { [MatcherKey] = "regex", ["regex"] = pattern, ["value"] = example };

    public static JsonObject Uuid(string example) => Regex(UuidPattern, example);

    public static JsonObject Rfc3339(string example) => Regex(Rfc3339Pattern, example);

    /// <summary>An anchored alternation of literal values, e.g. ^(A|B)$.</summary>
    public static string OneOfPattern(IEnumerable<string> values) => "^(" + string.Join("|", values.Select(EscapeForRust)) + ")$";

    /// <summary>
    /// An array of at least <paramref name="min"/> items, each one of <paramref name="allowed"/>:
    /// a type matcher with a minimum, and the enum regex on the first item (the engine files item
    /// rules under <c>[*]</c>, so one rule covers every item).
    /// </summary>
    public static JsonObject EachOneOf(IReadOnlyCollection<string> allowed, IReadOnlyList<string> examples, int min = 1)
    {
        if (examples.Count < Math.Max(1, min)) throw new PactDefinitionException($"EachOneOf needs at least {Math.Max(1, min)} example(s)");
        if (examples.FirstOrDefault(e => !allowed.Contains(e)) is { } stray)
            throw new PactDefinitionException($"EachOneOf: the example '{stray}' is not one of {string.Join(", ", allowed)}");
        var items = new JsonArray(examples.Select((e, i) => i == 0 ? (JsonNode)Regex(OneOfPattern(allowed), e) : JsonValue.Create(e)).ToArray());
        return new JsonObject { [MatcherKey] = "type", ["min"] = min, ["value"] = items };
    }

    /// <summary>An array holding each of <paramref name="values"/> somewhere, in any order (V4 arrayContains).</summary>
    public static JsonObject ContainsEach(IReadOnlyList<string> values) =>
        new() { [MatcherKey] = "arrayContains", ["variants"] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()) };

    /// <summary>
    /// Adds a provider-state generator: at verification the engine replaces the example with the
    /// value the state-change call returned under <paramref name="expression"/> (e.g. <c>${resource_id}</c>).
    /// </summary>
    public static JsonObject FromProviderState(JsonObject matcher, string expression, string dataType = "STRING")
    {
        var copy = (JsonObject)matcher.DeepClone();
        copy[GeneratorKey] = "ProviderState";
        copy["expression"] = expression;
        copy["dataType"] = dataType;
        return copy;
    }

    /// <summary>Escapes the characters both regex dialects treat as special (not spaces or dashes, which Rust rejects escaped or needs not).</summary>
    public static string EscapeForRust(string literal)
    {
        var sb = new System.Text.StringBuilder(literal.Length + 8);
        foreach (var c in literal)
        {
            if (@"\.+*?()|[]{}^$".Contains(c)) sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
