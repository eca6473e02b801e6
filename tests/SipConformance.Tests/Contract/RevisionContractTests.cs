using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;

namespace SipConformance.Tests.Contract;

/// <summary>Both shipped revisions load, are checked at load, and differ where the public descriptions do.</summary>
public class RevisionContractTests
{
    private static SipContract March => SipContract.Of(ContractRevisions.March2026);
    private static SipContract August => SipContract.Of(ContractRevisions.August2026);

    [Test]
    public void Both_revisions_load_and_share_the_operations_paths_and_statuses()
    {
        foreach (var c in new[] { March, August })
        {
            c.CollectionPath.Should().Be(March.CollectionPath);
            c.ItemPathTemplate.Should().Be(March.ItemPathTemplate);
            foreach (var op in new[] { SchemaNames.CreateOperation, SchemaNames.GetOperation, SchemaNames.ListOperation, SchemaNames.DeleteOperation })
                c.DocumentedStatuses(op).Should().Equal(March.DocumentedStatuses(op), $"{c.Revision} {op}");
        }
        August.Revision.Should().Be(ContractRevisions.August2026);
    }

    [Test]
    public void The_2026_08_21_answer_is_flat_and_lists_SipEndpoint_items()
    {
        March.IsFlat.Should().BeFalse();
        March.EndpointObject.Should().Be(ResponseFields.SipEndpoint);
        March.EndpointResponseSchema.Should().Be(SchemaNames.EndpointResponse);
        March.ListItemSchema.Should().Be(SchemaNames.EndpointResponse);

        August.IsFlat.Should().BeTrue();
        August.EndpointResponseSchema.Should().Be("SipEndpointResponse");
        August.ListItemSchema.Should().Be("SipEndpoint");
        August.ListResponseSchema.Should().Be("SipEndpointListResponse");
        foreach (var gone in new[] { ResponseFields.ProjectId, ResponseFields.DisplayName, ResponseFields.CreatedAt, ResponseFields.UpdatedAt, ResponseFields.SipEndpoint })
            August.ResponseDefines(gone).Should().BeFalse(gone);
        August.EndpointPath(FieldNames.Username).Should().Be(FieldNames.Username);
        March.EndpointPath(FieldNames.Username).Should().Be("sip_endpoint.username");
    }

    [Test]
    public void The_2026_08_21_codecs_add_four_OPUS_variants_and_the_other_enums_stay()
    {
        August.Codecs.Should().HaveCount(11).And.ContainInOrder(March.Codecs);
        August.Codecs.Except(March.Codecs).Should().HaveCount(4).And.OnlyContain(c => c.StartsWith("OPUS@", StringComparison.Ordinal));
        August.Ciphers.Should().Equal(March.Ciphers);
        August.Encryptions.Should().Equal(March.Encryptions);
        August.CallHandlers.Should().Equal(March.CallHandlers);
        August.InboundCallHandlers.Should().Contain("relay_context").And.Contain("ai_agent").And.NotIntersectWith(August.CallHandlers);
        March.InboundCallHandlers.Should().BeEmpty();
    }

    [Test]
    public void A_flat_answer_validates_under_2026_08_21_and_not_under_2026_03_18_and_the_other_way_round()
    {
        var flat = Flat("passthrough");
        August.Validate(August.EndpointResponseSchema, flat.ToJsonString()).Errors.Should().BeEmpty();
        March.Validate(March.EndpointResponseSchema, flat.ToJsonString()).IsValid.Should().BeFalse();

        // call_handler: the request's value, null or an inbound handler pass the schema; anything else does not.
        foreach (var ok in new[] { "relay_context", "block-pstn" })
            August.Validate(August.EndpointResponseSchema, Flat(ok).ToJsonString()).IsValid.Should().BeTrue(ok);
        var nullHandler = Flat("x");
        nullHandler["call_handler"] = null;
        August.Validate(August.EndpointResponseSchema, nullHandler.ToJsonString()).IsValid.Should().BeTrue();
        August.Validate(August.EndpointResponseSchema, Flat("outbound").ToJsonString()).IsValid.Should().BeFalse();

        var noUsername = Flat("default");
        noUsername.Remove(FieldNames.Username);
        August.Validate(August.EndpointResponseSchema, noUsername.ToJsonString()).IsValid.Should().BeFalse();
    }

    [Test]
    public void A_contract_whose_answer_holds_the_endpoint_nowhere_is_refused_at_load()
    {
        var root = Running.RepositoryPaths.Root ?? throw new InvalidOperationException("no repository root");
        var yaml = File.ReadAllText(Path.Combine(root, "src", "SipConformance.Contract", "openapi", "sip-endpoints.2026-08-21.openapi.yaml"));
        // Rename the flat answer's username: the model cannot find the endpoint's fields.
        var broken = yaml.Replace("      properties:\n        type:\n          type: string\n          enum:\n            - sip_endpoint\n        id:\n          $ref: '#/components/schemas/uuid'\n        username:",
            "      properties:\n        type:\n          type: string\n          enum:\n            - sip_endpoint\n        id:\n          $ref: '#/components/schemas/uuid'\n        user_name:", StringComparison.Ordinal);
        broken.Should().NotBe(yaml);
        FluentActions.Invoking(() => SipContract.Load(broken, "broken")).Should().Throw<InvalidDataException>();
    }

    private static JsonObject Flat(string callHandler)
    {
        var o = new JsonObject
        {
            ["type"] = "sip_endpoint",
            ["id"] = "0b4b7c4e-6c55-4d4b-9a7e-1c2f0a1b2c3d",
            ["username"] = "u",
            ["caller_id"] = "+15550100000",
            ["send_as"] = "s",
            ["ciphers"] = new JsonArray("AEAD_AES_256_GCM_8"),
            ["codecs"] = new JsonArray("OPUS@48000H@20I"),
            ["encryption"] = "default",
            ["call_handler"] = callHandler,
            ["calling_handler_resource_id"] = null,
        };
        foreach (var name in August.ResponseProperties.Where(p => !o.ContainsKey(p)))
            o[name] = null;
        return o;
    }
}
