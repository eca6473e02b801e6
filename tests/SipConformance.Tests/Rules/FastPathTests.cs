using System.Text.Json;
using CsCheck;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.Rules;
using SipConformance.Target;

namespace SipConformance.Tests.Rules;

/// <summary>The judgement's fast paths, held equal to the definitions they are written out from.</summary>
public class FastPathTests
{
    private static readonly string[] Items = ["\"PCMU\"", "\"pcmu\"", "\"OPUS@48000H@20I\"", "\"\\u0050CMU\"", "1", "1.0", "null", "true", "[]", "{}", "\"1\"", "\"\"", "\"\u00e9\""];

    private static readonly Gen<string> ArrayText =
        Gen.Int[0, Items.Length - 1].Array[0, 8].Select(ix => "[" + string.Join(",", ix.Select(i => Items[i])) + "]");

    [Test]
    public void Same_item_set_on_raw_bytes_is_the_set_of_raw_texts() =>
        Gen.Select(ArrayText, ArrayText).Sample((a, b) =>
        {
            using var da = JsonDocument.Parse(a);
            using var db = JsonDocument.Parse(b);
            ReadBack.SameItemSet(da.RootElement, db.RootElement).Should().Be(ReadBack.SameItemSetByText(da.RootElement, db.RootElement), $"{a} vs {b}");
        }, iter: 5000);

    [Test]
    public void A_string_and_the_number_it_spells_are_different_items()
    {
        using var a = JsonDocument.Parse("[\"1\"]");
        using var b = JsonDocument.Parse("[1]");
        ReadBack.SameItemSet(a.RootElement, b.RootElement).Should().BeFalse();
    }

    [Test]
    public void Describe_names_each_property_s_component_type_and_format_and_answers_the_same_when_asked_again()
    {
        // The expected values are read off the contract file by hand (FabricSipEndpointResponse), not from Describe's own code.
        var contract = SipContract.Default;
        var properties = (System.Text.Json.Nodes.JsonObject)contract.SchemaObject(SchemaNames.EndpointResponse)["properties"]!;
        var expected = new Dictionary<string, (string?, string?, string?)>
        {
            ["id"] = ("uuid", "string", "uuid"),
            ["project_id"] = ("uuid", "string", "uuid"),
            ["display_name"] = (null, "string", null),
            ["created_at"] = (null, "string", "date-time"),
            ["sip_endpoint"] = ("FabricSipEndpoint", "object", null),
        };
        foreach (var (name, want) in expected)
        {
            var node = (System.Text.Json.Nodes.JsonObject)properties[name]!;
            contract.Describe(node).Should().Be(want, name);
            contract.Describe(node).Should().Be(want, name + ", asked again (from the cache)");
        }
    }

    [Test]
    public void Media_type_is_the_text_before_the_first_semicolon_trimmed_and_lower_cased() =>
        Gen.String[Gen.Char["aA; /+=-\tJSONjson"], 0, 30].Sample(ct =>
            ResponseRecord.MediaTypeOf(ct).Should().Be(ct.Split(';')[0].Trim().ToLowerInvariant()), iter: 3000);
}
