using System.Text.Json;
using System.Text.Json.Nodes;

namespace SipConformance.Contract;

/// <summary>
/// One of the contract's schemas compiled into a validator that knows only the keywords the contract
/// uses: <c>type</c> (string, object, array, null, boolean), <c>enum</c> of strings, <c>format</c> uuid and
/// date-time (the same predicates the JSON Schema evaluation uses), <c>properties</c>, <c>required</c>,
/// <c>items</c>, <c>anyOf</c> and <c>$ref</c> to a component; annotations (description, default...) are ignored.
/// A schema that reaches any other keyword does not compile (<see cref="TryCompile"/> answers null), so it is
/// always left to JsonSchema.Net.
/// <para>
/// <see cref="IsValid"/> answers true only for an instance that is valid by JSON Schema 2020-12. False means
/// "not shown valid": invalid, or an object naming one of the schema's properties twice (which of the two a
/// validator reads is its own choice); <see cref="SipContract.Validate(string, JsonElement)"/> then asks
/// JsonSchema.Net, for the verdict and its messages. It allocates nothing but the strings the formats read.
/// </para>
/// </summary>
public sealed class CompiledSchema
{
    private readonly Node _root;

    private CompiledSchema(Node root) => _root = root;

    /// <summary>Compiles <c>#/$defs/{name}</c> of a document whose components sit under <c>$defs</c>; null when it reaches a keyword this validator does not know.</summary>
    public static CompiledSchema? TryCompile(JsonObject defs, string name)
    {
        ArgumentNullException.ThrowIfNull(defs);
        try { return new CompiledSchema(new Compiler(defs).Ref(name)); }
        catch (NotSupportedException) { return null; }
    }

