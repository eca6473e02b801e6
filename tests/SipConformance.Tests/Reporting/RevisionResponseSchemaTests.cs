using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.Tests.Rules;

namespace SipConformance.Tests.Reporting;

public class RevisionResponseSchemaTests
{
    [Test]
    public void The_later_revision_s_flat_create_answer_validates_and_ours_does_not()
    {
        var payload = Exchanges.Payload();
        var flat = ReportSamples.LaterRevisionBody(payload).ToJsonString();
        var ours = Exchanges.Answer(payload).ToJsonString();

        var later = RevisionResponseSchema.Later;
        later.Revision.Should().Be(RevisionResponseSchema.LaterRevision);
        later.Name.Should().Be("SipEndpointResponse");
        later.Validates(flat).Should().BeTrue();
        later.Validates(ours).Should().BeFalse("FabricSipEndpointResponse nests the endpoint under sip_endpoint");
        SipContract.Default.Validate(SchemaNames.EndpointResponse, ours).IsValid.Should().BeTrue();
        SipContract.Default.Validate(SchemaNames.EndpointResponse, flat).IsValid.Should().BeFalse();
    }

    [Test]
    public void A_flat_answer_missing_a_required_field_or_with_a_bad_uuid_fails_it()
    {
        var flat = ReportSamples.LaterRevisionBody(Exchanges.Payload());
        var missing = flat.DeepClone().AsObject();
        missing.Remove("call_relay_script_url");
        var badId = flat.DeepClone().AsObject();
        badId["id"] = "not-a-uuid";

        RevisionResponseSchema.Later.Validates(missing.ToJsonString()).Should().BeFalse();
        RevisionResponseSchema.Later.Validates(badId.ToJsonString()).Should().BeFalse("formats are asserted");
        RevisionResponseSchema.Later.Validates("not json").Should().BeFalse();
    }

    [Test]
    public void Its_required_list_is_the_revision_file_s()
    {
        var root = Running.RepositoryPaths.Root ?? throw new InvalidOperationException("no repository root");
        var file = YamlToJson.Convert(File.ReadAllText(Path.Combine(root, "src", "SipConformance.Contract", "openapi", "sip-endpoints.2026-08-21.openapi.yaml")))!;

        RevisionResponseSchema.Later.Required.Should().Equal(file["components"]!["schemas"]!["SipEndpointResponse"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()))
            .And.Contain(FieldNames.Username).And.NotContain(ResponseFields.SipEndpoint);
    }

    [Test]
    public void It_is_a_revision_the_suite_ships_and_only_those_load()
    {
        SipContract.Revisions.Should().Equal(ContractRevisions.All);
        FluentActions.Invoking(() => RevisionResponseSchema.Load("1999-01-01")).Should().Throw<ArgumentException>();
    }
}
