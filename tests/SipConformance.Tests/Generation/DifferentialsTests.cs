using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Generation;

namespace SipConformance.Tests.Generation;

/// <summary>The parser-differential catalogue as the suite reads it: every entry of the file, and its placeholders expanded as docs/PARSERS.md says.</summary>
public sealed class DifferentialsTests
{
    private static readonly JsonObject Valid = new() { ["id"] = "3f2504e0-4f89-41d3-9a0c-0305e82c3301", ["username"] = "sipconf_u", ["send_as"] = "s" };
    private static readonly DifferentialValues Values = new(Valid, "0b4b7c4e-6c55-4d4b-9a7e-1c2f0a1b2c3d", "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "p-1", new Secret("tok+en/x"));

    [Test]
    public void Every_entry_of_the_file_is_read_with_its_fields()
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "fixtures", "payloads", "parser-differentials.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var entries = doc.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Differentials.All.Should().HaveCount(entries.Count);
        Differentials.All.Select(d => d.Id).Should().Equal(entries.Select(e => e.GetProperty("id").GetString()));
        Differentials.All.Select(d => d.Stimulus).Should().Equal(entries.Select(e => e.GetProperty("stimulus").GetString()));
        Differentials.All.Single(d => d.Id == "path-dotnet-braces").ExpectedStatuses.Should().Equal(404, 400, 422);
        Differentials.All.Single(d => d.Id == "uuid-dotnet-braces").ExpectedStatuses.Should().Equal(422);
        Differentials.All.Single(d => d.Id == "string-drf-trim").ExpectedStatuses.Should().BeEmpty("exact-echo names no status");
    }

    [Test]
    public void Placeholders_expand_as_the_catalogue_says()
    {
        Differentials.ExpandText("{{{members}}}", Values).Should().Be(Valid.ToJsonString(SipConformance.Target.SipApi.PayloadJson));
        Differentials.ExpandText("{{{members-without:username}}, \"USERNAME\": {{value:username}}}", Values)
            .Should().Be("{\"id\":\"3f2504e0-4f89-41d3-9a0c-0305e82c3301\",\"send_as\":\"s\", \"USERNAME\": \"sipconf_u\"}");
        Differentials.ExpandText("{{nest:3}}", Values).Should().Be("[[[]]]");
        Differentials.ExpandText("{{resource:n}}|{{resource:upper}}|{{endpoint}}", Values)
            .Should().Be("0b4b7c4e6c554d4b9a7e1c2f0a1b2c3d|0B4B7C4E-6C55-4D4B-9A7E-1C2F0A1B2C3D|aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("p-1:tok+en/x"));
        Differentials.ExpandText("Basic {{basic}}", Values).Should().Be("Basic " + basic);
        Differentials.ExpandText("{{basic:nopad}}", Values).Should().Be(basic.TrimEnd('='));
        Differentials.ExpandText("{{basic:url}}", Values).Should().Be(basic.Replace('+', '-').Replace('/', '_'));
        Differentials.ExpandText("{{basic:head}}!{{basic:tail}}", Values).Should().Be(basic[..4] + "!" + basic[4..]);
        Differentials.Expand("{{absent}}", Values).Should().BeNull();
        Differentials.Expand("\"a{{byte:ff}}b\"", Values).Should().Equal((byte)'"', (byte)'a', 0xFF, (byte)'b', (byte)'"');
        JsonNode.Parse(Differentials.ExpandText("{{valid:spaced}}", Values)!)!.ToJsonString().Should().Be(Valid.ToJsonString());
        JsonNode.Parse(Differentials.ExpandText("{{valid:reversed}}", Values)!)!.AsObject().Select(p => p.Key).Should().Equal(Valid.Select(p => p.Key).Reverse());
    }

    [Test]
    public void Every_stimulus_of_the_file_expands()
    {
        foreach (var d in Differentials.All)
        {
            FluentActions.Invoking(() => Differentials.Expand(d.Stimulus, Values)).Should().NotThrow(d.Id);
            if (d.Plain is not null) FluentActions.Invoking(() => Differentials.Expand(d.Plain, Values)).Should().NotThrow(d.Id);
        }
    }

    [Test]
    public void A_value_is_read_only_when_a_strict_reader_reads_it_as_Unicode_text()
    {
        Differentials.Decode(Encoding.UTF8.GetBytes("\"\\u0072equired\""), out var readable)!.GetValue<string>().Should().Be("required");
        readable.Should().BeTrue();
        Differentials.Decode(Encoding.UTF8.GetBytes("\"sip\\ud800conf\""), out readable).Should().BeNull();
        readable.Should().BeFalse("a lone surrogate is no Unicode text");
        Differentials.Decode(Encoding.UTF8.GetBytes("{/* x */ \"a\": 1}"), out readable).Should().BeNull();
        readable.Should().BeFalse();
        Differentials.Decode(Encoding.UTF8.GetBytes("null"), out readable).Should().BeNull();
        readable.Should().BeTrue("null is a value");
    }
}
