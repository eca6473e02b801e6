using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;

namespace SipConformance.Tests.Contract;

/// <summary>
/// The compiled validators against JsonSchema.Net: on many valid documents and their mutations (types,
/// enums, formats, missing and extra members, escapes, names given twice) both give the same verdict, and
/// <see cref="SipContract.Validate(string, JsonElement)"/> answers exactly what JsonSchema.Net alone answers.
/// </summary>
public class CompiledSchemaTests
{
    private static SipContract C => SipContract.Default;

    [Test]
    public void The_response_schemas_compile_and_what_uses_other_keywords_does_not()
    {
        C.Compiled(SchemaNames.EndpointResponse).Should().NotBeNull("the sweep validates every 200 body against it");
        C.Compiled(SchemaNames.ValidationError).Should().NotBeNull();
        C.Compiled("FabricSipEndpointListResponse").Should().BeNull("its links use format uri, which the compiled validator does not know");

        var defs = JsonNode.Parse("""{"a": {"type": "string", "minLength": 2}, "b": {"$ref": "#/$defs/a"}, "c": {"type": "string", "description": "x"}}""")!.AsObject();
        CompiledSchema.TryCompile(defs, "a").Should().BeNull("minLength is not a keyword it knows");
        CompiledSchema.TryCompile(defs, "b").Should().BeNull("it reaches minLength through $ref");
        CompiledSchema.TryCompile(defs, "c").Should().NotBeNull("description is an annotation");
    }

    [Test]
    public void Valid_and_mutated_endpoint_responses_get_JsonSchema_Nets_verdict()
    {
        var (valid, invalid) = Compare(SchemaNames.EndpointResponse, EndpointResponse, 6000, seed: 1);
        valid.Should().BeGreaterThan(600, "the corpus must hold valid documents");
        invalid.Should().BeGreaterThan(2000, "the corpus must hold invalid documents");
    }

    [Test]
    public void Every_compiled_schema_of_the_contract_agrees_with_JsonSchema_Net()
    {
        var bases = new Func<Random, JsonNode?>[]
        {
            EndpointResponse, r => EndpointResponse(r)!["sip_endpoint"]!.DeepClone(), CreateRequest,
            _ => new JsonObject { ["error"] = "Unauthorized" }, _ => new JsonObject { ["error"] = "Not Found" },
            _ => new JsonObject { ["error"] = "Internal Server Error" },
            r => new JsonObject { ["errors"] = new JsonArray(ErrorItem(r), ErrorItem(r)) },
            r => Pick(r, C.Codecs), r => Pick(r, C.Ciphers), r => Pick(r, C.Encryptions), r => Pick(r, C.CallHandlers), r => Uuid(r),
        };
        var compiled = 0;
        foreach (var name in C.SchemaNamesInFile.Order(StringComparer.Ordinal))
        {
            if (C.Compiled(name) is null) continue;
            compiled++;
            var i = 0;
            Compare(name, r => bases[(i++) % bases.Length](r), 1200, seed: name.Length);
        }
        compiled.Should().BeGreaterThan(10);
    }

    [TestCase("""{"error": "Unauthorized", "error": 1}""")]
    [TestCase("""{"error": 1, "error": "Unauthorized"}""")]
    public void An_object_naming_a_property_twice_is_left_to_JsonSchema_Net(string json)
    {
        using var doc = JsonDocument.Parse(json);
        C.Compiled(SchemaNames.Unauthorized)!.IsValid(doc.RootElement).Should().BeFalse("which of the two to read is a validator's choice");
        C.Validate(SchemaNames.Unauthorized, doc.RootElement).ToString().Should().Be(C.ValidateWithJsonSchemaNet(SchemaNames.Unauthorized, doc.RootElement).ToString());
    }

