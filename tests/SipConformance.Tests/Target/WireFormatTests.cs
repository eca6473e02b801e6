using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.Target;

namespace SipConformance.Tests.Target;

/// <summary>The bytes the suite writes: request bodies and journal lines, as JsonNode's own writer gives them.</summary>
public sealed class WireFormatTests
{
    [Test]
    public void A_body_is_the_payload_as_JsonNode_writes_it_in_UTF8()
    {
        var factory = new PayloadFactory(SipContract.Default, RunIdentity.Create(7, "m1"), "0b4b7c4e-6c55-4d4b-9a7e-1c2f0a1b2c3d");
        var payloads = Enumerable.Range(0, 200).Select(i => (JsonNode?)factory.Valid("wire", i))
            .Concat(PayloadFactory.UnicodeSamples.Select(s => (JsonNode?)new JsonObject { ["username"] = s.Text, ["n"] = 1.5, ["list"] = new JsonArray("<&>'\"", null) }))
            .Append(null).Append(JsonValue.Create("é\u0001+"));
        foreach (var p in payloads)
            SipApi.Serialize(p).Should().Equal(Encoding.UTF8.GetBytes(p?.ToJsonString(SipApi.PayloadJson) ?? "null"), p?.ToJsonString());
    }

    [Test]
    public void A_journal_line_is_one_compact_JSON_object_per_event()
    {
        var dir = Directory.CreateTempSubdirectory("sipconf-wire-").FullName;
        try
        {
            var path = Path.Combine(dir, "j.jsonl");
            var project = new TargetProject("primary", "aaaaaaaa-0000-4000-8000-000000000001", new Secret("PTwire-token"), null, SettingsLoader.ProjectId, SettingsLoader.ApiToken);
            using (var journal = new CleanupJournal(path, new Uri("https://h.example.test/")))
            {
                journal.Created(project, "id-1", "sipconf_m1_é+<");
                journal.Deleted(project, "id-1");
            }
            var lines = File.ReadAllLines(path);
            lines.Should().HaveCount(2);
            lines[0].Should().MatchRegex("""^\{"op":"created","base_url":"https://h.example.test/","project":"primary","project_id":"aaaaaaaa-0000-4000-8000-000000000001","id":"id-1","at":"[0-9T:.\-]+\\u002B00:00","username":"sipconf_m1_\\u00E9\\u002B\\u003C"\}$""");
            lines[1].Should().MatchRegex("""^\{"op":"deleted","base_url":"https://h.example.test/","project":"primary","project_id":"aaaaaaaa-0000-4000-8000-000000000001","id":"id-1","at":"[0-9T:.\-]+\\u002B00:00"\}$""");
            File.ReadAllText(path).Should().EndWith(Environment.NewLine);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
