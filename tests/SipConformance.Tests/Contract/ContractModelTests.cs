using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;

namespace SipConformance.Tests.Contract;

public class ContractModelTests
{
    private static SipContract C => SipContract.Default;

    [Test]
    public void Enums_are_read_from_the_contract_file()
    {
        C.Ciphers.Should().HaveCount(5).And.Contain("AEAD_AES_256_GCM_8");
        C.Codecs.Should().HaveCount(7).And.Contain("H264");
        C.Encryptions.Should().Equal("required", "optional", "default");
        C.CallHandlers.Should().Equal("default", "passthrough", "block-pstn", "resource");
        C.Field(FieldNames.Encryption).Default.Should().Be("default");
    }

    [Test]
    public void Fields_carry_kind_required_and_nullability()
    {
        C.CreateFields.Should().OnlyContain(f => f.Required);
        C.Field(FieldNames.Id).Kind.Should().Be(FieldKind.Uuid);
        C.Field(FieldNames.CallingHandlerResourceId).Should().Match<FieldSpec>(f => f.Kind == FieldKind.Uuid && f.Nullable);
        C.Field(FieldNames.Username).Should().Match<FieldSpec>(f => f.Kind == FieldKind.String && !f.Nullable);
        C.Field(FieldNames.Ciphers).Kind.Should().Be(FieldKind.EnumArray);
    }

    [Test]
    public void Paths_statuses_and_literal_values_come_from_the_file()
    {
        C.CollectionPath.Should().Be("/api/fabric/resources/sip_endpoints");
        C.ItemPath("abc").Should().Be("/api/fabric/resources/sip_endpoints/abc");
        C.SuccessStatus(SchemaNames.CreateOperation).Should().Be(200);
        C.SuccessStatus(SchemaNames.DeleteOperation).Should().Be(204);
        C.ResponseSchema(SchemaNames.CreateOperation, 422).Should().Be(SchemaNames.ValidationError);
        C.ResourceType.Should().Be("sip_endpoint");
        C.UnauthorizedError.Should().Be("Unauthorized");
    }

    private const string ValidResponse = """
        {"id":"0b4b7c4e-6c55-4d4b-9a7e-1c2f0a1b2c3d","project_id":"1313FE58-5E14-4C11-BBE7-6FDFA11FE780",
         "display_name":"x","type":"sip_endpoint","created_at":"2024-05-06T12:20:00.123456789+02:00","updated_at":"2024-05-06T10:20:01Z",
         "extra": 1,
         "sip_endpoint":{"id":"993ed018-9e79-4e50-b97b-984bd5534095","username":"u","caller_id":"c","send_as":"s",
           "ciphers":["AEAD_AES_256_GCM_8"],"codecs":[],"encryption":"default","call_handler":"default","calling_handler_resource_id":null}}
        """;

    [Test]
    public void A_valid_response_validates_with_extra_properties_and_any_rfc3339_precision() =>
        C.Validate(SchemaNames.EndpointResponse, ValidResponse).Errors.Should().BeEmpty();

    [TestCase("\"type\":\"sip_endpoint\"", "\"type\":\"sip_credential\"", "/type")]
    [TestCase("\"id\":\"0b4b7c4e-6c55-4d4b-9a7e-1c2f0a1b2c3d\"", "\"id\":\"0b4b7c4e\"", "/id")]
    [TestCase("\"updated_at\":\"2024-05-06T10:20:01Z\"", "\"updated_at\":\"2024-05-06 10:20:01\"", "/updated_at")]
    [TestCase("\"codecs\":[]", "\"codecs\":[\"OPUS@48000H@20I\"]", "/sip_endpoint/codecs/0")]
    [TestCase("\"calling_handler_resource_id\":null", "\"calling_handler_resource_id\":\"nope\"", "/sip_endpoint/calling_handler_resource_id")]
    [TestCase("\"display_name\":\"x\",", "", "")]
    public void Schema_validation_asserts_types_enums_and_formats(string from, string to, string location)
    {
        var result = C.Validate(SchemaNames.EndpointResponse, ValidResponse.Replace(from, to));
        result.IsValid.Should().BeFalse();
        result.Errors.Should().Contain(e => e.InstanceLocation == location);
    }

    [TestCase("2024-05-06T12:20:00Z", true)]
    [TestCase("2024-05-06t12:20:00.5z", true)]
    [TestCase("2024-02-30T12:20:00Z", false)]
    [TestCase("2024-05-06T12:20:00", false)]
    [TestCase("2024-05-06T24:00:00Z", false)]
    public void Rfc3339_parsing_is_strict(string text, bool valid) => Rfc3339.TryParse(text, out _).Should().Be(valid);

    [Test]
    public void Rfc3339_compares_instants_across_offsets_and_precisions()
    {
        Rfc3339.TryParse("2024-05-06T12:20:00.100+02:00", out var a).Should().BeTrue();
        Rfc3339.TryParse("2024-05-06T10:20:00.1Z", out var b).Should().BeTrue();
        Rfc3339.TryParse("2024-05-06T10:20:00.1000000001Z", out var c).Should().BeTrue();
        a.CompareTo(b).Should().Be(0);
        (c > b).Should().BeTrue();
        c.SameInstantAtCoarserPrecision(b).Should().BeTrue();
        Rfc3339.TryParse("2024-05-06T10:20:00.2Z", out var d).Should().BeTrue();
        d.SameInstantAtCoarserPrecision(b).Should().BeFalse();
    }
}
