using System.Text.Json;
using System.Text.Json.Nodes;

namespace SipConformance.Pact.Model;

/// <summary>A body or header value that the engine would accept silently but that is wrong.</summary>
public sealed class PactDefinitionException(string message) : Exception(message);

/// <summary>
/// Checks integration JSON before it reaches the engine (which accepts invalid JSON, unknown
/// matcher names and examples that contradict their own matcher without complaint), and turns it
/// into the plain example a client would send or a provider would answer.
/// </summary>
public static class PactJson
{
    /// <summary>Matcher names this suite uses (the engine knows more; an unknown one it would treat as a plugin).</summary>
    public static readonly IReadOnlySet<string> KnownMatchers = new HashSet<string>(StringComparer.Ordinal)
    {
        "type", "regex", "arrayContains", "equality", "include", "integer", "number", "decimal", "boolean", "null", "notEmpty", "datetime",
    };

    public static readonly IReadOnlySet<string> KnownGenerators = new HashSet<string>(StringComparer.Ordinal) { "ProviderState", "Uuid", "DateTime", "RandomString" };

    /// <summary>Parses text as JSON, or says where it breaks.</summary>
    public static JsonNode Parse(string json, string where)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow })
                ?? throw new PactDefinitionException($"{where}: the JSON is null");
        }
        catch (JsonException e)
        {
            throw new PactDefinitionException($"{where}: not valid JSON ({e.Message})");
        }
    }

    /// <summary>Throws <see cref="PactDefinitionException"/> at the first problem in a value with embedded matchers.</summary>
    public static void Validate(JsonNode? node, string where)
    {
        // A round trip proves the node serialises to valid JSON (no NaN, no cycles).
        if (node is not null) Parse(node.ToJsonString(), where);
        Walk(node, "$", where);
    }

    private static void Walk(JsonNode? node, string path, string where)
    {
        switch (node)
        {
            case JsonObject o when o.ContainsKey(Match.MatcherKey):
                CheckMatcher(o, path, where);
                break;
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    if (key.StartsWith("pact:", StringComparison.Ordinal))
                        throw new PactDefinitionException($"{where}: {path}.{key} is a pact: key outside a matcher");
                    Walk(child, $"{path}.{key}", where);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++) Walk(a[i], $"{path}[{i}]", where);
                break;
        }
    }

    private static void CheckMatcher(JsonObject o, string path, string where)
    {
        var type = o[Match.MatcherKey] is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
        if (type is null || !KnownMatchers.Contains(type))
            throw new PactDefinitionException($"{where}: {path} has an unknown matcher '{o[Match.MatcherKey]?.ToJsonString()}' (known: {string.Join(", ", KnownMatchers)})");
        if (o[Match.GeneratorKey] is { } g)
        {
            var generator = g is JsonValue gv && gv.TryGetValue<string>(out var gs) ? gs : null;
            if (generator is null || !KnownGenerators.Contains(generator))
                throw new PactDefinitionException($"{where}: {path} has an unknown generator '{g.ToJsonString()}'");
            if (generator == "ProviderState" && o["expression"]?.GetValue<string>() is not { Length: > 0 })
                throw new PactDefinitionException($"{where}: {path}: a ProviderState generator needs an expression");
        }
        switch (type)
        {
            case "arrayContains":
                if (o["variants"] is not JsonArray { Count: > 0 } variants)
                    throw new PactDefinitionException($"{where}: {path}: arrayContains needs a non-empty 'variants' array");
                for (var i = 0; i < variants.Count; i++) Walk(variants[i], $"{path}<variant {i}>", where);
                return;
            case "regex":
                var pattern = o["regex"] is JsonValue rv && rv.TryGetValue<string>(out var r) ? r : null;
                if (pattern is null) throw new PactDefinitionException($"{where}: {path}: a regex matcher needs 'regex'");
                System.Text.RegularExpressions.Regex regex;
                try { regex = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)); }
                catch (ArgumentException e) { throw new PactDefinitionException($"{where}: {path}: the regex does not compile ({e.Message})"); }
                var example = o["value"] is JsonValue ev && ev.TryGetValue<string>(out var s) ? s : null;
                if (example is null) throw new PactDefinitionException($"{where}: {path}: a regex matcher needs a string example");
                if (!regex.IsMatch(example))
                    throw new PactDefinitionException($"{where}: {path}: the example '{example}' does not match its own regex {pattern}");
                return;
            case "type" when o["min"] is { } min:
                if (o["value"] is not JsonArray items || items.Count < min.GetValue<int>())
                    throw new PactDefinitionException($"{where}: {path}: a type matcher with min {min} needs an example array of at least {min} items");
                break;
        }
        if (!o.ContainsKey("value") && type != "null")
            throw new PactDefinitionException($"{where}: {path}: the matcher has no example 'value'");
        Walk(o["value"], path, where);
    }

    /// <summary>The plain example: every matcher replaced by its example value (arrayContains by its variants).</summary>
    public static JsonNode? Example(JsonNode? node) => node switch
    {
        JsonObject o when o[Match.MatcherKey]?.GetValue<string>() == "arrayContains" =>
            new JsonArray(((JsonArray)o["variants"]!).Select(Example).ToArray()),
        JsonObject o when o.ContainsKey(Match.MatcherKey) => Example(o["value"]),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Example(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Example).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
