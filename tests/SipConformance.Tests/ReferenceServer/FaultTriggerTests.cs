using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.ReferenceServer;

namespace SipConformance.Tests.ReferenceServerTests;

/// <summary>
/// The faults that react to one kind of input fire on that input and leave its neighbours alone:
/// the near miss but not the far one, the unsorted list but not the sorted one, and so on.
/// </summary>
[TestFixture]
public class FaultTriggerTests
{
    private static SipContract C => SipContract.Default;

    private static async Task<(SipConformance.ReferenceServer.ReferenceServer Server, Api Api)> Start(string fault)
    {
        var server = await Servers.Start(fault);
        return (server, new Api(server, Servers.Http));
    }

    [Test]
    public async Task Plausible_enum_accepted_trims_single_enums_only()
    {
        var (server, api) = await Start(ValidationFaults.PlausibleEnumAccepted);
        await using var _ = server;
        var padded = await api.Create(api.Valid(b => b["encryption"] = C.Encryptions[1] + " "));
        padded.Status.Should().Be(200);
        padded.EndpointStr("encryption").Should().Be(C.Encryptions[1]);
        (await api.Create(api.Valid(b => b["call_handler"] = "\t" + C.CallHandlers[1]))).Status.Should().Be(200);

        (await api.Create(api.Valid(b => b["encryption"] = C.Encryptions[1].ToUpperInvariant()))).Status.Should().Be(422, "case is not whitespace");
        (await api.Create(api.Valid(b => b["encryption"] = C.Encryptions[1] + "x"))).Status.Should().Be(422);
        (await api.Create(api.Valid(b => b["codecs"] = new JsonArray(C.Codecs[0] + " ")))).Status.Should().Be(422, "list items are another fault's");
    }

    [Test]
    public async Task Plausible_enum_item_accepted_takes_parameterised_codecs_only()
    {
        var (server, api) = await Start(ValidationFaults.PlausibleEnumItemAccepted);
        await using var _ = server;
        var later = C.Codecs[4] + "@48000H@20I";
        var a = await api.Create(api.Valid(b => b["codecs"] = new JsonArray(C.Codecs[0], later)));
        a.Status.Should().Be(200);
        a.EndpointList("codecs").Should().Equal(C.Codecs[0], later);

        (await api.Create(api.Valid(b => b["codecs"] = new JsonArray(C.Codecs[4] + "@")))).Status.Should().Be(422);
        (await api.Create(api.Valid(b => b["codecs"] = new JsonArray("ROT13@1")))).Status.Should().Be(422);
        (await api.Create(api.Valid(b => b["ciphers"] = new JsonArray(C.Ciphers[0] + "@1")))).Status.Should().Be(422);
        (await api.Create(api.Valid(b => b["encryption"] = C.Encryptions[0] + "@1"))).Status.Should().Be(422);
    }

    [Test]
    public async Task Near_miss_token_accepted_takes_tokens_one_edit_or_a_case_away_and_no_others()
    {
        var (server, api) = await Start(AuthFaults.NearMissTokenAccepted);
        await using var _ = server;
        var token = api.P.ApiToken;
        string Auth(string t) => Api.BasicOf($"{api.P.ProjectId}:{t}");
        var near = new[] { token.ToUpperInvariant(), token[..^1] + (token[^1] == 'a' ? 'b' : 'a'), token + "x", token[1..], token[..5] + token[6..] };
        foreach (var t in near) (await api.Create(api.Valid(), Auth(t))).Status.Should().Be(200, "one edit away");

        var far = new[] { token + "xy", token[2..], "PT" + new string('0', token.Length - 2), api.Q.ApiToken };
        foreach (var t in far) (await api.Create(api.Valid(), Auth(t))).Status.Should().Be(401);
        (await api.Create(api.Valid(), Api.BasicOf($"{Guid.NewGuid()}:{token}x"))).Status.Should().Be(401, "an unknown project has no token to be near");
    }