    /// <summary>Generates documents (a base, then 0 to 3 mutations, then sometimes escapes) and compares the verdicts; returns how many were valid and invalid.</summary>
    private static (int Valid, int Invalid) Compare(string schema, Func<Random, JsonNode?> make, int count, int seed)
    {
        var random = new Random(seed);
        var compiled = C.Compiled(schema)!;
        int valid = 0, invalid = 0;
        for (var n = 0; n < count; n++)
        {
            var node = make(random);
            var mutations = random.Next(4);
            for (var m = 0; m < mutations; m++) node = Mutate(random, node);
            var text = node?.ToJsonString() ?? "null";
            var twice = false;
            if (random.Next(5) == 0) text = Escape(random, text);
            if (random.Next(12) == 0) (text, twice) = NameTwice(random, text);
            using var doc = JsonDocument.Parse(text);
            var reference = C.ValidateWithJsonSchemaNet(schema, doc.RootElement);
            var fast = compiled.IsValid(doc.RootElement);
            if (fast) reference.IsValid.Should().BeTrue($"the compiled {schema} called {text} valid; JsonSchema.Net: {reference}");
            if (!twice) fast.Should().Be(reference.IsValid, $"{schema} on {text}: JsonSchema.Net says {reference}");
            C.Validate(schema, doc.RootElement).ToString().Should().Be(reference.ToString(), text);
            if (reference.IsValid) valid++; else invalid++;
        }
        return (valid, invalid);
    }

    // ---- valid documents

    private static JsonNode? EndpointResponse(Random r) => new JsonObject
    {
        ["id"] = Uuid(r),
        ["project_id"] = Uuid(r),
        ["display_name"] = Text(r),
        ["type"] = "sip_endpoint",
        ["created_at"] = DateTime(r),
        ["updated_at"] = DateTime(r),
        ["sip_endpoint"] = Endpoint(r),
    };

    private static JsonObject Endpoint(Random r) => new()
    {
        ["id"] = Uuid(r),
        ["username"] = Text(r),
        ["caller_id"] = Text(r),
        ["send_as"] = Text(r),
        ["ciphers"] = Subset(r, C.Ciphers),
        ["codecs"] = Subset(r, C.Codecs),
        ["encryption"] = Pick(r, C.Encryptions),
        ["call_handler"] = Pick(r, C.CallHandlers),
        ["calling_handler_resource_id"] = r.Next(2) == 0 ? null : Uuid(r),
    };

    private static JsonNode? CreateRequest(Random r) => Endpoint(r);

    private static JsonObject ErrorItem(Random r) => new()
    {
        ["type"] = "validation_error", ["code"] = Text(r), ["message"] = Text(r), ["attribute"] = r.Next(2) == 0 ? null : Text(r), ["url"] = "https://x.invalid/",
    };

    private static JsonArray Subset(Random r, IReadOnlyList<string> values) =>
        new(values.Where(_ => r.Next(2) == 0).Concat(r.Next(6) == 0 ? [values[0]] : []).Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());

    private static JsonNode Pick(Random r, IReadOnlyList<string> values) => JsonValue.Create(values[r.Next(values.Count)])!;

    private static JsonNode Uuid(Random r)
    {
        var g = new Guid(Bytes(r, 16)).ToString("D");
        return JsonValue.Create(r.Next(4) == 0 ? g.ToUpperInvariant() : g)!;
    }

    private static JsonNode DateTime(Random r) => JsonValue.Create(r.Next(5) switch
    {
        0 => "2024-05-06T12:20:00Z",
        1 => "2024-05-06T12:20:00.123456789+02:00",
        2 => "2016-12-31T23:59:60z",
        3 => "2024-02-29t00:00:00-23:59",
        _ => "1999-01-01T00:00:00.0Z",
    })!;

    private static JsonNode Text(Random r) => JsonValue.Create(r.Next(4) switch { 0 => "", 1 => "ü\u0000\"\\é日本", 2 => "sipconf_x_user12", _ => "+12025550123" })!;

    private static byte[] Bytes(Random r, int n)
    {
        var b = new byte[n];
        r.NextBytes(b);
        return b;
    }

    // ---- mutations