    public bool IsValid(JsonElement instance) => _root.Valid(instance);

    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "description", "default", "title", "examples", "deprecated", "readOnly", "writeOnly", "$comment",
    };

    private sealed class Compiler(JsonObject defs)
    {
        private readonly Dictionary<string, RefNode> _refs = new(StringComparer.Ordinal);

        public Node Ref(string name)
        {
            if (_refs.TryGetValue(name, out var known)) return known;
            var node = new RefNode();
            _refs[name] = node; // before compiling the target: a schema may refer to itself
            node.Target = Compile(defs[name] ?? throw new NotSupportedException($"no $defs/{name}"));
            return node;
        }

        private Node Compile(JsonNode schema)
        {
            if (schema is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
                return new ConstantNode(v.GetValue<bool>());
            if (schema is not JsonObject o) throw new NotSupportedException("a schema that is neither an object nor a boolean");
            var all = new List<Node>();
            ObjectNode? shape = null;
            ObjectNode Shape() => shape ??= new ObjectNode();
            foreach (var (keyword, value) in o)
            {
                switch (keyword)
                {
                    case "type":
                        all.Add(new TypeNode(value is JsonArray types ? types.Select(TypeName).ToArray() : [TypeName(value)]));
                        break;
                    case "enum":
                        all.Add(new EnumNode(((value as JsonArray) ?? throw new NotSupportedException("enum is not an array")).Select(StringValue).ToArray()));
                        break;
                    case "format":
                        all.Add(new FormatNode(StringValue(value) switch
                        {
                            "uuid" => ContractFormats.IsUuid,
                            "date-time" => ContractFormats.IsDateTime,
                            var other => throw new NotSupportedException($"format {other}"),
                        }));
                        break;
                    case "properties":
                        foreach (var (property, sub) in (value as JsonObject) ?? throw new NotSupportedException("properties is not an object"))
                            Shape().Property(property).Schema = Compile(sub ?? throw new NotSupportedException("a null property schema"));
                        break;
                    case "required":
                        foreach (var property in (value as JsonArray) ?? throw new NotSupportedException("required is not an array"))
                            Shape().Property(StringValue(property)).Required = true;
                        break;
                    case "items":
                        all.Add(new ItemsNode(Compile(value ?? throw new NotSupportedException("items is null"))));
                        break;
                    case "anyOf":
                        all.Add(new AnyOfNode(((value as JsonArray) ?? throw new NotSupportedException("anyOf is not an array"))
                            .Select(s => Compile(s ?? throw new NotSupportedException("a null anyOf schema"))).ToArray()));
                        break;
                    case "$ref":
                        var reference = StringValue(value);
                        if (!reference.StartsWith("#/$defs/", StringComparison.Ordinal) || reference.IndexOf('/', "#/$defs/".Length) >= 0 || reference.Contains('~'))
                            throw new NotSupportedException($"$ref {reference}");
                        all.Add(Ref(Uri.UnescapeDataString(reference["#/$defs/".Length..])));
                        break;
                    default:
                        if (!Annotations.Contains(keyword)) throw new NotSupportedException($"keyword {keyword}");
                        break;
                }
            }
            if (shape is not null) all.Add(shape.Seal());
            return all.Count == 1 ? all[0] : new AllNode(all.ToArray());
        }

        private static string StringValue(JsonNode? node) =>
            node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw new NotSupportedException("a value that is not a string");

        private static JsonValueKind[] TypeName(JsonNode? node) => StringValue(node) switch
        {
            "string" => [JsonValueKind.String],
            "object" => [JsonValueKind.Object],
            "array" => [JsonValueKind.Array],
            "null" => [JsonValueKind.Null],
            "boolean" => [JsonValueKind.True, JsonValueKind.False],
            var other => throw new NotSupportedException($"type {other}"),
        };
    }

    private abstract class Node
    {
        public abstract bool Valid(JsonElement e);
    }

    private sealed class ConstantNode(bool valid) : Node
    {
        public override bool Valid(JsonElement e) => valid;
    }

    private sealed class RefNode : Node
    {
        public Node? Target { get; set; }
        public override bool Valid(JsonElement e) => Target!.Valid(e);
    }

    private sealed class AllNode(Node[] nodes) : Node
    {
        public override bool Valid(JsonElement e)
        {
            foreach (var n in nodes)
                if (!n.Valid(e)) return false;
            return true;
        }
    }

    private sealed class AnyOfNode(Node[] nodes) : Node
    {
        public override bool Valid(JsonElement e)
        {
            foreach (var n in nodes)
                if (n.Valid(e)) return true;
            return false;
        }
    }

    private sealed class TypeNode(JsonValueKind[][] kinds) : Node
    {
        private readonly JsonValueKind[] _kinds = kinds.SelectMany(k => k).ToArray();
        public override bool Valid(JsonElement e) => Array.IndexOf(_kinds, e.ValueKind) >= 0;
    }

    /// <summary>Strings only (a non-string instance is not equal to any of them).</summary>
    private sealed class EnumNode(string[] values) : Node
    {
        public override bool Valid(JsonElement e)
        {
            if (e.ValueKind != JsonValueKind.String) return false;
            foreach (var v in values)
                if (e.ValueEquals(v)) return true;
            return false;
        }
    }

    /// <summary>A format asserts on strings only.</summary>
    private sealed class FormatNode(Func<string?, bool> valid) : Node
    {
        public override bool Valid(JsonElement e) => e.ValueKind != JsonValueKind.String || valid(e.GetString());
    }

    private sealed class ItemsNode(Node items) : Node
    {
        public override bool Valid(JsonElement e)
        {
            if (e.ValueKind != JsonValueKind.Array) return true;
            foreach (var item in e.EnumerateArray())
                if (!items.Valid(item)) return false;
            return true;
        }
    }

    /// <summary><c>properties</c> and <c>required</c> of one schema object, in one pass over the instance's members.</summary>
    private sealed class ObjectNode : Node
    {
        public sealed class Member(string name)
        {
            public string Name => name;
            public Node? Schema { get; set; }
            public bool Required { get; set; }
        }

        private readonly List<Member> _members = [];
        private Member[] _sealed = [];
        private ulong _required;

        public Member Property(string name)
        {
            var m = _members.FirstOrDefault(x => x.Name == name);
            if (m is null) _members.Add(m = new Member(name));
            return m;
        }

        public ObjectNode Seal()
        {
            if (_members.Count > 64) throw new NotSupportedException("more than 64 named properties");
            _sealed = _members.ToArray();
            for (var i = 0; i < _sealed.Length; i++)
                if (_sealed[i].Required) _required |= 1UL << i;
            return this;
        }

        public override bool Valid(JsonElement e)
        {
            if (e.ValueKind != JsonValueKind.Object) return true;
            ulong seen = 0;
            foreach (var p in e.EnumerateObject())
            {
                var k = IndexOf(p);
                if (k < 0) continue;
                var bit = 1UL << k;
                if ((seen & bit) != 0) return false; // named twice: not shown valid
                seen |= bit;
                if (_sealed[k].Schema is { } s && !s.Valid(p.Value)) return false;
            }
            return (seen & _required) == _required;
        }

        private int IndexOf(JsonProperty p)
        {
            for (var i = 0; i < _sealed.Length; i++)
                if (p.NameEquals(_sealed[i].Name)) return i;
            return -1;
        }
    }
}