    [TestCase(ResponseFields.ProjectId)]
    [TestCase(ResponseFields.Type)]
    [TestCase(ResponseFields.DisplayName)]
    [TestCase(ResponseFields.CreatedAt)]
    [TestCase(ResponseFields.UpdatedAt)]
    public async Task Response_property_honoured_takes_the_sent_string_over(string name)
    {
        var (server, api) = await Start(ValidationFaults.ResponsePropertyHonoured);
        await using var _ = server;
        const string sent = "2001-02-03T04:05:06Z";
        var a = await api.Create(api.Valid(b => b[name] = sent));
        a.Status.Should().Be(200);
        a.Str(name).Should().Be(sent);
        (await api.Get(a.Str("id")!)).Str(name).Should().Be(sent);

        var number = await api.Create(api.Valid(b => b[name] = 7));
        number.Status.Should().Be(200, "Primary ignores it");
        number.Str(name).Should().NotBe("7");
        var lone = api.Valid(b => b[name] = "PLACEHOLDER").ToJsonString().Replace("\"PLACEHOLDER\"", "\"\\ud800\"", StringComparison.Ordinal);
        (await api.CreateRaw(lone)).Status.Should().Be(200, "text that is not Unicode is not taken over, just ignored");
        var plain = await api.Create(api.Valid());
        plain.Str(ResponseFields.ProjectId).Should().Be(api.P.ProjectId);
        plain.Str(ResponseFields.Type).Should().Be(C.ResourceType);
    }

    [Test]
    public async Task Duplicate_username_5xx_fires_on_the_second_create_of_a_username_in_one_project()
    {
        var (server, api) = await Start(ServerErrorFaults.DuplicateUsername5xx);
        await using var _ = server;
        var body = api.Valid();
        var first = await api.Create(body);
        first.Status.Should().Be(200);
        (await api.Create(body)).Status.Should().Be(500);
        server.EndpointCount(api.P.ProjectId).Should().Be(1);
        (await api.Create(body, Api.Basic(api.Q))).Status.Should().Be(200, "the other project has no such username");
        (await api.Create(api.Valid())).Status.Should().Be(200);
        (await api.Delete(first.Str("id")!)).Status.Should().Be(204);
        (await api.Create(body)).Status.Should().Be(200, "the username is free again");
    }

    [Test]
    public async Task List_order_5xx_fires_on_unsorted_lists_only()
    {
        var (server, api) = await Start(ServerErrorFaults.ListOrder5xx);
        await using var _ = server;
        var all = (IReadOnlyList<string> values) => new JsonArray(values.Select(v => (JsonNode)v).ToArray());
        (await api.Create(api.Valid(b => { b["ciphers"] = all(C.Ciphers); b["codecs"] = all(C.Codecs); }))).Status.Should().Be(200);
        (await api.Create(api.Valid(b => b["codecs"] = new JsonArray(C.Codecs[0], C.Codecs[0])))).Status.Should().Be(200, "a repeat is not out of order");
        (await api.Create(api.Valid(b => b["ciphers"] = all(C.Ciphers.Reverse().ToList())))).Status.Should().Be(500);
        (await api.Create(api.Valid(b => b["codecs"] = new JsonArray(C.Codecs[0], C.Codecs[3], C.Codecs[2])))).Status.Should().Be(500);
        server.EndpointCount(api.P.ProjectId).Should().Be(2);
    }

    [TestCase("ab\u2066cd\u2069", "ab")]
    [TestCase("\u202Eoverride\u202C", "\u202Eoverride\u202C")]
    [TestCase("x\uFDD0y", "x")]
    [TestCase("line\u2029para", "line")]
    [TestCase("astral\ud83f\udffenon", "astral")]
    [TestCase("\u200Fmark", "")]
    [TestCase("Jose\u0301 \ud83d\udc69\u200d\ud83d\udcbb \u05e9\u05dc\u05d5\u05dd", "Jose\u0301 \ud83d\udc69\u200d\ud83d\udcbb \u05e9\u05dc\u05d5\u05dd")]
    [TestCase("caf\u00e9\u00a0\u200b", "caf\u00e9\u00a0\u200b")]
    public async Task Text_cut_at_unusual_char_cuts_at_the_first_one_and_keeps_other_text(string sent, string stored)
    {
        var (server, api) = await Start(StringFaults.CutAtUnusualChar);
        await using var _ = server;
        var a = await api.Create(api.Valid(b => b["send_as"] = sent));
        a.Status.Should().Be(200);
        a.EndpointStr("send_as").Should().Be(stored);
    }