    /// <summary>Values that sit near what a schema accepts: almost-UUIDs, almost-dates, enum values in another case, other JSON kinds.</summary>
    private static JsonNode? Value(Random r) => r.Next(24) switch
    {
        0 => JsonValue.Create(1),
        1 => JsonValue.Create(1.5),
        2 => JsonValue.Create(true),
        3 => null,
        4 => new JsonObject(),
        5 => new JsonArray(),
        6 => new JsonArray(JsonValue.Create("PCMU"), JsonValue.Create(7)),
        7 => "0b4b7c4e-6c55-4d4b-9a7e-1c2f0a1b2c3",
        8 => "0b4b7c4e-6c55-4d4b-9a7e-1c2f0a1b2c3d\n",
        9 => "0b4b7c4e6c554d4b9a7e1c2f0a1b2c3d",
        10 => "{0b4b7c4e-6c55-4d4b-9a7e-1c2f0a1b2c3d}",
        11 => "0b4b7c4e-6c55-4d4b-9a7e-1c2f0a1b2cXd",
        12 => "2024-05-06 12:20:00Z",
        13 => "2024-02-30T00:00:00Z",
        14 => "2024-05-06T24:00:00Z",
        15 => "2024-05-06T12:20:00",
        16 => "2024-05-06T12:20:00Z\n",
        17 => "pcmu",
        18 => "PCMU ",
        19 => "OPUS@48000H@20I",
        20 => "sip_endpoint",
        21 => "Unauthorized",
        22 => Uuid(r),
        _ => Pick(r, C.Codecs.Concat(C.Ciphers).Concat(C.Encryptions).Concat(C.CallHandlers).ToList()),
    };

    /// <summary>One change somewhere in the tree: a value replaced, a member removed or added, an item added.</summary>
    private static JsonNode? Mutate(Random r, JsonNode? root)
    {
        var places = new List<JsonNode>();
        void Walk(JsonNode? n)
        {
            if (n is JsonObject or JsonArray) places.Add(n);
            if (n is JsonObject o) foreach (var (_, v) in o) Walk(v);
            if (n is JsonArray a) foreach (var v in a) Walk(v);
        }
        Walk(root);
        if (places.Count == 0 || r.Next(20) == 0) return Value(r);
        var place = places[r.Next(places.Count)];
        switch (place)
        {
            case JsonObject o when o.Count > 0 && r.Next(3) == 0:
                o.Remove(o.ElementAt(r.Next(o.Count)).Key);
                break;
            case JsonObject o when r.Next(4) == 0:
                o[r.Next(2) == 0 ? "extra" : "Id"] = Value(r);
                break;
            case JsonObject o when o.Count > 0:
                o[o.ElementAt(r.Next(o.Count)).Key] = Value(r);
                break;
            case JsonArray a when a.Count > 0 && r.Next(2) == 0:
                a[r.Next(a.Count)] = Value(r);
                break;
            case JsonArray a:
                a.Add(Value(r));
                break;
        }
        return root;
    }

    /// <summary>Writes some letters of the text (names and values alike) as \u escapes: the same document.</summary>
    private static string Escape(Random r, string json)
    {
        var sb = new StringBuilder();
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var ch = json[i];
            if (ch == '\\' && inString)
            {
                var length = json[i + 1] == 'u' ? 6 : 2; // an escape already there is copied whole
                sb.Append(json, i, length);
                i += length - 1;
                continue;
            }
            if (ch == '"') inString = !inString;
            if (inString && ch != '"' && char.IsAsciiLetterOrDigit(ch) && r.Next(3) == 0) sb.Append($"\\u{(int)ch:X4}");
            else sb.Append(ch);
        }
        return sb.ToString();
    }

    /// <summary>Names the first member of the outermost object a second time, with another value (first or last).</summary>
    private static (string, bool) NameTwice(Random r, string json)
    {
        if (!json.StartsWith("{\"", StringComparison.Ordinal)) return (json, false);
        var end = json.IndexOf("\":", 2, StringComparison.Ordinal);
        if (end < 0) return (json, false);
        var name = json[1..(end + 1)];
        var value = Value(r)?.ToJsonString() ?? "null";
        return r.Next(2) == 0 ? ("{" + name + ":" + value + "," + json[1..], true) : (json[..^1] + "," + name + ":" + value + "}", true);
    }
}