    [Test]
    public async Task Large_body_5xx_fires_above_one_mebibyte_only()
    {
        var (server, api) = await Start(ServerErrorFaults.LargeBody5xx);
        await using var _ = server;
        (await api.Create(api.Valid(b => b["padding"] = new string('x', 900 << 10)))).Status.Should().Be(200);
        (await api.Create(api.Valid(b => b["padding"] = new string('x', 1 << 20)))).Status.Should().Be(500);
        (await api.Create(api.Valid(b => b["padding"] = new string('x', 3 << 20)))).Status.Should().Be(500);
    }

    [Test]
    public async Task Nesting_5xx_fires_beyond_64_levels_only()
    {
        var (server, api) = await Start(ServerErrorFaults.Nesting5xx);
        await using var _ = server;
        static string Nested(int depth) => new string('[', depth) + new string(']', depth);
        (await api.CreateRaw(Nested(64))).Status.Should().Be(422, "64 levels parse; an array is no object");
        (await api.CreateRaw(Nested(65))).Status.Should().Be(500);
        (await api.CreateRaw(new string('{', 1) + "\"a\":" + Nested(70) + "}")).Status.Should().Be(500);
        (await api.CreateRaw("{\"username\": ")).Status.Should().Be(400, "shallow malformed JSON is still 400");
        (await api.CreateRaw("[[[[")).Status.Should().Be(400);
    }

    [Test]
    public async Task Delete_noop_answers_204_for_an_existing_endpoint_and_keeps_it()
    {
        var (server, api) = await Start(DeleteFaults.Noop);
        await using var _ = server;
        var id = (await api.Create(api.Valid())).Str("id")!;
        (await api.Delete(id)).Status.Should().Be(204);
        (await api.Get(id)).Status.Should().Be(200);
        (await CorrectServerTests.ListedIds(api)).Should().Contain(id);
        (await api.Delete(Guid.NewGuid().ToString())).Status.Should().Be(404, "an unknown id is still 404");
        (await api.Delete(id, api.Q)).Status.Should().Be(404, "another project's endpoint is still 404");
    }

    [Test]
    public async Task Delete_unknown_204_answers_204_for_ids_no_project_has()
    {
        var (server, api) = await Start(DeleteFaults.Unknown204);
        await using var _ = server;
        var id = (await api.Create(api.Valid())).Str("id")!;
        (await api.Delete(id, api.Q)).Status.Should().Be(404, "it exists, in another project");
        (await api.Delete(id)).Status.Should().Be(204);
        (await api.Get(id)).Status.Should().Be(404, "it really went");
        (await api.Delete(id)).Status.Should().Be(204);
        (await api.Delete("not-a-uuid")).Status.Should().Be(204);
    }

    [Test]
    public async Task Get_unknown_200_answers_200_for_ids_no_project_has()
    {
        var (server, api) = await Start(ReadBackFaults.GetUnknown200);
        await using var _ = server;
        var created = await api.Create(api.Valid());
        var id = created.Str("id")!;
        (await api.Get(id)).Text.Should().Be(created.Text);
        (await api.Get(id, api.Q)).Status.Should().Be(404, "it exists, in another project");
        var unknown = await api.Get(Guid.NewGuid().ToString());
        unknown.Status.Should().Be(200);
        unknown.Text.Should().Be("{}");
        (await api.Delete(id)).Status.Should().Be(204);
        (await api.Get(id)).Status.Should().Be(200);
    }

    [Test]
    public async Task List_leaks_other_projects_mixes_both_projects_oldest_first()
    {
        var (server, api) = await Start(ListFaults.LeaksOtherProjects);
        await using var _ = server;
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            ids.Add((await api.Create(api.Valid())).Str("id")!);
            ids.Add((await api.Create(api.Valid(), Api.Basic(api.Q))).Str("id")!);
        }
        (await CorrectServerTests.ListedIds(api)).Should().Equal(ids);
        (await CorrectServerTests.ListedIds(api, api.Q)).Should().Equal(ids);
        (await api.Get(ids[1])).Status.Should().Be(404, "GET is still isolated");
    }
}
